"""The attack corpus graded in one batch, with what the attacks aim at laid out around it.

Attacks are graded the way a class is, one grading session per group (an
assignment, and the time limits the group's attacks ask for), each group with
the assignment's reference beside the attacks: a batch that harms the grader
shows in the reference's score too.
"""

from __future__ import annotations

import contextlib
import faulthandler
import fcntl
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from autograder.export import to_json
from autograder.grading.results import GradeReport
from tests.course_under_test import COURSE, LAYOUT
from tests.grader.attack_observers import (
    ATTACKS,
    CANARY,
    CANARY_MTIME_NS,
    OUT,
    Listeners,
    become_subreaper,
    canary_state,
    checkout_files,
    forged_files,
    git_files,
    grader_state,
    processes,
    survivors,
)
from tests.grader.corpus import grade_corpus

MANIFEST: dict[str, dict] = yaml.safe_load((ATTACKS / "attacks.yml").read_text())
TIME_LIMIT_S = 30.0  # per call: what one hanging call costs (a loaded machine needs the room)
BUDGET_S = 240.0  # per attack: what a submission that keeps sleeping can cost the batch
HANG_S = 1200  # one group taking this long means an attack hung the grader: end the run
TURN_LOCK = Path("/tmp/autograder-attacks.lock")
"""Held while a batch runs: the attacks aim at fixed places on the machine (the canary, the out
folder, the listeners' port), so two test runs on one machine take turns at the batch."""


def attack_path(name: str) -> Path:
    """The file or folder an attack is: ``file`` in its entry, else ``<name>.py``."""
    return ATTACKS / MANIFEST[name].get("file", f"{name}.py")


@dataclass
class Batch:
    """Everything the attack tests look at, gathered while grading the corpus once."""

    reports: dict[str, GradeReport] = field(default_factory=dict)
    references: dict[str, GradeReport] = field(default_factory=dict)
    """The reference of each group, graded in the same session as the attacks, by group name."""
    raised: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    checkout_before: dict = field(default_factory=dict)
    checkout_after: dict = field(default_factory=dict)
    git_before: dict[str, str] | None = None
    git_after: dict[str, str] | None = None
    forged: list[Path] = field(default_factory=list)
    canary_before: tuple = ()
    canary_after: tuple = ()
    survivors: list[str] = field(default_factory=list)
    reached: list[str] = field(default_factory=list)
    unavailable_listeners: list[str] = field(default_factory=list)
    grader_before: dict = field(default_factory=dict)
    grader_after: dict = field(default_factory=dict)
    leaked_output_bytes: int = 0
    out_files: dict[str, str] = field(default_factory=dict)


def _lay_out_targets() -> None:
    CANARY.unlink(missing_ok=True)
    CANARY.write_text("canary\n")
    CANARY.chmod(0o644)
    os.utime(CANARY, ns=(CANARY_MTIME_NS, CANARY_MTIME_NS))
    if OUT.exists():
        for stale in OUT.iterdir():
            stale.unlink()
    OUT.mkdir(exist_ok=True)


def _clean_up(forged: list[Path]) -> None:
    for path in forged:
        path.unlink(missing_ok=True)
    CANARY.unlink(missing_ok=True)
    if OUT.exists():
        for report in OUT.iterdir():
            report.unlink()
        OUT.rmdir()


@contextlib.contextmanager
def _our_turn():
    """Wait until no other run on this machine is grading the attack batch."""
    with TURN_LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def grade_the_corpus() -> Batch:
    """Grade every attack, with the references beside them, and observe around it, one run at a time."""
    with _our_turn():
        return _grade_and_observe()


def _grade_and_observe() -> Batch:
    from autograder.sandbox.check import available_protections, missing_protections
    from autograder.sandbox.forkserver import modules_to_preload, warm_up

    # One forkserver for the whole batch, preloading what every group's assignment needs: a later
    # group then never replaces it, and a forkserver that changes is one an attack brought down.
    warm_up(sorted({module for assignment, _, _ in groups()
                    for module in modules_to_preload(LAYOUT.solution(COURSE.assignment(assignment)))}))
    missing = missing_protections(available_protections())
    if missing:
        pytest.skip(f"the attack corpus needs the full sandbox; not available here: {'; '.join(missing)}")
    import sklearn  # noqa: F401 - the references of 03 and 04 import it in the grader; it sets KMP_* variables

    become_subreaper()
    result = Batch()
    _lay_out_targets()
    result.canary_before = canary_state()
    result.checkout_before, result.git_before = checkout_files(), git_files()
    processes_before = processes()
    listeners = Listeners()
    result.unavailable_listeners = listeners.unavailable
    result.grader_before = grader_state()
    leaked = tempfile.TemporaryFile()
    saved_fds = [os.dup(1), os.dup(2)]
    real_stderr = open(saved_fds[1], "w", closefd=False)  # noqa: SIM115 - closed below
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(leaked.fileno(), 1)
    os.dup2(leaked.fileno(), 2)
    try:
        for group, names in groups().items():
            _grade_the_group(group, names, result, real_stderr)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved_fds[0], 1)
        os.dup2(saved_fds[1], 2)
        real_stderr.close()
        for fd in saved_fds:
            os.close(fd)
        result.leaked_output_bytes = os.fstat(leaked.fileno()).st_size
        leaked.close()
        listeners.close()
        result.grader_after = grader_state()
    time.sleep(0.5)  # let the last killed processes be reaped
    result.survivors = survivors(processes_before, processes())
    result.reached = listeners.reached
    result.canary_after = canary_state()
    result.checkout_after, result.git_after = checkout_files(), git_files()
    result.out_files = {path.name: path.read_text() for path in OUT.iterdir() if path.is_file()}
    result.forged = forged_files()
    _clean_up(result.forged)
    sys.stderr.write(f"\nattack batch: {sum(result.seconds.values()):.0f} s {result.seconds}\n")
    return result


def groups() -> dict[tuple[str, float, float], list[str]]:
    """Attacks by (assignment, call time limit, submission budget): each group is one session."""
    found: dict[tuple[str, float, float], list[str]] = {}
    for name, entry in MANIFEST.items():
        key = (entry["assignment"], entry.get("time_limit_s", TIME_LIMIT_S), entry.get("budget_s", BUDGET_S))
        found.setdefault(key, []).append(name)
    return found


def _grade_the_group(group: tuple[str, float, float], names: list[str], result: Batch,
                     real_stderr) -> None:
    """Grade a group of attacks and the reference as one class; a hang ends the run loudly."""
    assignment, time_limit, budget = group
    course = COURSE.model_copy(update={"time_limit_s": time_limit, "budget_s": budget})
    reference = LAYOUT.solutions(assignment)  # its id is the folder's name, NN: no attack is named so
    faulthandler.dump_traceback_later(HANG_S, exit=True, file=real_stderr)
    try:
        reports = grade_corpus(assignment, [attack_path(name) for name in names] + [reference],
                               course=course)
    except BaseException as error:  # noqa: BLE001 - whatever escapes grading is a finding
        result.raised.update({name: f"{type(error).__name__}: {str(error)[:300]}" for name in names})
        return
    finally:
        faulthandler.cancel_dump_traceback_later()
    result.references[f"{assignment} ({time_limit:g} s per call)"] = reports[assignment]
    for name in names:
        result.reports[name] = reports[name]
        result.seconds[name] = reports[name].duration_s
        (OUT / f"{name}.json").write_text(to_json(reports[name]))
