"""Fingerprint every submission of a class and compare every pair (copydetect's winnowing)."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograder.course import Assignment
from autograder.errors import CourseError
from autograder.grading.batch import find_submissions
from autograder.grading.prepare import submission_id
from autograder.submission import load_submission

NOISE_CHARS = 25
"""copydetect's noise threshold: overlaps shorter than this many (filtered) characters are ignored."""
GUARANTEE_CHARS = 30
"""copydetect's guarantee threshold: overlaps this long are always found."""
DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class Pair:
    """Two submissions and how much of each is code they share."""

    first: str
    """Id of one submission (the first in id order)."""
    second: str
    """Id of the other."""
    share_first: float
    """Share of the first's own code (the stub's text aside) found in the second, in [0, 1]."""
    share_second: float
    """Share of the second's own code found in the first."""
    first_slices: tuple[tuple[int, int], ...]
    """Character ranges of the first's source that overlap."""
    second_slices: tuple[tuple[int, int], ...]
    """Character ranges of the second's source that overlap."""

    @property
    def score(self) -> float:
        """The larger share: a small program copied whole into a larger one counts fully."""
        return max(self.share_first, self.share_second)


@dataclass(frozen=True)
class SimilarityResult:
    """The comparison of a class."""

    assignment: str
    threshold: float
    sources: dict[str, str]
    """Each submission's source, by id (those that could be read)."""
    unreadable: dict[str, str]
    """Why a submission could not be read, by id."""
    flagged: tuple[Pair, ...]
    """Pairs at or above the threshold, highest score first."""
    compared: int
    """How many pairs were compared."""


def compare_class(folder: Path, assignment: Assignment, stub: Path,
                  threshold: float = DEFAULT_THRESHOLD) -> SimilarityResult:
    """Compare every pair of submissions in ``folder``, ignoring the text of ``stub``.

    Raises:
        CourseError: no submissions in ``folder``, or a threshold outside (0, 1].
    """
    if not 0 < threshold <= 1:
        raise CourseError(f"the threshold {threshold:g} is not a share in (0, 1]")
    sources, unreadable = _sources(find_submissions(folder, assignment), assignment)
    if len(sources) < 2:
        raise CourseError(f"{folder} holds {len(sources)} readable submissions: nothing to compare")
    boilerplate = np.array(sorted(_fingerprint("stub.py", stub.read_text(encoding="utf-8")).hashes))
    prints = {identity: _fingerprint(f"{identity}.py", source, boilerplate)
              for identity, source in sources.items()}
    flagged, compared = [], 0
    for first, second in itertools.combinations(sorted(prints), 2):
        pair = _compare(first, second, prints[first], prints[second])
        compared += 1
        if pair is not None and pair.score >= threshold:
            flagged.append(pair)
    flagged.sort(key=lambda pair: (-pair.score, pair.first, pair.second))
    return SimilarityResult(assignment.id, threshold, sources, unreadable, tuple(flagged), compared)


def _sources(paths: list[Path], assignment: Assignment) -> tuple[dict[str, str], dict[str, str]]:
    sources, unreadable = {}, {}
    for path in paths:
        try:
            sources[submission_id(path)] = load_submission(path, assignment).source
        except CourseError as error:
            unreadable[submission_id(path)] = str(error)
    return sources, unreadable


def _fingerprint(name: str, source: str, boilerplate=None):
    from copydetect import CodeFingerprint

    return CodeFingerprint(name, NOISE_CHARS, GUARANTEE_CHARS - NOISE_CHARS + 1, boilerplate=boilerplate,
                           fp=io.StringIO(source))


def _compare(first: str, second: str, first_print, second_print) -> Pair | None:
    from copydetect import compare_files

    if not len(first_print.hashes) or not len(second_print.hashes):
        return None
    overlap, (share_first, share_second), (first_slices, second_slices) = compare_files(
        first_print, second_print)
    if not overlap:
        return None
    return Pair(first, second, min(float(share_first), 1.0), min(float(share_second), 1.0),
                _ranges(first_slices), _ranges(second_slices))


def _ranges(slices) -> tuple[tuple[int, int], ...]:
    return tuple((int(start), int(end)) for start, end in zip(slices[0], slices[1], strict=True))
