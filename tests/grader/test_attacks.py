"""The attack corpus of tests/attacks, graded sandboxed in one batch: no attack beats its honest score.

One fixture grades every attack in tests/attacks/attacks.yml once per module
(``--dist loadscope`` keeps the module on one xdist worker), the attacks of
each assignment as one class, the way a class is graded, with what an attack
aims at laid out around it (a canary file, an output folder, listening
sockets) and the state of the checkout, the processes this test process
starts and this grader process recorded before and after. Each attack then
gets a test of its report, and the batch tests of what must not happen: a
changed checkout, a forged file, a touched canary, a surviving process, a
connection that got out, a grader whose signals, timers or modules changed, a
forkserver or resource tracker that had to be restarted.

An attack marked ``known_hole`` in attacks.yml currently wins: its test, and
the batch checks it ``breaks``, are strict xfails, so the hole stays visible
and fixing it turns them into failures until the mark is removed.
"""

from __future__ import annotations

import ctypes
import faulthandler
import hashlib
import multiprocessing.forkserver
import multiprocessing.resource_tracker
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from autograder.export import to_json
from autograder.grading.results import GradeReport
from tests.course_under_test import COURSE, LAYOUT
from tests.grader.corpus import grade_corpus

PROJECT_ROOT = LAYOUT.root
ATTACKS = LAYOUT.attacks
MANIFEST: dict[str, dict] = yaml.safe_load((ATTACKS / "attacks.yml").read_text())

# Shared with the attack files (see attacks.yml).
CANARY = Path("/tmp/autograder-attack-canary.txt")
OUT = Path("/tmp/autograder-attacks-out")
PORT = 47613
ABSTRACT_SOCKET = "\0autograder-attacks-47613"
PATH_SOCKET = Path("/tmp/autograder-attacks-47613.sock")
MARK = "FORGED-BY-ATTACK"
PROCESS_PREFIX = "atk-"

TIME_LIMIT_S = 30.0  # per call: what one hanging call costs (a loaded machine needs the room)
BUDGET_S = 240.0  # per attack: what a submission that keeps sleeping can cost the batch
HANG_S = 1200  # one assignment's attacks taking this long means an attack hung the grader: end the run
_PR_SET_CHILD_SUBREAPER = 36
MAX_FEEDBACK_CHARS = 20_000  # one test's feedback; a report stays readable
CANARY_MTIME_NS = 1_700_000_000 * 10**9
IGNORED_FOLDERS = {".git", "__pycache__", ".hypothesis", ".pytest_cache", ".ruff_cache"}


# ---------------------------------------------------------------- what the batch observes


def _checkout_files() -> dict[str, tuple]:
    """(size, mtime, mode, xattrs) of every file in the checkout, caches aside."""
    files = {}
    for folder, subfolders, names in os.walk(PROJECT_ROOT):
        subfolders[:] = [name for name in subfolders if name not in IGNORED_FOLDERS]
        for name in names:
            path = os.path.join(folder, name)
            try:
                status = os.lstat(path)
                xattrs = tuple(sorted(os.listxattr(path, follow_symlinks=False)))
            except OSError:
                continue
            files[os.path.relpath(path, PROJECT_ROOT)] = (status.st_size, status.st_mtime_ns,
                                                          status.st_mode, xattrs)
    return files


def _git_files() -> dict[str, str] | None:
    """sha256 of every tracked and untracked (not ignored) file; a commit made meanwhile changes nothing."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=PROJECT_ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    hashes = {}
    for name in sorted(set(listed.decode().split("\0")) - {""}):
        try:
            hashes[name] = hashlib.sha256((PROJECT_ROOT / name).read_bytes()).hexdigest()
        except OSError as error:
            hashes[name] = f"unreadable: {error.strerror}"
    return hashes


def _canary_state() -> tuple:
    try:
        status = os.stat(CANARY)
        return oct(status.st_mode), status.st_mtime_ns, tuple(os.listxattr(CANARY)), CANARY.read_text()
    except OSError as error:
        return (f"unreadable: {error}",)


def _processes() -> dict[int, dict]:
    """pid -> comm, ppid, start time (clock ticks) and executable of every process."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] == "Z":  # dead, waiting to be reaped: not a survivor
            _reap(int(entry.name))
            continue
        try:
            exe = os.readlink(os.path.join(entry.path, "exe"))
        except OSError:
            exe = ""
        found[int(entry.name)] = {"comm": comm, "ppid": int(fields[1]), "start": int(fields[19]),
                                  "exe": exe}
    return found


