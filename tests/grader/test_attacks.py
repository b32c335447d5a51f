"""The attack corpus of tests/attacks, graded sandboxed in one batch: no attack beats its honest score.

One fixture grades every attack in tests/attacks/attacks.yml once per module
(``--dist loadscope`` keeps the module on one xdist worker), group by group
the way a class is graded, each group beside its assignment's reference, with
what an attack aims at laid out around it (a canary file, an output folder,
listening sockets) and the state of the checkout, the processes this test
process starts and this grader process recorded before and after
(tests/grader/attack_batch.py). Each attack then gets a test of its report,
and the batch tests of what must not happen: a changed checkout, a forged
file, a touched canary, a surviving process, a connection that got out, a
grader whose signals, timers or modules changed, a forkserver or resource
tracker that had to be restarted, a reference that lost points, a report
whose student text breaks out of its place, a gradebook file overwritten, an
attack that held its grading slot past its budget.

An attack marked ``known_hole`` in attacks.yml currently wins: its test, and
the batch checks it ``breaks``, are strict xfails, so the hole stays visible
and fixing it turns them into failures until the mark is removed.
"""

from __future__ import annotations

import json
import warnings
import xml.etree.ElementTree as ET

import pytest

from autograder.export import FORMATS, to_json
from autograder.export.gradebook import write_gradebook
from tests.course_under_test import COURSE
from tests.grader.attack_batch import BUDGET_S, MANIFEST, TIME_LIMIT_S, Batch, grade_the_corpus
from tests.grader.attack_observers import ATTACKS, CANARY, OUT

MAX_FEEDBACK_CHARS = 20_000  # one test's feedback; a report stays readable
_CONTROL = {chr(code) for code in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0))}


@pytest.fixture(scope="module")
def batch() -> Batch:
    """The corpus graded once for this module (--dist loadscope keeps the module on one worker)."""
    return grade_the_corpus()


def _known(check: str) -> list[str]:
    """The known holes (attack: reason) that make a batch-level check fail."""
    return [f"{name}: {entry['known_hole']}" for name, entry in MANIFEST.items()
            if "known_hole" in entry and check in entry.get("breaks", [])]


def _expect_known_holes(request: pytest.FixtureRequest, check: str) -> None:
    holes = _known(check)
    if holes:
        request.node.add_marker(pytest.mark.xfail(reason="; ".join(holes), strict=True))


# ---------------------------------------------------------------- per attack


def _attack_params():
    for name, entry in MANIFEST.items():
        marks = ()
        if "known_hole" in entry:
            marks = pytest.mark.xfail(reason=f"known hole: {entry['known_hole']}", strict=True)
        yield pytest.param(name, marks=marks, id=name)


def test_the_manifest_matches_the_attack_files():
    on_disk = {path.name for path in ATTACKS.iterdir()} - {"attacks.yml", "__pycache__"}
    declared = {entry.get("file", f"{name}.py") for name, entry in MANIFEST.items()}
    assert on_disk == declared, (
        f"attacks.yml and tests/attacks disagree: files without an entry {sorted(on_disk - declared)}, "
        f"entries without a file {sorted(declared - on_disk)}")
    for name, entry in MANIFEST.items():
        assignment = COURSE.assignment(entry["assignment"])
        task_ids = {task.id for task in assignment.tasks}
        assert set(entry.get("tasks_zero", [])) <= task_ids, f"{name}: tasks_zero names unknown tasks"
        assert 0 <= entry["honest_score"] <= sum(task.points for task in assignment.tasks), (
            f"{name}: honest_score out of range")
        assert entry.get("what"), f"{name}: say what the attack does"


