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
from autograder.sandbox.forkserver import forkserver_context, main_module_hidden
from autograder.submission import too_large

MEMORY_MB = 1024
"""Address space the helper may add to what it maps at the start."""
SECONDS = 30
"""CPU and wall time of the helper."""
_MAX_RESULT_BYTES = 8 * 2**20
_CODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_UTF8 = {"utf-8", "utf8", "utf_8", "utf-8-sig", "utf_8_sig"}


def check_source_safely(source: str, assignment: Assignment, module_name: str, max_bytes: int, *,
                        memory_mb: int = MEMORY_MB, seconds: int = SECONDS
                        ) -> tuple[list[str], dict[str, list[str]]]:
    """(errors for the whole submission, API-policy violations per task id) of ``source``.

    ``max_bytes`` caps the source; ``memory_mb`` and ``seconds`` bound the helper.
    """
    size = len(source.encode("utf-8"))
    if size > max_bytes:
        return [too_large(module_name, size, max_bytes)], {}
    notes = encoding_notes(source, module_name)
    context = forkserver_context()
    receiver, sender = context.Pipe(duplex=False)
    helper = context.Process(target=_check, daemon=True,
                             args=(sender, source, assignment, module_name, memory_mb, seconds))
    with main_module_hidden():
        helper.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise EOFError
        result = json.loads(receiver.recv_bytes(maxlength=_MAX_RESULT_BYTES))
    except (EOFError, OSError):
        return notes + [f"{module_name} could not be checked for the API policy within {memory_mb} MB "
                        f"and {seconds} s; the run-time check still applies"], {}
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


def _check(connection: Connection, source: str, assignment: Assignment, module_name: str,
           memory_mb: int, seconds: int) -> None:
    """The helper's body: limit itself, compile, check the policy, send JSON back."""
    with open("/proc/self/statm") as statm:
        mapped = int(statm.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (mapped + memory_mb * 2**20,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    errors, violations = static_checks(source, assignment, module_name)
    connection.send_bytes(json.dumps({"errors": errors, "violations": violations}).encode())
    connection.close()


def static_checks(source: str, assignment: Assignment, module_name: str):
    """Syntax errors (reported once, for the whole submission) and API-policy violations."""
    try:
        compile(source, module_name, "exec", dont_inherit=True)
        return [], check_source(source, assignment)
    except SyntaxError as error:
        return [f"{module_name} line {error.lineno}: syntax error: {error.msg}"], {}
    except ValueError as error:
        return [f"{module_name} cannot be compiled: {error}"], {}
    except (RecursionError, MemoryError) as error:
        cause = "is nested too deeply" if isinstance(error, RecursionError) else "needs too much memory"
        return [f"{module_name} could not be checked for the API policy: it {cause}; "
                "the run-time check still applies"], {}
