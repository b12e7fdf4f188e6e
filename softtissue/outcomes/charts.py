"""Progress charts as server-side SVG: the same picture in pages and, later, in PDF letters."""

from __future__ import annotations

import io

from softtissue.outcomes.services import Progress

INK = "#1d2a33"
ACCENT = "#0b6e69"
MCID_COLOUR = "#a1261b"


def mcid_target(progress: Progress) -> float | None:
    """The score the client must reach for an important improvement from baseline."""
    definition = progress.definition
    baseline = progress.baseline.score
    if definition.mcid is None or baseline is None:
        return None
    step = definition.mcid.value
    target = baseline - step if definition.direction == "higher_is_worse" else baseline + step
    return min(max(target, definition.range_min), definition.range_max)


def progress_svg(progress: Progress) -> str:
    """A line of scores over time with the MCID target from baseline drawn across it."""
    definition = progress.definition
    points = [(a.administered_at, a.score) for a in progress.administrations if a.score is not None]
    # Imported here: matplotlib is slow to import and only chart requests need it.
    from matplotlib.figure import Figure

    # Figure, not pyplot: no global state, safe in a multi-threaded server.
    figure = Figure(figsize=(6, 2.6), dpi=96, layout="constrained")
    axes = figure.add_subplot()
    if points:
        axes.plot(
            [when for when, _ in points],  # type: ignore[arg-type]  # matplotlib plots datetimes
            [value for _, value in points],
            marker="o",
            color=ACCENT,
            linewidth=2,
            label="Score",
        )
    target = mcid_target(progress)
    if target is not None and definition.mcid is not None:
        axes.axhline(
            target,
            color=MCID_COLOUR,
            linestyle="--",
            linewidth=1.2,
            label=f"Important change (MCID {definition.mcid.value:g} {definition.mcid.units})",
        )
    axes.set_ylim(definition.range_min, definition.range_max)
    better = "lower is better" if definition.direction == "higher_is_worse" else "higher is better"
    axes.set_ylabel(f"Score ({better})", color=INK, fontsize=9)
    axes.tick_params(labelsize=8, colors=INK)
    axes.legend(fontsize=8, loc="best", frameon=False)
    figure.autofmt_xdate()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    buffer = io.StringIO()
    # No creation date in the file, so the same data always gives the same SVG.
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def chart_description(progress: Progress) -> str:
    """The chart in words, for screen readers and for anyone who cannot see it."""
    scores = [f"{a.score:.1f}" for a in progress.administrations if a.score is not None]
    words = f"{progress.definition.name}: scores {', '.join(scores) or 'none scorable'}"
    target = mcid_target(progress)
    if target is not None:
        words += f"; an important improvement means reaching {target:.1f}"
    return words + "."