def _become_subreaper() -> None:
    """Orphans among this process's descendants are re-parented here, not to init: still ours."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _helpers_of_this_process() -> set[int]:
    """The forkserver and resource tracker: started by grading, meant to outlive it."""
    helpers = {getattr(multiprocessing.forkserver._forkserver, "_forkserver_pid", None),
               getattr(multiprocessing.resource_tracker._resource_tracker, "_pid", None)}
    return {pid for pid in helpers if pid}


def _reap(pid: int) -> None:
    """Collect a dead child (orphans are re-parented to this process while it is a subreaper)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def _survivors(before: dict[int, dict], after: dict[int, dict]) -> list[str]:
    """Processes started during the batch below this process and still alive (helpers aside)."""
    me, helpers = os.getpid(), _helpers_of_this_process()

    def descends_from_me(pid: int) -> bool:
        seen = set()
        while pid in after and pid not in seen:
            seen.add(pid)
            pid = after[pid]["ppid"]
            if pid == me:
                return True
        return False

    return [f"{pid} {info['comm']} (parent {info['ppid']}, {info['exe']})"
            for pid, info in after.items()
            if pid not in helpers and not (pid in before and before[pid]["start"] == info["start"])
            and (descends_from_me(pid) or info["comm"].startswith(PROCESS_PREFIX))]


def _forged_files() -> list[Path]:
    """Files an attack may have planted: FORGED_* names, or the marker in a small file, where attacks aim."""
    folders = [PROJECT_ROOT, PROJECT_ROOT.parent, Path(tempfile.gettempdir()), Path("/tmp"), OUT,
               Path("/autograder/results"), Path.home()]
    folders += [PROJECT_ROOT / "tests" / "hidden" / assignment for assignment in ("01", "02")]
    folders += [PROJECT_ROOT / "solutions" / assignment for assignment in ("01", "02")]
    folders += [PROJECT_ROOT / "autograder", ATTACKS, ATTACKS.parent]
    found = []
    for folder in dict.fromkeys(folders):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not entry.is_file(follow_symlinks=False):
                continue
            if entry.name.startswith("FORGED") or entry.name in ("results.json", "forge_results.json",
                                                                 "conftest.py"):
                try:
                    with open(entry.path, errors="replace") as candidate:
                        planted = entry.name.startswith("FORGED") or MARK in candidate.read(4096)
                except OSError:
                    continue
                if planted:
                    found.append(Path(entry.path))
    return found