@pytest.mark.parametrize("name", list(_attack_params()))
def test_the_attack_gets_no_more_than_its_honest_score(batch, name):
    entry = MANIFEST[name]
    assert name not in batch.raised, f"grading {name} raised instead of reporting: {batch.raised[name]}"
    report = batch.reports[name]
    assignment = COURSE.assignment(entry["assignment"])
    assert [task.id for task in report.tasks] == [task.id for task in assignment.tasks], (
        f"{name}: the report should hold every task of assignment {assignment.id}")
    if "refused" in entry:  # not graded at all: the report says why
        assert report.score == 0 and any(entry["refused"] in error for error in report.errors), (
            f"{name}: expected a refusal saying {entry['refused']!r}, got {report.errors}")
        return
    for task in report.tasks:
        assert task.tests, f"{name}: {task.id} has no test results"
        for test in task.tests:
            assert test.status != "skipped", f"{name}: {test.name} was skipped, which drops its share"
            assert len(test.feedback) <= MAX_FEEDBACK_CHARS, (
                f"{name}: the feedback of {test.name} is {len(test.feedback):,} characters long")
    honest = entry["honest_score"]
    assert report.score <= honest + 1e-9, f"{name} scored {report.score}, above its honest {honest}"
    assert entry.get("costs_itself") or report.score == pytest.approx(honest, abs=1e-9), (
        f"{name} scored {report.score}, expected exactly {honest}: "
        + "; ".join(f"{test.name}: {test.status}" for task in report.tasks for test in task.tests
                    if test.status != "passed"))
    scores = {task.id: task.score for task in report.tasks}
    assert all(scores[task_id] == 0 for task_id in entry.get("tasks_zero", [])), (
        f"{name}: these tasks must score 0: "
        f"{ {task_id: scores[task_id] for task_id in entry.get('tasks_zero', [])} }")


# ---------------------------------------------------------------- the batch as a whole


def test_every_attack_was_graded_and_reported(batch):
    assert set(batch.reports) | set(batch.raised) == set(MANIFEST)
    reported = {name.removesuffix(".json") for name in batch.out_files}
    assert reported == set(batch.reports), "every report the batch wrote is in the out folder, and only those"


def test_the_reports_in_the_out_folder_are_the_batchs_own(batch):
    for name, report in batch.reports.items():
        assert batch.out_files[f"{name}.json"] == to_json(report), f"{OUT}/{name}.json was changed"


def test_the_checkout_is_unchanged(batch, request):
    _expect_known_holes(request, "checkout")
    if batch.git_before is not None:
        before, after = batch.git_before, batch.git_after
        changed = sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
        assert not changed, f"tracked or untracked files appeared, vanished or changed: {changed[:20]}"
    before, after = batch.checkout_before, batch.checkout_after
    changed = sorted(path for path in set(before) | set(after) if before.get(path) != after.get(path))
    assert not changed, f"files of the checkout appeared, vanished or changed: {changed[:20]}"


def test_no_forged_file_exists(batch, request):
    _expect_known_holes(request, "forged_files")
    assert not batch.forged, f"forged files found (now removed): {[str(path) for path in batch.forged]}"


def test_the_canary_outside_the_sandbox_is_untouched(batch, request):
    _expect_known_holes(request, "canary")
    assert batch.canary_after == batch.canary_before, (
        f"{CANARY} (mode, mtime, xattrs, content) went from {batch.canary_before} to {batch.canary_after}")


def test_no_process_started_by_an_attack_survives(batch, request):
    _expect_known_holes(request, "processes")
    assert not batch.survivors, f"processes left behind by the attacks: {batch.survivors}"


def test_nothing_reached_the_listening_sockets(batch, request):
    if batch.unavailable_listeners:
        warnings.warn(f"could not listen on {batch.unavailable_listeners} (in use?): not checked",
                      stacklevel=1)
    _expect_known_holes(request, "listeners")
    assert not batch.reached, f"connections or datagrams from the attacks: {batch.reached}"


