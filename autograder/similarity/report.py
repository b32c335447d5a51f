"""The similarity report: a CSV of flagged pairs and an HTML page with their overlaps side by side."""

from __future__ import annotations

import csv
import html
import io

from autograder.similarity.compare import Pair, SimilarityResult

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
.note { color: #555; } table.pairs td, table.pairs th { padding: 2px 10px; text-align: left; }
.pair { margin-top: 2em; border-top: 1px solid #ccc; }
.sides { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1em; }
pre { background: #fafafa; border: 1px solid #ddd; padding: 0.5em; overflow-x: auto; font-size: 12px;
      line-height: 1.35; }
mark { background: #ffd27a; } .same { color: #222; } .other { color: #999; }
"""


def similarity_csv(result: SimilarityResult) -> str:
    """One row per flagged pair: the two ids, the score and each one's share."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["first", "second", "score", "share_of_first", "share_of_second"])
    for pair in result.flagged:
        writer.writerow([pair.first, pair.second, f"{pair.score:.3f}", f"{pair.share_first:.3f}",
                         f"{pair.share_second:.3f}"])
    return buffer.getvalue()


def similarity_html(result: SimilarityResult) -> str:
    """A page listing the flagged pairs, then each pair's two sources side by side, overlaps marked."""
    rows = "".join(f"<tr><td><a href=\"#pair-{index}\">{html.escape(pair.first)} and "
                   f"{html.escape(pair.second)}</a></td><td>{pair.score:.0%}</td></tr>"
                   for index, pair in enumerate(result.flagged))
    unreadable = "".join(f"<li>{html.escape(identity)}: {html.escape(reason)}</li>"
                         for identity, reason in sorted(result.unreadable.items()))
    title = f"Assignment {html.escape(result.assignment)}: similar submissions"
    body = [f"<h1>{title}</h1>",
            f"<p class=note>{len(result.sources)} submissions, {result.compared} pairs compared; "
            f"{_pairs(len(result.flagged))} at least {result.threshold:.0%} of one side's own code "
            "(the stub's text and comments aside; names and strings blurred, so a renamed copy still "
            "matches). A high score asks for a closer look; it is not a verdict: short tasks have few "
            "ways to be written.</p>",
            "<table class=pairs><tr><th>pair</th><th>score</th></tr>" + rows + "</table>"
            if result.flagged else "<p>No pair reaches the threshold.</p>"]
    if unreadable:
        body.append(f"<p>Not compared (could not be read):</p><ul>{unreadable}</ul>")
    body += [_pair(index, pair, result.sources) for index, pair in enumerate(result.flagged)]
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<style>{_STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def _pair(index: int, pair: Pair, sources: dict[str, str]) -> str:
    sides = "".join(
        f"<div><h3>{html.escape(identity)}: {share:.0%} of its code is shared</h3>"
        f"<pre>{_marked(sources[identity], slices)}</pre></div>"
        for identity, share, slices in ((pair.first, pair.share_first, pair.first_slices),
                                        (pair.second, pair.share_second, pair.second_slices)))
    return (f"<section class=pair id=\"pair-{index}\"><h2>{html.escape(pair.first)} and "
            f"{html.escape(pair.second)}: {pair.score:.0%}</h2><div class=sides>{sides}</div></section>")


def _marked(source: str, slices: tuple[tuple[int, int], ...]) -> str:
    """``source`` escaped, with its overlapping ranges in <mark> and line numbers on the left."""
    marked, position = [], 0
    for start, end in sorted(slices):
        start = max(start, position)
        if end <= start:
            continue
        marked.append(html.escape(source[position:start]))
        marked.append("<mark>" + html.escape(source[start:end]).replace("\n", "</mark>\n<mark>") + "</mark>")
        position = end
    marked.append(html.escape(source[position:]))
    lines = "".join(marked).split("\n")
    width = len(str(len(lines)))
    return "\n".join(f"<span class={'same' if '<mark>' in line else 'other'}>{number:>{width}}  {line}</span>"
                     for number, line in enumerate(lines, start=1))


def _pairs(count: int) -> str:
    return "1 pair shares" if count == 1 else f"{count} pairs share"
