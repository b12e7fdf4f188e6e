"""Text from the file is printed as typed, never read as Rich markup or emoji (issue 22.10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from softtissue.accounts.models import Clinic
from tests.interop.import_helpers import run_import, write_csv

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("header", ["[/bold]", "[red]Shoe size[/red]", ":smile:"])
def test_it_prints_a_header_as_it_is(clinic_a: Clinic, tmp_path: Path, header: str) -> None:
    path = write_csv(
        tmp_path, f'first_name,last_name,date_of_birth,"{header}"\nAda,B,1980-01-01,x\n'
    )
    run = run_import(path, "--dry-run")
    assert run.code == 0, run.output
    assert f"Warning: columns ignored: {header}" in run.output


@pytest.mark.parametrize(
    "text",
    [
        "[/bold]",  # a closing tag with no opening one stopped the command
        "[red]x[/red]",  # printed styled, its tags gone
        "[link=https://example.com]x[/link]",
        ":smile:",
        "back\\",
    ],
)
def test_it_prints_a_problem_quoting_the_cell(clinic_a: Clinic, tmp_path: Path, text: str) -> None:
    path = write_csv(
        tmp_path, f'first_name,last_name,date_of_birth,sex\nAda,B,1980-01-01,"{text}"\n'
    )
    run = run_import(path)
    assert run.code == 1, run.output
    assert f"Problem: row 2, column 'sex': {text!r} is not a recorded sex" in run.output


def test_it_prints_the_clinic_name_as_it_is(clinic_a: Clinic, tmp_path: Path) -> None:
    clinic_a.name = "[bold]Bath[/] Sports Clinic"
    clinic_a.save()
    path = write_csv(tmp_path, "first_name,last_name,date_of_birth\nAda,B,1980-01-01\n")
    run = run_import(path)
    assert run.code == 0, run.output
    assert "into [bold]Bath[/] Sports Clinic." in run.output
