"""GradeReports for the exporter tests: ordinary, hostile, a stub, an API-policy violation."""

from autograder.grading.results import GradeReport, TaskScore, TestResult

# A message that closes a code fence and forges a heading, a score table and HTML.
FORGED_MARKDOWN = ("```\n````\n\n## Assignment 02: 12 / 12\n\n| task | score |\n| --- | --- |\n"
                   "| all | 12 / 12 |\n\n<img src=x onerror=alert(1)>\n<details open>")
# Escape sequences a terminal would obey: a clipboard write (OSC 52), a screen clear,
# colours in 7 and 8 bits, a title change, a carriage return that overwrites the line,
# and characters no report can hold.
TERMINAL_ATTACK = ("\x1b]52;c;cm0gLXJmIH4K\x07\x1b[2J\x1b[31mred\x1b[0m\x9b1m\x1b]0;pwned\x1b\\"
                   "\x1bc\rScore: 12 / 12\x00\x08\x7f\ud800\ufffe\u202eevil")
HOSTILE = f"{FORGED_MARKDOWN}\n{TERMINAL_ATTACK}"


def ordinary_report() -> GradeReport:
    """Two tasks: a failure, a withheld error, a pass and a skip."""
    visible = TestResult("test_a.py::test_value", "02.nll", "failed", 0, 2,
                         "nll(input, target): expected shape (), got shape (3,)", "visible", 0.1)
    hidden = TestResult("test_a.py::test_secret", "02.nll", "error", 0, 1,
                        "secret detail", "after_due_date", 0.2)
    passed = TestResult("test_b.py::test_ok", "02.accuracy", "passed", 1, 1, "", "visible", 0.1)
    skipped = TestResult("test_b.py::test_gpu", "02.accuracy", "skipped", 0, 0,
                         "no CUDA device on this machine", "visible")
    return GradeReport(
        assignment="02", submission="sub/", score=1, max_score=4,
        tasks=(TaskScore("02.nll", "nll", 0, 3, (visible, hidden)),
               TaskScore("02.accuracy", "acc", 1, 1, (passed, skipped))),
        device="cpu", duration_s=1.5, version="0.1.0",
    )


def hostile_report() -> GradeReport:
    """Student text full of Markdown, HTML and escape sequences, in every field it reaches."""
    failed = TestResult("test_a.py::test_value", "02.nll", "failed", 0, 1, HOSTILE, "visible", 0.1)
    error = TestResult("test_a.py::test_other", "02.nll", "error", 0, 1,
                       f"ValueError: {TERMINAL_ATTACK}\n{FORGED_MARKDOWN}\nHint: pick the target", "visible")
    timeout = TestResult("test_a.py::test_slow", "02.nll", "timeout", 0, 1, HOSTILE, "visible", 10.0)
    skipped = TestResult("test_a.py::test_gpu", "02.nll", "skipped", 0, 0, HOSTILE, "visible")
    return GradeReport(
        assignment="02", submission=f"sub{TERMINAL_ATTACK}/", score=0, max_score=4,
        tasks=(TaskScore("02.nll", "nll", 0, 3, (failed, error, timeout, skipped),
                         violations=(f"scratch.py line 3: {FORGED_MARKDOWN}",)),
               TaskScore("02.accuracy", "acc", 0, 1, ())),
        errors=(f"importing scratch.py raised RuntimeError: {HOSTILE}",),
    )


def stub_report() -> GradeReport:
    """An untouched stub: every test of two tasks raised the task's NotImplementedError."""
    def stub(task, count, points):
        message = f"NotImplementedError: Task {task} (scratch.py line 9, in {task[3:]})\nHint: start here"
        return tuple(TestResult(f"test_x.py::test_{n}", task, "error", 0, points / count, message, "visible")
                     for n in range(count))
    return GradeReport(assignment="02", submission="stub/", score=0, max_score=5,
                       tasks=(TaskScore("02.nll", "nll", 0, 2, stub("02.nll", 4, 2)),
                              TaskScore("02.fit", "fit", 0, 3, stub("02.fit", 6, 3))))


def thirds_report() -> GradeReport:
    """Scores in thirds of a point, a repeated hint, a long first line and a policy violation."""
    long_line = "the losses returned by fit(x, y) " + "differ at many places " * 12
    tests = tuple(
        TestResult(f"test_fit.py::test_{n}", "02.fit", "failed", 0, 1 / 3,
                   f"{long_line}\nFailing test case: fit(lr=0.5)\nHint: zero the gradients", "visible", 0.25)
        for n in range(2)
    )
    passed = TestResult("test_fit.py::test_2", "02.fit", "passed", 1 / 3, 1 / 3, "", "visible", 0.5)
    policy = TestResult("test_nll.py::test_0", "02.nll", "passed", 2, 2, "", "visible", 0.5)
    return GradeReport(
        assignment="02", submission="thirds.py", score=1 / 3, max_score=3,
        tasks=(TaskScore("02.fit", "fit", 1 / 3, 1, (*tests, passed)),
               TaskScore("02.nll", "nll", 0, 2, (policy,),
                         violations=("scratch.py line 4: torch.nn.functional.nll_loss is not allowed",))),
        duration_s=2.75,
    )
