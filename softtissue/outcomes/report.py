"""The clinic outcomes report: per measure and condition, how much clients changed."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count

from softtissue.accounts.models import Clinic
from softtissue.outcomes.models import MeasureSeries
from softtissue.outcomes.services import definitions
from softtissue.reasoning import default_knowledge
from softtissue.reasoning.measures import Change, MeasureDefinition, Score, change


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
class _Group:
    episodes: int = 0
    followed_up: int = 0
    reached_mcid: int = 0
    baselines: list[float] = field(default_factory=list)
    differences: list[float] = field(default_factory=list)


def condition_name(condition: str) -> str:
    """The condition's name, or 'not recorded'."""
    entry = default_knowledge().conditions.get(condition)
    return str(entry["name"]) if entry else "not recorded"


def cohort(clinic: Clinic, start: date, end: date) -> list[CohortRow]:
    """Episodes whose baseline for a measure falls in the period, by measure and condition."""
    first = datetime.combine(start, time.min, tzinfo=UTC)
    after = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    # One row per series (kept up to date as measures are recorded), counted by the database
    # per distinct (measure, condition, baseline, latest): scores take few values, so Python
    # sees a few thousand rows, not every series (100,000 clients: 17,410 series in a year,
    # 5,731 rows, 1,487 distinct score pairs to judge).
    counted = (
        MeasureSeries.objects.filter(clinic=clinic, started_at__gte=first, started_at__lt=after)
        .values_list("measure", "condition", "baseline_score", "latest_score", "followed_up")
        .annotate(series=Count("*"))
        .order_by()
    )
    return summarise(counted, definitions())


def total(measure: str, value: float | None) -> Score:
    """A stored total as a Score (the report reads only totals; see summarise)."""
    return Score(measure=measure, score=value, scorable=True, band=None, reason=None)


def summarise(
    counted: Iterable[tuple[str, str, float | None, float | None, bool, int]],
    measure_definitions: Mapping[str, MeasureDefinition],
) -> list[CohortRow]:
    """Medians and MCID shares per (measure, condition), from series counted by their scores."""
    groups: dict[tuple[str, str], _Group] = {}
    # The same pair of scores recurs across conditions: judge each pair once.
    judgements: dict[tuple[str, float | None, float | None], Change] = {}
    for measure, condition, baseline, latest, followed_up, series in counted:
        if measure not in measure_definitions:
            continue
        group = groups.setdefault((measure, condition), _Group())
        group.episodes += series
        if baseline is not None:
            group.baselines.extend([baseline] * series)
        if not followed_up:
            continue
        group.followed_up += series
        pair = (measure, baseline, latest)
        if pair not in judgements:
            # Subscale-judged measures are never important and have no total difference, so
            # change() answers the same from the totals alone as from the full stored scores.
            judgements[pair] = change(
                measure, total(measure, baseline), total(measure, latest), measure_definitions
            )
        judged = judgements[pair]
        if judged.difference is not None:
            group.differences.extend([judged.difference] * series)
        if judged.important:
            group.reached_mcid += series
    return [
        CohortRow(
            measure=measure,
            measure_name=measure_definitions[measure].name,
            condition=condition,
            condition_name=condition_name(condition),
            episodes=group.episodes,
            followed_up=group.followed_up,
            median_baseline=statistics.median(group.baselines) if group.baselines else None,
            median_change=statistics.median(group.differences) if group.differences else None,
            reached_mcid=group.reached_mcid,
        )
        for (measure, condition), group in sorted(groups.items())
    ]
