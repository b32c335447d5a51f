"""Does the command line answer mistakes with one line and exit codes CI can use?"""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from autograder.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["grade", "07", "."], "no assignment '07' in course.yml"),
        (["grade", "02", "does/not/exist"], "no submission at does/not/exist"),
        (["grade", "02", "README.md"], "a submission is a folder, a .py file or a .ipynb"),
        (["grade", "02", "docs"], "docs holds no scratch.py (assignment 02) and no other .py"),
        (["grade", "02", "docs", "--class"], "docs holds no submissions"),
        (["grade", "02", "README.md", "--class"], "README.md is not a folder"),
        (["build", "09"], "no assignment '09'"),
    ],
)
def test_a_user_mistake_is_one_line_and_exit_2(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_json_format_prints_only_the_document_on_stdout(project_root):
    completed = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "02", "examples/02", "--format", "json",
         "--device", "cpu"],
        cwd=project_root, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stderr
    document = json.loads(completed.stdout)
    assert 0 < document["score"] < document["max_score"]


def test_fail_under_exits_1_below_the_threshold_and_writes_the_report(tmp_path):
    out = tmp_path / "report" / "summary.md"
    result = runner.invoke(app, ["grade", "02", "examples/02", "--format", "markdown",
                                 "--out", str(out), "--fail-under", "100", "--device", "cpu"])
    assert result.exit_code == 1
    assert out.read_text().startswith("## Assignment 02:")


def test_markdown_out_appends_to_a_job_summary_while_other_formats_replace(tmp_path, monkeypatch,
                                                                          project_root):
    import autograder.api
    from tests.engine.sample_reports import ordinary_report

    monkeypatch.setattr(autograder.api, "grade", lambda *args, **kwargs: ordinary_report())
    summary, document = tmp_path / "summary.md", tmp_path / "report.json"
    summary.write_text("## An earlier step\n")
    for _ in range(2):
        for out, format in ((summary, "markdown"), (document, "json")):
            result = runner.invoke(app, ["grade", "02", str(project_root / "examples" / "02"),
                                         "--format", format, "--out", str(out), "--device", "cpu"])
            assert result.exit_code == 0, result.output
    text = summary.read_text()
    assert text.startswith("## An earlier step\n\n## Assignment 02: 1 / 4")
    assert text.count("## Assignment 02: 1 / 4") == 2
    assert json.loads(document.read_text())["score"] == 1


def test_report_writes_several_formats_from_one_grading(tmp_path, monkeypatch, project_root):
    import autograder.api
    from tests.engine.sample_reports import ordinary_report

    calls = []
    monkeypatch.setattr(autograder.api, "grade", lambda *args, **kwargs: calls.append(1) or ordinary_report())
    summary = tmp_path / "summary.md"
    summary.write_text("## An earlier step\n")
    result = runner.invoke(app, ["grade", "02", str(project_root / "examples" / "02"), "--format", "github",
                                 "--report", f"markdown={summary}", "--report", f"junit={tmp_path / 'j.xml'}",
                                 "--report", f"classroom={tmp_path / 'c.json'}"])
    assert result.exit_code == 0, result.output
    assert calls == [1]
    assert result.output.startswith("::error title=02.nll")
    assert summary.read_text().startswith("## An earlier step\n\n## Assignment 02: 1 / 4")
    assert (tmp_path / "j.xml").read_text().startswith("<?xml")
    assert json.loads((tmp_path / "c.json").read_text())["max_score"] == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["grade", "02", "examples/02", "--report", "markdown"], "write it FORMAT=PATH"),
        (["grade", "02", "examples/02", "--report", "pdf=x.pdf"], "no format 'pdf'"),
        (["grade", "02", "examples", "--class", "--report", "json=x.json"], "a class gets its gradebook"),
        (["package", "gradescope", "09", "--out", "x"], "no assignment '09'"),
        (["package", "github", "02", "--out", "x", "--course-repo", "just-a-name"], "name it OWNER/NAME"),
        (["package", "gitlab", "02", "--out", "x", "--course-repo", "a/b", "--token", "A-B"],
         "a secret's name is letters, digits and _"),
        (["package", "locate", "02", "."], "holds several scratch.py"),
    ],
)
def test_a_packaging_or_report_mistake_is_one_line_and_exit_2(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
