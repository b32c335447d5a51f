"""Is a missing function, or one left as the stub, answered without calling the worker again?"""

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


def test_a_task_whose_calls_timed_out_twice_is_not_called_again_under_another_name():
    """Does a probe running the hanging function under its own name wait out no limit of its own?"""
    from autograder.errors import GradingTimeout
    from autograder.student import wire

    task = ["02.log_softmax"]
    inner = HangingTransport()
    transport = BudgetedTransport(inner, SubmissionClock(None), current_task=lambda: task[0])
    message = wire.dumps({"op": "call", "target": None, "name": "log_softmax", "args": [], "kwargs": {}})
    for label in ("log_softmax()", "log_softmax()", "gradient_of_log_softmax()"):
        try:
            transport.request(message, label)
        except GradingTimeout as error:
            last = str(error)
    assert inner.calls == 2
    assert "the calls of 02.log_softmax's tests timed out 2 times" in last
    task[0] = "02.nll"
    try:
        transport.request(message, "nll()")
    except GradingTimeout:
        pass
    assert inner.calls == 3, "another task's calls are still made"