def test_the_grader_process_is_unharmed(batch, request):
    _expect_known_holes(request, "grader")
    before, after = batch.grader_before, batch.grader_after
    assert after["pid"] == before["pid"]
    assert after["forkserver"] == before["forkserver"], "the forkserver was lost and restarted"
    assert after["resource tracker"] == before["resource tracker"], "the resource tracker was restarted"
    assert after["cwd"] == before["cwd"], "the grader's working folder changed"
    environ_changes = {key for key in set(before["environ"]) | set(after["environ"])
                       if before["environ"].get(key) != after["environ"].get(key)
                       and key != "PYTEST_CURRENT_TEST"
                       and not (key.startswith("TORCH") and key not in before["environ"])}
    assert not environ_changes, f"the grader's environment changed: {sorted(environ_changes)}"
    changed = {number: (before["handlers"].get(number), handler)
               for number, handler in after["handlers"].items() if before["handlers"].get(number) != handler}
    assert not changed, f"signal handlers of the grader changed: {changed}"
    assert after["timer"] == (0.0, 0.0), f"a timer was left pending: {after['timer']}"
    assert after["student_modules"] == before["student_modules"], (
        "sandboxed grading imported a submission into the grader: "
        f"{sorted(after['student_modules'] - before['student_modules'])}")
    assert not [error for error in batch.raised.values()
                if error.startswith(("SystemExit", "KeyboardInterrupt"))], "an exit reached the grader"
    assert batch.leaked_output_bytes < 2**20, (
        f"{batch.leaked_output_bytes:,} bytes of output reached the grader's stdout and stderr")


def test_every_reference_graded_beside_the_attacks_keeps_full_marks(batch):
    assert batch.references, "each group is graded with its reference"
    lost = {group: report.score for group, report in batch.references.items()
            if report.score != report.max_score or report.errors}
    assert not lost, f"references lost points beside the attacks: {lost}"


def _render_everything(report) -> dict[str, str]:
    return {name: render(report) for name, render in FORMATS.items()}


def test_student_text_stays_in_its_place_in_every_format(batch):
    """Can no message forge a heading, escape the terminal, or close the XML around it?"""
    for name, report in batch.reports.items():
        rendered = _render_everything(report)
        for format_name, text in rendered.items():
            controls = sorted({repr(char) for char in text if char in _CONTROL})
            assert not controls, f"{name}: the {format_name} report holds control characters {controls}"
        headings = [line for line in rendered["markdown"].splitlines() if line.startswith("#")]
        ours = ("### What to fix", *(f"#### `{task.id}`" for task in report.tasks))
        assert headings[0].startswith(f"## Assignment {report.assignment}") and all(
            heading.startswith(ours) for heading in headings[1:]), f"{name}: Markdown headings {headings}"
        suites = ET.fromstring(rendered["junit"])
        cases = sum(len(task.tests) + len(task.violations) for task in report.tasks)
        assert len(suites.findall(".//testcase")) == cases, f"{name}: JUnit test cases were forged"
        assert json.loads(rendered["gradescope"])["score"] == report.score


def test_the_gradebook_of_the_batch_keeps_every_report_in_its_place(batch, tmp_path):
    """Do submissions called grades, grades.csv or submissions leave the class files alone?"""
    reports = list(batch.reports.values())
    write_gradebook(reports, tmp_path)
    listed = json.loads((tmp_path / "grades.json").read_text())
    assert sorted(entry["id"] for entry in listed) == sorted(report.submission_id for report in reports)
    for report in reports:
        own = tmp_path / "submissions" / f"{report.submission_id}.json"
        assert own.read_text() == to_json(report), f"{own} is not {report.submission_id}'s own report"
    assert (tmp_path / "grades.csv").read_text().count("\n") == len(reports) + 1


def test_a_slow_attack_is_stopped_at_its_budget(batch):
    """Does a submission that sleeps or spins hold its grading slot no longer than its budget allows?"""
    for name, entry in MANIFEST.items():
        budget = entry.get("budget_s", BUDGET_S)
        allowed = budget + 2 * entry.get("time_limit_s", TIME_LIMIT_S) + 30  # the last call, and starting
        assert batch.seconds.get(name, 0) <= allowed, (
            f"{name} took {batch.seconds[name]:.0f} s, over its budget of {budget:g} s")
