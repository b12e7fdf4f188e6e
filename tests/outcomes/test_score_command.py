"""The `softtissue score` command: JSON contract, table output, and one-line errors."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(*args: str) -> str:
    out = StringIO()
    call_command("score", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_json_contract():
    printed = json.loads(run("odi", "--answers", "2,1,3,2,1,2,1,-,2,2", "--json"))
    assert printed == {
        "measure": "odi",
        "score": pytest.approx(35.5555555),
        "scorable": True,
        "band": "moderate disability",
        "reason": None,
        "subscales": {},
    }


def test_it_prints_koos_subscales_by_name():
    answers = ",".join(["0"] * 7 + ["4"] * 9 + ["1"] * 17 + ["3"] * 5 + ["2"] * 4)
    printed = json.loads(run("koos", "--answers", answers, "--json"))
    assert printed["score"] is None
    assert {name: sub["score"] for name, sub in printed["subscales"].items()} == {
        "pain": 0.0,
        "symptoms": 100.0,
        "adl": 75.0,
        "sport_rec": 25.0,
        "qol": 50.0,
    }


def test_it_prints_start_back_total_and_psychosocial():
    printed = json.loads(run("start_back", "--answers", "1,0,0,0,1,1,1,0,4", "--json"))
    assert printed["band"] == "high risk"
    assert printed["subscales"]["total"]["score"] == 5
    assert printed["subscales"]["psychosocial"]["score"] == 4


def test_it_prints_an_unscorable_form_with_its_reason():
    printed = json.loads(run("odi", "--answers", "1,1,1,1,1,1,1,1,-,-", "--json"))
    assert printed["score"] is None
    assert printed["scorable"] is False
    assert "2 of 10 items missing" in printed["reason"]


def test_it_prints_a_readable_table():
    printed = run("spadi", "--answers", "5,5,5,5,5,4,4,4,4,4,4,4,4")
    assert "Shoulder Pain and Disability Index" in printed
    assert "43.8" in printed  # 43.846 to one decimal place
    assert "disability" in printed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nothing", "--answers", "1"), "unknown measure 'nothing'"),
        (("odi", "--answers", "1,2"), "odi: expected 10 answers, got 2"),
        (("odi", "--answers", "1,2,3,4,5,6,1,1,1,1"), "odi: item 6 must be one of 0 to 5, got 6"),
        (("nprs", "--answers", "seven"), "answer 1 is 'seven'"),
        (("visa_a", "--answers", "5,5,5,5,5,5,4,7,4,-"), "answer only one of items 8A, 8B"),
    ],
)
def test_it_fails_with_one_line_and_exit_code_2(args, message):
    with pytest.raises(CommandError) as raised:
        run(*args)
    assert raised.value.returncode == 2
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_it_accepts_decimal_answers_that_are_whole():
    printed = json.loads(run("nprs", "--answers", "4.0", "--json"))
    assert printed["score"] == 4
