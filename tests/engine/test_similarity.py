"""Does the similarity check flag a renamed-variable copy, and only it, in a class of honest solutions?

The class: the four correct alternatives of assignment 01 (written independently,
in other idioms; one is a notebook), the reference solution, a stub left as it
was, and a copy of one alternative with its variables renamed, its comments
changed and a docstring added.
"""

import csv
import io
import shutil

import pytest
from typer.testing import CliRunner

from autograder.cli import app
from autograder.errors import CourseError
from autograder.similarity import compare_class, similarity_csv, similarity_html
from tests.course_under_test import COURSE, LAYOUT

ASSIGNMENT = COURSE.assignment("01")
RENAMES = [
    ("# a fresh, non-deterministic seed of the loader's own generator", "# new seed"),
    ("stacked", "all_tensors"), ("generator", "rng"), ("(grad,)", "(slope,)"), ("grad.item", "slope.item"),
    ("choices", "allowed"), ("gpu", "have_gpu"), ("loss", "value"), ("    w = ", "    coeffs = "),
    ("(w, ", "(coeffs, "),
]


@pytest.fixture(scope="module")
def class_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    for path in sorted(LAYOUT.alternatives("01").iterdir()):
        shutil.copy(path, folder / path.name)
    shutil.copy(LAYOUT.solution(ASSIGNMENT), folder / "reference.py")
    shutil.copy(LAYOUT.stub(ASSIGNMENT), folder / "untouched_stub.py")
    copy = (LAYOUT.alternatives("01") / "einsum_and_autograd_grad.py").read_text()
    for old, new in RENAMES:
        assert old in copy, old
        copy = copy.replace(old, new)
    (folder / "zed_copy.py").write_text('"""My own solution, written from scratch."""\n' + copy)
    return folder


def test_the_renamed_copy_is_the_only_pair_flagged(class_folder):
    result = compare_class(class_folder, ASSIGNMENT, LAYOUT.stub(ASSIGNMENT))
    assert result.compared == 21 and not result.unreadable
    flagged = [(pair.first, pair.second) for pair in result.flagged]
    assert flagged == [("einsum_and_autograd_grad", "zed_copy")]
    assert result.flagged[0].score > 0.9


def test_honest_pairs_stay_well_under_the_threshold(class_folder):
    """Are independently written solutions far from a copy (stub text ignored, so a stub matches nothing)?"""
    result = compare_class(class_folder, ASSIGNMENT, LAYOUT.stub(ASSIGNMENT), threshold=0.01)
    honest = [pair for pair in result.flagged if "zed_copy" not in (pair.first, pair.second)
              and {pair.first, pair.second} != {"einsum_and_autograd_grad"}]
    assert honest and max(pair.score for pair in honest) < 0.4
    assert not [pair for pair in result.flagged if "untouched_stub" in (pair.first, pair.second)]


def test_the_csv_has_one_row_per_flagged_pair_and_the_page_marks_the_shared_lines(class_folder):
    result = compare_class(class_folder, ASSIGNMENT, LAYOUT.stub(ASSIGNMENT))
    rows = list(csv.DictReader(io.StringIO(similarity_csv(result))))
    assert [(row["first"], row["second"]) for row in rows] == [("einsum_and_autograd_grad", "zed_copy")]
    assert float(rows[0]["score"]) == pytest.approx(result.flagged[0].score, abs=1e-3)
    page = similarity_html(result)
    assert "1 pair shares at least 50%" in page
    assert "<mark>    all_tensors = torch.stack(tuple(xs))</mark>" in page
    assert "<mark>    stacked = torch.stack(tuple(xs))</mark>" in page


def test_the_command_writes_both_files_and_says_how_many_pairs(class_folder, tmp_path):
    result = CliRunner().invoke(app, ["similarity", "01", str(class_folder), "--out", str(tmp_path / "sim")])
    assert result.exit_code == 0, result.output
    assert "1 pair at or above 50%" in result.output
    assert {path.name for path in (tmp_path / "sim").iterdir()} == {"similarity.html", "similarity.csv"}


def test_a_threshold_outside_0_to_1_is_refused(class_folder):
    with pytest.raises(CourseError, match="not a share"):
        compare_class(class_folder, ASSIGNMENT, LAYOUT.stub(ASSIGNMENT), threshold=50)
