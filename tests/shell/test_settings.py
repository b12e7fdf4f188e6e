"""The settings' environment helpers refuse bad values with a message that says what to do."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from softtissue.settings import (
    SettingsError,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    secret_key,
)


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("TRUE", True), ("yes", True), ("off", False), ("", False)]
)
def test_it_reads_yes_no_values(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("SOFTTISSUE_X", raw)
    assert env_bool("SOFTTISSUE_X", False) is expected


def test_it_refuses_a_vague_boolean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOFTTISSUE_DEBUG", "maybe")
    with pytest.raises(SettingsError, match="SOFTTISSUE_DEBUG='maybe' is not a yes/no value"):
        env_bool("SOFTTISSUE_DEBUG", False)


@pytest.mark.parametrize(
    ("raw", "message"),
    [("ten", "is not a whole number"), ("0", "is out of range: use 1 to 24")],
)
def test_it_refuses_bad_numbers(monkeypatch: pytest.MonkeyPatch, raw: str, message: str) -> None:
    monkeypatch.setenv("SOFTTISSUE_N", raw)
    with pytest.raises(SettingsError, match=message):
        env_int("SOFTTISSUE_N", 5, 1, 24)


def test_it_splits_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOFTTISSUE_L", " a.example, b.example ,,")
    assert env_list("SOFTTISSUE_L", []) == ["a.example", "b.example"]


def test_it_defaults_to_sqlite_in_wal_mode(tmp_path: Path) -> None:
    db = database_from_url("", tmp_path)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "softtissue.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["timeout"] == 20


def test_it_reads_a_postgres_url_with_a_socket_host(tmp_path: Path) -> None:
    db = database_from_url("postgres:///softtissue?host=/var/run/postgresql", tmp_path)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["HOST"], db["USER"]) == ("softtissue", "/var/run/postgresql", "")
    assert db["CONN_MAX_AGE"] == 600


def test_it_reads_a_postgres_url_with_credentials(tmp_path: Path) -> None:
    db = database_from_url("postgresql://st:p%40ss@db.internal:6543/clinic", tmp_path)
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "st",
        "p@ss",
        "db.internal",
        "6543",
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x/y", "scheme 'mysql' is not supported"),
        ("postgres://host/", "has no database name"),
        ("sqlite://", "give a file"),
    ],
)
def test_it_refuses_bad_database_urls(tmp_path: Path, url: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        database_from_url(url, tmp_path)


def test_it_generates_and_keeps_a_private_secret_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SOFTTISSUE_SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert len(first) >= 50
    assert secret_key(tmp_path) == first
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_it_refuses_a_short_secret_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOFTTISSUE_SECRET_KEY", "too-short")
    with pytest.raises(SettingsError, match="too short"):
        secret_key(tmp_path)
