"""The class report: one self-contained HTML page (plots embedded) from a class's finished reports.

Shows the score distribution, each task's mean and full-marks rate, each
hidden test's pass rate (hardest first), the most common failure messages with
how many students met each, late penalties and the slowest submissions. The
page loads nothing from anywhere: plots are PNG images inside it, so it opens
offline and can be mailed as one file. Student text is escaped.
"""

from __future__ import annotations

import base64
import io
from datetime import datetime, timezone

from autograder.export.class_stats import ClassStats, class_stats
from autograder.export.sanitize import html_text
from autograder.grading.results import GradeReport, Lateness

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ccc; }
.summary { color: #555; } .note { color: #666; font-size: 0.9em; }
table { border-collapse: collapse; margin: 0.5em 0; } th, td { padding: 3px 10px; text-align: left; }
th { background: #f0f0f0; } tr:nth-child(even) td { background: #fafafa; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
code { font-size: 0.9em; } img { max-width: 100%; }
"""


def to_class_report(reports: list[GradeReport], lateness: dict[str, Lateness] | None = None,
                    generated: datetime | None = None) -> str:
    """The class report of ``reports`` (one assignment) as one HTML page."""
    stats = class_stats(reports, lateness)
    generated = generated or datetime.now(timezone.utc)
    sections = [_summary(stats, generated), _distribution(stats), _tasks(stats), _tests(stats),
                _failures(stats), _late(stats), _slowest(stats)]
    title = f"Assignment {html_text(stats.assignment)}: class report"
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<style>{_STYLE}</style></head><body>\n<h1>{title}</h1>\n" + "\n".join(sections)
            + "\n</body></html>\n")


def _summary(stats: ClassStats, generated: datetime) -> str:
    late = sum(row.penalty > 0 for row in stats.rows)
    broken = sum(bool(row.problem) for row in stats.rows)
    return (f"<p class=\"summary\">{len(stats.rows)} submissions · final score mean {stats.mean:.2f}, "
            f"median {stats.median:.2f} of {stats.max_score:g} points · {late} with a late penalty · "
            f"{broken} with a problem that stopped some tests · generated "
            f"{generated.strftime('%Y-%m-%d %H:%M UTC')}</p>")


def _distribution(stats: ClassStats) -> str:
    import numpy as np

    figure, axes = _figure(7.5, 3.2)
    top = max(stats.max_score, 1.0)
    step = 1.0 if top <= 30 else top / 30
    bins = np.arange(0, top + step, step)
    axes.hist(stats.finals, bins=bins, color="#4477aa", edgecolor="white", label="final score")
    if any(row.penalty for row in stats.rows):
        axes.hist([row.score for row in stats.rows], bins=bins, histtype="step", color="#cc6677",
                  linewidth=1.5, label="before the late penalty")
        axes.legend(frameon=False)
    axes.set_xlabel(f"points (of {stats.max_score:g})")
    axes.set_ylabel("submissions")
    axes.yaxis.get_major_locator().set_params(integer=True)
    return f"<h2>Score distribution</h2>\n{_image(figure, 'histogram of the final scores')}"


def _tasks(stats: ClassStats) -> str:
    figure, axes = _figure(7.5, 0.45 * len(stats.tasks) + 1.0)
    names = [task.id for task in stats.tasks][::-1]
    means = [task.mean / task.max_score if task.max_score else 0 for task in stats.tasks][::-1]
    full = [task.full_marks for task in stats.tasks][::-1]
    positions = range(len(names))
    axes.barh([p + 0.2 for p in positions], means, height=0.4, color="#4477aa", label="mean share of points")
    axes.barh([p - 0.2 for p in positions], full, height=0.4, color="#ddaa33", label="full marks")
    axes.set_yticks(list(positions), names)
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(_percent())
    axes.legend(frameon=False, loc="lower right")
    rows = "".join(f"<tr><td><code>{html_text(task.id)}</code></td><td>{html_text(task.description)}</td>"
                   f"<td class=number>{task.mean:.2f} / {task.max_score:g}</td>"
                   f"<td class=number>{task.full_marks:.0%}</td></tr>" for task in stats.tasks)
    return (f"<h2>Tasks</h2>\n{_image(figure, 'mean share of points and full-marks rate per task')}\n"
            "<table><tr><th>task</th><th>what it asks</th><th class=number>mean points</th>"
            f"<th class=number>full marks</th></tr>{rows}</table>")


def _tests(stats: ClassStats) -> str:
    figure, axes = _figure(8.5, 0.28 * len(stats.tests) + 1.2)
    tests = stats.tests[::-1]
    colours = {task.id: _PALETTE[index % len(_PALETTE)] for index, task in enumerate(stats.tasks)}
    bars = axes.barh(range(len(tests)), [test.pass_rate for test in tests],
                     color=[colours.get(test.task, "#999999") for test in tests])
    axes.bar_label(bars, labels=[f"{test.pass_rate:.0%}" for test in tests], padding=3, fontsize=7)
    axes.set_yticks(range(len(tests)), [test.name.split("::")[-1] for test in tests], fontsize=8)
    axes.set_xlim(0, 1.08)
    axes.xaxis.set_major_formatter(_percent())
    axes.set_xlabel("submissions that passed")
    from matplotlib.patches import Patch

    shown = [task for task in stats.tasks if any(test.task == task.id for test in tests)]
    axes.legend(handles=[Patch(color=colours[task.id], label=task.id) for task in shown], frameon=False,
                fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    rows = "".join(f"<tr><td><code>{html_text(test.name)}</code></td><td><code>{html_text(test.task)}"
                   f"</code></td><td class=number>{test.pass_rate:.0%}</td>"
                   f"<td class=number>{test.passed} / {test.ran}</td></tr>" for test in stats.tests)
    return ("<h2>Hidden tests, hardest first</h2>\n<p class=note>A submission that could not be imported "
            "(a syntax error, say) is left out of the pass rates: it fails every test for one reason, "
            f"listed under the failures.</p>\n{_image(figure, 'pass rate of each hidden test')}\n"
            "<table><tr><th>test</th><th>task</th><th class=number>pass rate</th>"
            f"<th class=number>passed / ran</th></tr>{rows}</table>")


_PALETTE = ("#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#bbbbbb", "#332288",
            "#117733", "#882255", "#44aa99", "#999933")


def _failures(stats: ClassStats) -> str:
    if not stats.failures:
        return "<h2>Most common failures</h2>\n<p>No test failed.</p>"
    rows = "".join(f"<tr><td class=number>{len(failure.students)}</td><td>{html_text(failure.message)}</td>"
                   f"<td>{html_text(_names(failure.students))}</td></tr>" for failure in stats.failures)
    return ("<h2>Most common failures</h2>\n<p class=note>Messages that differ only in their numbers are "
            "counted together; each student counts once per message.</p>\n<table><tr>"
            f"<th class=number>students</th><th>message (first seen)</th><th>who</th></tr>{rows}</table>")


def _late(stats: ClassStats) -> str:
    late = [row for row in stats.rows if row.penalty > 0]
    if not late:
        return "<h2>Late submissions</h2>\n<p>None lost points for lateness.</p>"
    rows = "".join(f"<tr><td>{html_text(row.id)}</td><td class=number>{row.days_late}</td>"
                   f"<td class=number>{row.score:g}</td><td class=number>−{row.penalty:g}</td>"
                   f"<td class=number>{row.final:g}</td></tr>" for row in late)
    return ("<h2>Late submissions</h2>\n<table><tr><th>submission</th><th class=number>days late</th>"
            "<th class=number>raw score</th><th class=number>penalty</th>"
            f"<th class=number>final score</th></tr>{rows}</table>")


def _slowest(stats: ClassStats) -> str:
    rows = "".join(f"<tr><td>{html_text(row.id)}</td><td class=number>{row.duration_s:.1f} s</td>"
                   f"<td class=number>{row.final:g} / {row.max_score:g}</td></tr>" for row in stats.slowest)
    return ("<h2>Slowest submissions</h2>\n<table><tr><th>submission</th><th class=number>grading time"
            f"</th><th class=number>final score</th></tr>{rows}</table>")


def _names(students: tuple[str, ...], shown: int = 8) -> str:
    more = len(students) - shown
    return ", ".join(students[:shown]) + (f" and {more} more" if more > 0 else "")


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    axes = figure.subplots()
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _percent():
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1)


def _image(figure, description: str) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"<img alt=\"{html_text(description)}\" src=\"data:image/png;base64,{encoded}\">"
