"""Does the worker run the very text the static check read, and is an untrusted source bounded?"""

import inspect

import pytest

from autograder.grading.source_check import check_source_safely, encoding_notes
from autograder.submission import SubmissionLoadError, import_module_file

# Read as UTF-8, each is one harmless assignment; decoded as it declares, it also sets HIDDEN.
DECLARED_ENCODINGS = {
    "utf-7": "# -*- coding: utf-7 -*-\nSEEN = 1  # +AAo-HIDDEN = 1\n",
    "unicode_escape": "# coding: unicode_escape\nSEEN = 1  # \\u000aHIDDEN = 1\n",
    "shift_jis": '# coding: shift_jis\nSEEN = "\u00c1\\"; HIDDEN = 1; #"\n',
}


@pytest.mark.parametrize("encoding", list(DECLARED_ENCODINGS))
def test_a_coding_declaration_does_not_change_what_runs(tmp_path, encoding):
    path = tmp_path / "scratch.py"
    path.write_text(DECLARED_ENCODINGS[encoding], encoding="utf-8")
    namespace: dict = {}
    exec(compile(path.read_bytes(), str(path), "exec"), namespace)  # what Python alone would run
    assert "HIDDEN" in namespace, "the example no longer hides code from a UTF-8 reader"
    module = import_module_file(path)
    assert module.SEEN and not hasattr(module, "HIDDEN")


def test_inspect_reads_the_text_that_ran(tmp_path):
    path = tmp_path / "scratch.py"
    path.write_text("# coding: utf-7\ndef f():\n    return 1  # +AAo-    return 2\n", encoding="utf-8")
    module = import_module_file(path)
    assert module.f() == 1 and "return 1" in inspect.getsource(module.f)


@pytest.mark.parametrize("encoding", list(DECLARED_ENCODINGS))
def test_the_report_says_the_declaration_was_ignored(encoding):
    notes = encoding_notes(DECLARED_ENCODINGS[encoding], "scratch.py")
    assert len(notes) == 1 and f"declares the encoding {encoding}" in notes[0]


def test_a_utf8_declaration_needs_no_note():
    assert encoding_notes("# -*- coding: utf-8 -*-\nx = 1\n", "scratch.py") == []


def test_a_source_over_the_cap_is_neither_checked_nor_imported(tmp_path, course):
    source = "x = 1\n" + "#" * 2048 + "\n"
    errors, violations = check_source_safely(source, course.assignment("02"), "scratch.py", 1024)
    assert violations == {} and len(errors) == 1 and "over the 1 KB" in errors[0]
    path = tmp_path / "scratch.py"
    path.write_text(source)
    with pytest.raises(SubmissionLoadError) as refused:
        import_module_file(path, max_bytes=1024)
    assert str(refused.value) == errors[0]


def test_the_static_checks_run_in_the_helper(course):
    source = "import torch\ndef log_softmax(x):\n    return torch.log_softmax(x, -1)\ndef nll(:\n"
    errors, _ = check_source_safely(source, course.assignment("02"), "scratch.py", 2**20)
    assert errors == ["scratch.py line 4: syntax error: invalid syntax"]
    source = source.replace("def nll(:\n", "")
    errors, violations = check_source_safely(source, course.assignment("02"), "scratch.py", 2**20)
    assert errors == [] and "torch.log_softmax" in violations["02.log_softmax"][0]


def test_a_source_that_outgrows_the_helper_is_reported_not_fatal(course):
    source = "x = [" + "1, " * 400_000 + "]\n"  # tens of MB of syntax tree
    errors, violations = check_source_safely(source, course.assignment("02"), "scratch.py", 2**24,
                                             memory_mb=16)
    assert violations == {} and len(errors) == 1 and "could not be checked" in errors[0]
