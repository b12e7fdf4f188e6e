"""The live reasoning panel: stop banner, contraindications, working impression and scope."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import timezone

from softtissue.accounts.models import Qualification, User
from softtissue.assessments.alerts import red_flag_alerts
from softtissue.assessments.models import Assessment, BodyChartMark, SpecialTestResult
from softtissue.assessments.panel import assessment_findings, load_records
from softtissue.clients.models import Client, Medication

ELBOW = {
    "lateral_elbow_pain": True,
    "lateral_epicondyle_tenderness": True,
    "pain_on_gripping": True,
    "pain_resisted_wrist_extension": True,
}


def panel(web: WebClient, assessment: Assessment) -> str:
    response = web.get(
        reverse("assessment_reasoning", args=[assessment.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def logged_in(web: WebClient, alice: User) -> WebClient:
    web.force_login(alice)
    return web


def test_it_raises_the_stop_banner_on_cauda_equina(
    logged_in: WebClient, back_assessment: Assessment
) -> None:
    back_assessment.findings = {"saddle_anaesthesia": True, "new_urinary_retention": True}
    back_assessment.save()
    html = panel(logged_in, back_assessment)
    assert 'role="alert"' in html
    assert "STOP" in html
    assert "Possible cauda equina syndrome" in html
    assert "999 or A&amp;E" in html


def test_it_shows_no_banner_when_nothing_fires(
    logged_in: WebClient, back_assessment: Assessment
) -> None:
    html = panel(logged_in, back_assessment)
    assert "STOP" not in html
    assert "No red flag fires" in html
    assert "screening questions unanswered" in html


def test_it_forms_a_working_impression_of_lateral_elbow_tendinopathy(
    logged_in: WebClient, assessment: Assessment
) -> None:
    assessment.findings = ELBOW
    assessment.save()
    html = panel(logged_in, assessment)
    first = html.index('<span class="candidate-name">')
    assert html[first:].startswith('<span class="candidate-name">Lateral elbow tendinopathy')
    assert "Working impression: Lateral elbow tendinopathy" in html
    assert "Pain on gripping: yes" in html
    assert "diagnosis" not in html.replace("it is not a diagnosis", "")
    assert "As a Level 5 soft tissue therapist you may" in html


def test_it_says_when_there_is_not_enough_information(
    logged_in: WebClient, assessment: Assessment
) -> None:
    assessment.findings = {"lateral_elbow_pain": False, "medial_elbow_pain": False}
    assessment.save()
    html = panel(logged_in, assessment)
    assert "Not enough information" in html
    # The scope preview no longer waits for a working impression: nothing recorded shows an
    # injury, so what the findings show is maintenance work.
    assert "No injury features and no red flags are recorded" in html


def test_it_tells_a_level_3_therapist_to_refer(
    web: WebClient, bob: User, assessment: Assessment
) -> None:
    Qualification.objects.create(therapist=bob.therapist, knowledge_id="qualification.smt-l3")
    assessment.findings = ELBOW
    assessment.save()
    web.force_login(bob)
    html = panel(web, assessment)
    assert "As a Level 3 sports massage therapist you may not treat" in html
    assert "Refer to" in html


def test_it_reasons_over_the_body_chart_tests_and_history(
    logged_in: WebClient, assessment: Assessment
) -> None:
    BodyChartMark.objects.create(
        clinic=assessment.clinic,
        assessment=assessment,
        area="forearm",
        view="front",
        side="right",
        symptom="pins_and_needles",
        intensity=3,
        depth="superficial",
    )
    SpecialTestResult.objects.create(
        clinic=assessment.clinic,
        assessment=assessment,
        test_id="special-test.elbow-flexion-pressure",
        result="positive",
    )
    assessment.onset = "gradual"
    assessment.save()
    findings = assessment_findings(load_records(assessment), date(2026, 11, 27))
    assert findings == {
        "age": 46,
        "sex": "female",
        "pins_and_needles": True,
        "test_elbow_flexion_pressure": True,
        "onset": "gradual",
    }
    assert "Pins and needles: yes" in panel(logged_in, assessment)


def test_it_shows_contraindications_from_the_record(
    logged_in: WebClient, assessment: Assessment, priya: Client
) -> None:
    Medication.objects.create(
        clinic=priya.clinic,
        client=priya,
        knowledge_id="medication.warfarin",
        name="Warfarin",
        recorded_at=timezone.now(),
    )
    html = panel(logged_in, assessment)
    assert "Anticoagulant" in html


def test_it_sends_a_plain_request_for_the_panel_to_the_page(
    logged_in: WebClient, assessment: Assessment
) -> None:
    response = logged_in.get(reverse("assessment_reasoning", args=[assessment.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{assessment.pk}/#reasoning"


def test_it_gives_red_flag_alerts_from_the_latest_assessment(
    back_assessment: Assessment, priya: Client
) -> None:
    assert red_flag_alerts(priya) == []
    back_assessment.findings = {"saddle_anaesthesia": True}
    back_assessment.save()
    alerts = red_flag_alerts(priya)
    assert [a.severity for a in alerts] == ["stop"]
    assert "cauda equina" in alerts[0].title


def test_it_gives_no_alerts_for_a_client_never_assessed(priya: Client) -> None:
    assert red_flag_alerts(priya) == []
