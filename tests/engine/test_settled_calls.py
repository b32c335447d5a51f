"""Is a missing function, a stub or a function that timed out answered without calling the worker again?"""

import re

import pytest

from autograder.grading.budget import BudgetedTransport, SubmissionClock
from autograder.student import InProcessTransport, MissingFunction, StudentModule

SOURCE = '''
def fit(x):
    raise NotImplementedError("Task 02.fit")


def careful(x):
    if x > 0:
        raise NotImplementedError("Task 02.careful: positives come later")  # not the stub's message
    return x


def other(x):
    raise NotImplementedError("not done")
'''


class CountingTransport(InProcessTransport):
    def __init__(self, path):
        super().__init__(path)
        self.calls = 0

    def request(self, payload, label, timeout_s=None):
        self.calls += 1
        return super().request(payload, label, timeout_s=timeout_s)


def _student(tmp_path):
    path = tmp_path / "scratch.py"
    path.write_text(SOURCE)
    inner = CountingTransport(path)
    return StudentModule(BudgetedTransport(inner, SubmissionClock(None))), inner


def _error(call):
    try:
        call()
    except Exception as error:  # noqa: BLE001
        return type(error), str(error)
    return None


def test_a_missing_function_fails_again_with_the_same_message_without_a_call(tmp_path):
    student, inner = _student(tmp_path)
    first = _error(lambda: student.nope(1))
    assert first[0] is MissingFunction
    assert _error(lambda: student.nope(2)) == first
    assert inner.calls == 1


def test_the_untouched_stub_is_called_once(tmp_path):
    student, inner = _student(tmp_path)
    first = _error(lambda: student.fit(1))
    assert "Task 02.fit" in first[1]
    assert _error(lambda: student.fit(2)) == first and inner.calls == 1


def test_other_errors_are_asked_again(tmp_path):
    student, inner = _student(tmp_path)
    _error(lambda: student.other(1))
    _error(lambda: student.other(1))
    assert inner.calls == 2
    assert _error(lambda: student.careful(1)) is not None
    assert student.careful(-1) == -1 and inner.calls == 4


class HangingTransport:
    """Every request times out, as a function in an infinite loop would."""

    def __init__(self):
        self.calls = 0

    def request(self, payload, label, timeout_s=None):
        from autograder.errors import GradingTimeout

        self.calls += 1
        raise GradingTimeout(f"timed out in {label}")


@pytest.mark.parametrize("give_up_after", [1, 2])
def test_a_task_whose_calls_timed_out_is_not_called_again_under_another_name(give_up_after):
    """Does a probe running the hanging function under its own name wait out no limit of its own?"""
    from autograder.errors import GradingTimeout
    from autograder.student import wire

    task = ["02.log_softmax"]
    inner = HangingTransport()
    transport = BudgetedTransport(inner, SubmissionClock(None), max_timeouts=give_up_after,
                                  current_task=lambda: task[0])
    message = wire.dumps({"op": "call", "target": None, "name": "log_softmax", "args": [], "kwargs": {}})
    for label in ("log_softmax()", "log_softmax()", "gradient_of_log_softmax()"):
        try:
            transport.request(message, label)
        except GradingTimeout as error:
            last = str(error)
    assert inner.calls == give_up_after
    expected = "a call" if give_up_after == 1 else f"{give_up_after} calls"
    assert f"was not called: {expected} in 02.log_softmax's tests timed out" in last
    task[0] = "02.nll"
    try:
        transport.request(message, "nll()")
    except GradingTimeout:
        pass
    assert inner.calls == give_up_after + 1, "another task's calls are still made"


def test_a_function_that_timed_out_says_so_when_asked_again():
    from autograder.errors import GradingTimeout
    from autograder.student import wire

    transport = BudgetedTransport(HangingTransport(), SubmissionClock(None))
    message = wire.dumps({"op": "call", "target": None, "name": "nll", "args": [], "kwargs": {}})
    for expected in ("timed out in nll()", "nll() is not called again: it timed out"):
        with pytest.raises(GradingTimeout, match=re.escape(expected)):
            transport.request(message, "nll()")
