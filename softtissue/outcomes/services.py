"""Recording measures and reading progress: fetch, call the reasoning core, save."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from django.db import transaction
from django.utils import timezone

from softtissue.accounts.models import User
from softtissue.assessments.models import Episode
from softtissue.outcomes.models import MeasureAdministration, QuestionnaireLink
from softtissue.reasoning import default_knowledge
from softtissue.reasoning.measures import Change, MeasureDefinition, Score, SubScore, change, score
from softtissue.tokens import new_token


def definitions() -> Mapping[str, MeasureDefinition]:
    """Every outcome measure the knowledge base defines, by short id."""
    return cast(Mapping[str, MeasureDefinition], default_knowledge().measures)


def trimmed(definition: MeasureDefinition, answers: Sequence[int | None]) -> list[int | None]:
    """Drop unused trailing positions of a measure with a variable length (PSFS: 3 to 5)."""
    kept = list(answers)
    while len(kept) > definition.min_items and kept[-1] is None:
        kept.pop()
    return kept


def score_answers(measure: str, answers: Sequence[int | None]) -> Score:
    """The published score; raises AnswerError or UnknownMeasureError on bad input."""
    measure_definitions = definitions()
    definition = measure_definitions[measure]
    return score(measure, trimmed(definition, answers), measure_definitions)


@transaction.atomic
def record_administration(
    episode: Episode,
    measure: str,
    answers: Sequence[int | None],
    entered_by: User | None,
    client_reported: bool = False,
    link: QuestionnaireLink | None = None,
) -> MeasureAdministration:
    """Score and keep one completed questionnaire (and use up the link it came through)."""
    result = score_answers(measure, answers)
    administration = MeasureAdministration.objects.create(
        clinic_id=episode.clinic_id,
        episode=episode,
        measure=measure,
        answers=list(answers),
        score=result.score,
        scorable=result.scorable,
        band=result.band or "",
        reason=result.reason or "",
        subscales=result.as_json()["subscales"],
        client_reported=client_reported,
        entered_by=entered_by,
    )
    if link is not None:
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return administration


def stored_score(administration: MeasureAdministration) -> Score:
    """The Score the core computed when the administration was saved."""
    subscales = cast(Mapping[str, Mapping[str, object]], administration.subscales)
    return Score(
        measure=administration.measure,
        score=administration.score,
        scorable=administration.scorable,
        band=administration.band or None,
        reason=administration.reason or None,
        subscales={
            name: SubScore(
                score=cast(float | None, sub["score"]),
                scorable=bool(sub["scorable"]),
                band=cast(str | None, sub["band"]),
                reason=cast(str | None, sub["reason"]),
            )
            for name, sub in subscales.items()
        },
    )


@dataclass(frozen=True, slots=True)
class Progress:
    """A measure's history within one episode: baseline, latest, and the change between them."""

    definition: MeasureDefinition
    administrations: tuple[MeasureAdministration, ...]
    change: Change | None  # None until there are two administrations

    @property
    def baseline(self) -> MeasureAdministration:
        return self.administrations[0]

    @property
    def latest(self) -> MeasureAdministration:
        return self.administrations[-1]


def progress(episode: Episode) -> list[Progress]:
    """Every measure given in the episode, in the order first given, with change since baseline."""
    grouped: dict[str, list[MeasureAdministration]] = {}
    for administration in MeasureAdministration.objects.filter(episode=episode):
        grouped.setdefault(administration.measure, []).append(administration)
    measure_definitions = definitions()
    return [
        Progress(
            definition=measure_definitions[measure],
            administrations=tuple(given),
            change=None
            if len(given) < 2
            else change(
                measure, stored_score(given[0]), stored_score(given[-1]), measure_definitions
            ),
        )
        for measure, given in grouped.items()
        if measure in measure_definitions
    ]


def create_link(
    episode: Episode, measure: str, created_by: User, minutes: int
) -> tuple[str, QuestionnaireLink]:
    """A new single-use link; the token is returned once and never stored."""
    token, hashed = new_token()
    link = QuestionnaireLink.objects.create(
        clinic_id=episode.clinic_id,
        episode=episode,
        measure=measure,
        token_hash=hashed,
        expires_at=timezone.now() + timedelta(minutes=minutes),
        created_by=created_by,
    )
    return token, link


def link_state(link: QuestionnaireLink, now: datetime) -> str:
    """usable, used or expired."""
    if link.used_at is not None:
        return "used"
    if link.expires_at <= now:
        return "expired"
    return "usable"
