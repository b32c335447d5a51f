"""The static checks of an untrusted source, run in a helper process with bounded memory and time.

Parsing is not free: a few megabytes of source can take gigabytes and a
minute to turn into a syntax tree. So the source's size is checked first
(course.yml ``sandbox.source_kb``), and the compiling and the API-policy check
(:mod:`autograder.grading.policy`) run in a child of the forkserver with an
address-space and CPU limit, under a wall-time limit; what comes back is JSON.
If the helper runs out, the submission is still graded: the report says the
static check could not be made, and the run-time check still applies.
"""

from __future__ import annotations

import json
import re
import resource
from multiprocessing.connection import Connection

from autograder.course import Assignment
from autograder.grading.policy import check_source
from autograder.sandbox.transport import forkserver_context, main_module_hidden
from autograder.submission import too_large

MEMORY_MB = 1024
"""Address space the helper may add to what it maps at the start."""
SECONDS = 30
"""CPU and wall time of the helper."""
_MAX_RESULT_BYTES = 8 * 2**20
_CODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_UTF8 = {"utf-8", "utf8", "utf_8", "utf-8-sig", "utf_8_sig"}


def check_source_safely(source: str, assignment: Assignment, module_name: str,
                        max_bytes: int) -> tuple[list[str], dict[str, list[str]]]:
    """(errors for the whole submission, API-policy violations per task id) of ``source``."""
    size = len(source.encode("utf-8"))
    if size > max_bytes:
        return [too_large(module_name, size, max_bytes)], {}
    notes = encoding_notes(source, module_name)
    context = forkserver_context()
    receiver, sender = context.Pipe(duplex=False)
    helper = context.Process(target=_check, args=(sender, source, assignment, module_name),
                             daemon=True)
    with main_module_hidden():
        helper.start()
    sender.close()
    try:
        if not receiver.poll(SECONDS):
            raise EOFError
        result = json.loads(receiver.recv_bytes(maxlength=_MAX_RESULT_BYTES))
    except (EOFError, OSError):
        return notes + [f"{module_name} could not be checked for the API policy within {MEMORY_MB} MB "
                        f"and {SECONDS} s; the run-time check still applies"], {}
    finally:
        receiver.close()
        if helper.is_alive():
            helper.kill()
        helper.join()
    return notes + result["errors"], result["violations"]


def encoding_notes(source: str, module_name: str) -> list[str]:
    """A line for a coding declaration other than UTF-8: it has no effect on grading."""
    for number, line in enumerate(source.splitlines()[:2], start=1):
        declared = _CODING.match(line)
        if declared and declared.group(1).lower() not in _UTF8:
            return [f"{module_name} line {number} declares the encoding {declared.group(1)}: "
                    "submissions are read and run as UTF-8, so it was ignored"]
    return []


def _check(connection: Connection, source: str, assignment: Assignment, module_name: str) -> None:
    """The helper's body: limit itself, compile, check the policy, send JSON back."""
    with open("/proc/self/statm") as statm:
        mapped = int(statm.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (mapped + MEMORY_MB * 2**20,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS))
    errors, violations = static_checks(source, assignment, module_name)
    connection.send_bytes(json.dumps({"errors": errors, "violations": violations}).encode())
    connection.close()


def static_checks(source: str, assignment: Assignment, module_name: str):
    """Syntax errors (reported once, for the whole submission) and API-policy violations."""
    try:
        compile(source, module_name, "exec", dont_inherit=True)
    except SyntaxError as error:
        return [f"{module_name} line {error.lineno}: syntax error: {error.msg}"], {}
    except (RecursionError, MemoryError, ValueError) as error:
        return [f"{module_name} cannot be compiled: {type(error).__name__}"], {}
    try:
        return [], check_source(source, assignment)
    except (RecursionError, MemoryError):
        return [f"{module_name} is nested too deeply for the API-policy check; "
                "the run-time check still applies"], {}
