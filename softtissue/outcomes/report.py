"""The clinic outcomes report: per measure and condition, how much clients changed."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Exists, OuterRef

from softtissue.accounts.models import Clinic
from softtissue.outcomes.models import MeasureAdministration
from softtissue.outcomes.services import definitions, stored_score
from softtissue.reasoning import default_knowledge
from softtissue.reasoning.measures import MeasureDefinition, change

NO_CONDITION = ""


@dataclass(frozen=True, slots=True)
class CohortRow:
    """One measure and condition over the period."""

    measure: str
    measure_name: str
    condition: str  # knowledge condition id; empty when no working impression was recorded
    condition_name: str
    episodes: int
    followed_up: int
    median_baseline: float | None
    median_change: float | None
    reached_mcid: int

    @property
    def share_reached_mcid(self) -> float | None:
        """Of the episodes followed up, the share whose change was clinically important."""
        return self.reached_mcid / self.followed_up if self.followed_up else None


@dataclass
class _Series:
    baseline: MeasureAdministration
    latest: MeasureAdministration


def episode_condition(administration: MeasureAdministration) -> str:
    """The condition the episode is being treated as (its recorded working impression)."""
    return administration.episode.condition or NO_CONDITION


def condition_name(condition: str) -> str:
    """The condition's name, or 'not recorded'."""
    entry = default_knowledge().conditions.get(condition)
    return str(entry["name"]) if entry else "not recorded"


def cohort(clinic: Clinic, start: date, end: date) -> list[CohortRow]:
    """Episodes whose baseline for a measure falls in the period, by measure and condition."""
    # Only series that begin in the period are read, so the cost follows the period and not the
    # clinic's whole history (at 100,000 clients reading every series took seconds).
    first = datetime.combine(start, time.min, tzinfo=UTC)
    after = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    scorable = MeasureAdministration.objects.filter(clinic=clinic, scorable=True)
    # By episode alone (which implies the clinic), so the planner uses the admin_episode index
    # for this per-row check: with the clinic in it SQLite chose admin_clinic and went quadratic.
    begun_before = MeasureAdministration.objects.filter(
        episode_id=OuterRef("episode_id"),
        measure=OuterRef("measure"),
        scorable=True,
        administered_at__lt=first,
    )
    administrations = (
        scorable.filter(administered_at__gte=first)
        .exclude(Exists(begun_before))
        .select_related("episode")
        .order_by("episode_id", "measure", "administered_at", "pk")
    )
    series: dict[tuple[int, str], _Series] = {}
    for administration in administrations.iterator(chunk_size=2000):
        key = (administration.episode_id, administration.measure)
        if key in series:
            series[key].latest = administration
        else:
            series[key] = _Series(administration, administration)
    in_period = [s for s in series.values() if s.baseline.administered_at < after]
    return summarise(in_period, definitions())


def summarise(
    all_series: Iterable[_Series], measure_definitions: Mapping[str, MeasureDefinition]
) -> list[CohortRow]:
    """Medians and MCID shares per (measure, condition)."""
    groups: dict[tuple[str, str], list[_Series]] = {}
    for one in all_series:
        if one.baseline.measure in measure_definitions:
            groups.setdefault((one.baseline.measure, episode_condition(one.baseline)), []).append(
                one
            )
    rows = []
    for (measure, condition), members in sorted(groups.items()):
        baselines = [m.baseline.score for m in members if m.baseline.score is not None]
        changes = [
            change(measure, stored_score(m.baseline), stored_score(m.latest), measure_definitions)
            for m in members
            if m.latest.pk != m.baseline.pk
        ]
        differences = [c.difference for c in changes if c.difference is not None]
        rows.append(
            CohortRow(
                measure=measure,
                measure_name=measure_definitions[measure].name,
                condition=condition,
                condition_name=condition_name(condition),
                episodes=len(members),
                followed_up=len(changes),
                median_baseline=statistics.median(baselines) if baselines else None,
                median_change=statistics.median(differences) if differences else None,
                reached_mcid=sum(1 for c in changes if c.important),
            )
        )
    return rows
