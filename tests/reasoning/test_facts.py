"""The client's facts become findings the rules can read."""

from __future__ import annotations

import pytest

from softtissue.reasoning.errors import CaseError
from softtissue.reasoning.facts import ClientFacts, client_findings, merge_findings
from softtissue.reasoning.knowledge import Knowledge


@pytest.mark.parametrize(
    ("client", "findings"),
    [
        (ClientFacts(), {}),
        (ClientFacts(age=70, pregnant=False), {"age": 70, "pregnant": False}),
        (ClientFacts(pregnant=True), {"pregnant": True}),
        (ClientFacts(conditions=("open_wound",)), {"open_wound": True}),
        (ClientFacts(medications=("medication.warfarin",)), {"anticoagulant_medication": True}),
    ],
)
def test_it_turns_client_facts_into_findings(
    kb: Knowledge, client: ClientFacts, findings: dict[str, object]
) -> None:
    assert client_findings(client, kb) == findings


def test_it_lets_recorded_findings_win(kb: Knowledge) -> None:
    merged = merge_findings({"pregnant": False}, ClientFacts(pregnant=True, age=30), kb)
    assert merged == {"pregnant": False, "age": 30}
    assert merge_findings({"fever": True}, None, kb) == {"fever": True}


def test_it_refuses_an_unknown_medication(kb: Knowledge) -> None:
    with pytest.raises(CaseError) as raised:
        client_findings(ClientFacts(medications=("medication.aspirin",)), kb)
    assert raised.value.key == "client.medications"
