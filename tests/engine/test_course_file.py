"""Is course.yml validated with one-line errors that name the key?"""

import pytest

from autograder.course import load_course
from autograder.errors import CourseError

VALID = """
name: A course
course_id: c1
assignments:
  "01":
    title: T
    module: tensors.py
    due: 2026-12-01T00:00:00Z
    tasks:
      - id: 01.affine
        points: 2
        description: d
"""


def _load(tmp_path, text):
    path = tmp_path / "course.yml"
    path.write_text(text)
    return load_course(path)


def test_a_valid_course_loads_with_assignment_ids_filled(tmp_path):
    course = _load(tmp_path, VALID)
    assert course.assignment("1").id == "01"
    assert course.assignment("01").task("01.affine").points == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("points: 2", "points: two"), r"assignments\.01\.tasks\.0\.points"),
        (("points: 2", "points: 2\n        pionts: 3"), r"pionts.*Extra inputs"),
        (("id: 01.affine", "id: 02.affine"), "must look like '01.<name>'"),
        (("module: tensors.py", "module: tensors"), "not a Python module file name"),
        (("due: 2026-12-01T00:00:00Z", "due: someday"), r"assignments\.01\.due"),
        (("    title: T\n", ""), r"assignments\.01\.title: Field required"),
    ],
)
def test_a_malformed_course_is_one_line_naming_the_key(tmp_path, change, message):
    with pytest.raises(CourseError, match=message) as caught:
        _load(tmp_path, VALID.replace(*change))
    assert "\n" not in str(caught.value)


def test_invalid_yaml_names_the_line(tmp_path):
    with pytest.raises(CourseError, match="not valid YAML at line"):
        _load(tmp_path, VALID + "\n  - : [unclosed\n")


def test_a_missing_course_file_is_a_clear_error(tmp_path):
    with pytest.raises(CourseError, match="no course file"):
        load_course(tmp_path / "nope.yml")


def test_an_unknown_assignment_lists_the_known_ones(tmp_path):
    with pytest.raises(CourseError, match=r"no assignment '09' in course.yml \(known: 01\)"):
        _load(tmp_path, VALID).assignment("09")


def test_the_project_course_has_four_assignments_with_a_policy_for_02(course):
    assert sorted(course.assignments) == ["01", "02", "03", "04"]
    forbidden = {rule.name for rule in course.assignment("02").api_policy.forbidden}
    assert {"torch.nn", "torch.optim", "torch.log_softmax", "torch.Tensor.log_softmax"} <= forbidden
