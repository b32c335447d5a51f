"""Do the GitHub annotations and GitHub Classroom's result say what lost points, safely and as read?"""

import json
from dataclasses import replace

from autograder.export import to_classroom, to_github_annotations
from tests.engine.sample_reports import hostile_report, ordinary_report, stub_report


def test_classroom_points_add_up_to_the_report_score_one_entry_per_task():
    """Classroom's reporter adds the tests' scores and takes max_score as the total."""
    for report in (ordinary_report(), hostile_report(), stub_report()):
        result = json.loads(to_classroom(report))
        assert result["version"] == 1 and result["status"] == "pass"
        assert result["max_score"] == report.max_score
        assert sum(test["score"] for test in result["tests"]) == report.score
        assert [test["name"].split(" ")[0] for test in result["tests"]] == [task.id for task in report.tasks]


def test_classroom_messages_say_why_a_task_lost_points_but_not_what_is_withheld():
    result = json.loads(to_classroom(ordinary_report()))
    nll, accuracy = result["tests"]
    assert (nll["status"], accuracy["status"]) == ("fail", "pass")
    assert "expected shape ()" in nll["message"] and "released later" in nll["message"]
    assert "secret detail" not in nll["message"]


def test_each_annotation_is_one_workflow_command_whatever_the_student_wrote():
    lines = to_github_annotations(hostile_report()).splitlines()
    assert lines and all(line.startswith(("::error title=", "::notice title=")) for line in lines)
    assert not any(ch in "".join(lines) for ch in "\r\x1b\x00\x85\u2028")
    assert lines[-1] == "::notice title=Assignment 02::Score: " + lines[-1].split("Score: ")[1]


def test_annotations_name_the_tasks_that_lost_points_and_withhold_hidden_feedback():
    text = to_github_annotations(ordinary_report())
    assert "::error title=02.nll%3A 0 / 3 points::test_a.py::test_value: nll(input, target)" in text
    assert "02.accuracy" not in text and "secret detail" not in text
    assert text.endswith("::notice title=Assignment 02::Score: 1 / 4 points\n")


def test_an_annotation_of_a_task_whose_failures_are_all_withheld_says_only_what_they_cost():
    report = ordinary_report()
    hidden_only = replace(report.tasks[0], tests=report.tasks[0].tests[1:])
    text = to_github_annotations(replace(report, tasks=(hidden_only, report.tasks[1])))
    assert "::error title=02.nll%3A 0 / 3 points::1 test lost 1 point: its details are released later" in text
    assert "secret detail" not in text