class _Listeners:
    """TCP and UDP on 127.0.0.1:PORT and two Unix sockets, recording whatever reaches them."""

    def __init__(self):
        self.reached: list[str] = []
        self.unavailable: list[str] = []
        self._stop = threading.Event()
        self._threads = []
        PATH_SOCKET.unlink(missing_ok=True)
        specs = [("tcp", socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", PORT)),
                 ("udp", socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", PORT)),
                 ("abstract unix", socket.AF_UNIX, socket.SOCK_STREAM, ABSTRACT_SOCKET),
                 ("pathname unix", socket.AF_UNIX, socket.SOCK_STREAM, str(PATH_SOCKET))]
        for name, family, kind, address in specs:
            listener = socket.socket(family, kind)
            try:
                listener.bind(address)
                if kind == socket.SOCK_STREAM:
                    listener.listen()
            except OSError:
                self.unavailable.append(name)
                listener.close()
                continue
            listener.settimeout(0.1)
            thread = threading.Thread(target=self._serve, args=(name, listener), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, name: str, listener: socket.socket) -> None:
        with listener:
            while not self._stop.is_set():
                try:
                    if listener.type == socket.SOCK_DGRAM:
                        data, _ = listener.recvfrom(256)
                    else:
                        connection, _ = listener.accept()
                        with connection:
                            connection.settimeout(0.5)
                            try:
                                data = connection.recv(256)
                            except OSError:
                                data = b""
                    self.reached.append(f"{name}: {data[:40]!r}")
                except OSError:
                    continue

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()
        PATH_SOCKET.unlink(missing_ok=True)


def _student_modules() -> set[str]:
    """Modules imported from a file by the autograder (its ``_submission_`` names), the references aside."""
    solutions = PROJECT_ROOT / "solutions"
    return {f"{name} ({module.__file__})" for name, module in list(sys.modules.items())
            if name.startswith("_submission_") and module is not None
            and solutions not in Path(getattr(module, "__file__", None) or "/").resolve().parents}


def _grader_state() -> dict:
    handlers = {}
    for number in signal.valid_signals():
        try:
            handlers[int(number)] = repr(signal.getsignal(number))
        except (OSError, ValueError):
            continue
    return {
        "forkserver": multiprocessing.forkserver._forkserver._forkserver_pid,
        "resource tracker": multiprocessing.resource_tracker._resource_tracker._pid,
        "pid": os.getpid(),
        "cwd": os.getcwd(),
        "environ": dict(os.environ),
        "handlers": handlers,
        "timer": signal.getitimer(signal.ITIMER_REAL),
        "student_modules": _student_modules(),
    }


# ---------------------------------------------------------------- the batch


@dataclass
class Batch:
    """Everything the attack tests look at, gathered while grading the corpus once."""

    reports: dict[str, GradeReport] = field(default_factory=dict)
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


@pytest.fixture(scope="module")
def batch() -> Batch:
    """The corpus graded once for this module (--dist loadscope keeps the module on one worker)."""
    return _grade_the_corpus()


def _grade_the_corpus() -> Batch:
    from autograder.sandbox.check import available_protections, missing_protections

    missing = missing_protections(available_protections())  # also starts the forkserver
    if missing:
        pytest.skip(f"the attack corpus needs the full sandbox; not available here: {'; '.join(missing)}")
    course = COURSE.model_copy(update={"time_limit_s": TIME_LIMIT_S, "budget_s": BUDGET_S})
    _become_subreaper()
    result = Batch()
    _lay_out_targets()
    result.canary_before = _canary_state()
    result.checkout_before, result.git_before = _checkout_files(), _git_files()
    processes_before = _processes()
    listeners = _Listeners()
    result.unavailable_listeners = listeners.unavailable
    result.grader_before = _grader_state()
    leaked = tempfile.TemporaryFile()
    saved_fds = [os.dup(1), os.dup(2)]
    real_stderr = open(saved_fds[1], "w", closefd=False)  # noqa: SIM115 - closed below
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(leaked.fileno(), 1)
    os.dup2(leaked.fileno(), 2)
    try:
        for assignment in sorted({entry["assignment"] for entry in MANIFEST.values()}):
            _grade_the_attacks_of(assignment, course, result, real_stderr)
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
        result.grader_after = _grader_state()
    time.sleep(0.5)  # let the last killed processes be reaped
    result.survivors = _survivors(processes_before, _processes())
    result.reached = listeners.reached
    result.canary_after = _canary_state()
    result.checkout_after, result.git_after = _checkout_files(), _git_files()
    result.out_files = {path.name: path.read_text() for path in OUT.iterdir() if path.is_file()}
    result.forged = _forged_files()
    _clean_up(result.forged)
    sys.stderr.write(f"\nattack batch: {sum(result.seconds.values()):.0f} s {result.seconds}\n")
    return result


def _grade_the_attacks_of(assignment: str, course, result: Batch, real_stderr) -> None:
    """Grade the attacks of one assignment as one class; a hang ends the run loudly."""
    names = [name for name, entry in MANIFEST.items() if entry["assignment"] == assignment]
    faulthandler.dump_traceback_later(HANG_S, exit=True, file=real_stderr)
    try:
        reports = grade_corpus(assignment, [ATTACKS / f"{name}.py" for name in names], course=course)
    except BaseException as error:  # noqa: BLE001 - whatever escapes grading is a finding
        result.raised.update({name: f"{type(error).__name__}: {str(error)[:300]}" for name in names})
        return
    finally:
        faulthandler.cancel_dump_traceback_later()
    for name in names:
        result.reports[name] = reports[name]
        result.seconds[name] = reports[name].duration_s
        (OUT / f"{name}.json").write_text(to_json(reports[name]))


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
    files = {path.stem for path in ATTACKS.glob("*.py")}
    assert files == set(MANIFEST), (
        f"attacks.yml and tests/attacks disagree: files without an entry {sorted(files - set(MANIFEST))}, "
        f"entries without a file {sorted(set(MANIFEST) - files)}")
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
    for task in report.tasks:
        assert task.tests, f"{name}: {task.id} has no test results"
        for test in task.tests:
            assert test.status != "skipped", f"{name}: {test.name} was skipped, which drops its share"
            assert len(test.feedback) <= MAX_FEEDBACK_CHARS, (
                f"{name}: the feedback of {test.name} is {len(test.feedback):,} characters long")
    honest = entry["honest_score"]
    assert report.score <= honest + 1e-9, f"{name} scored {report.score}, above its honest {honest}"
    assert report.score == pytest.approx(honest, abs=1e-9), (
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
