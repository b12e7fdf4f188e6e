"""The therapist's facts for the core: one function for the reasoning panel and the scope gate."""

from __future__ import annotations

from datetime import date

from django.db.models import prefetch_related_objects

from softtissue.accounts.models import Therapist
from softtissue.reasoning import TherapistFacts


def therapist_facts(therapist: Therapist, today: date) -> TherapistFacts:
    """Qualifications, CPD and the current insurance policy (expired or not) as of today."""
    cpd = tuple(dict.fromkeys(c.knowledge_id for c in therapist.cpd_certificates.all()))
    started = [p for p in therapist.insurance_policies.all() if p.valid_from <= today]
    # The policy that runs latest decides: a renewed policy replaces the one it follows.
    policy = max(started, key=lambda p: (p.valid_to, p.pk), default=None)
    return TherapistFacts(
        qualifications=therapist.qualification_ids(),
        cpd=cpd,
        insurance=policy.schedule if policy else None,
        insurance_expired=policy.expired_on(today) if policy else False,
    )


def fetch_facts(therapist: Therapist | None, today: date) -> TherapistFacts | None:
    """The facts of the therapist asking (None without a profile), their records fetched at once."""
    if therapist is None:
        return None
    records = ("qualifications", "cpd_certificates", "insurance_policies")
    prefetch_related_objects([therapist], *records)
    return therapist_facts(therapist, today)
