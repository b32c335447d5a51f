"""Does the tensor comparison say what differs, in terms a student can act on?"""

import pytest
import torch

from autograder.student.proxy import student_error
from autograder.testkit.compare import assert_numbers_match, assert_tensors_match, calling, mismatch, shown


def test_matching_tensors_have_no_mismatch():
    assert mismatch(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0 + 1e-9])) is None


@pytest.mark.parametrize(("actual", "expected", "said"), [
    ([1.0], torch.tensor([1.0]), "got a list"),
    (torch.zeros(2, 3), torch.zeros(3, 2), "expected shape (3, 2), got shape (2, 3)"),
    (torch.zeros(2, dtype=torch.float64), torch.zeros(2),
     "expected dtype torch.float32, got dtype torch.float64"),
    (torch.tensor([0.0, float("nan")]), torch.tensor([0.0, 1.0]),
     "NaN or Inf where finite values were expected"),
])
def test_each_kind_of_mismatch_is_named(actual, expected, said):
    assert said in mismatch(actual, expected)


def test_the_largest_error_is_located_with_both_values():
    said = mismatch(torch.tensor([[1.0, 2.0], [3.0, 4.5]]), torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    assert "1 of 4 values differ" in said
    assert "largest absolute error 0.5 at index (1, 1) (got 4.5, expected 4)" in said
    assert "largest relative error 0.125" in said


def test_relative_error_leaves_out_expected_zeros():
    said = mismatch(torch.tensor([0.2, 1.1]), torch.tensor([0.0, 1.0]))
    assert "largest relative error 0.1 (where the expected value is not 0)" in said
    assert "e+" not in said


def test_relative_error_is_not_given_when_every_expected_value_is_zero():
    said = mismatch(torch.tensor([0.2, 0.1]), torch.zeros(2))
    assert "relative" not in said and "largest absolute error 0.2" in said


def test_the_message_names_the_value():
    with pytest.raises(AssertionError, match=r"^nll\(input, target\): expected shape \(\)"):
        assert_tensors_match(torch.zeros(3), torch.tensor(0.0), "nll(input, target)")


@pytest.mark.parametrize("actual", [True, "1.0", torch.tensor(1.0)])
def test_a_number_must_be_a_python_number(actual):
    with pytest.raises(AssertionError, match="expected a Python number"):
        assert_numbers_match(actual, 1.0)


@pytest.mark.parametrize(("value", "said"), [
    (2, "2 (an int)"),
    (2.0, "2.0 (a float)"),
    (None, "None"),
    (torch.tensor([[940.0, 416.0]]), "tensor([[940., 416.]]) (a float32 tensor of shape (1, 2))"),
    (torch.zeros(5, 7, dtype=torch.float64), "a float64 tensor of shape (5, 7)"),
])
def test_an_argument_is_shown_with_its_type(value, said):
    assert shown(value) == said


def test_an_error_of_the_students_code_names_the_call():
    with pytest.raises(AssertionError, match=r"^derivative\(f, x0\) with x0 = 2 \(an int\) raised "
                                             r"RuntimeError: only floats"):
        with calling("derivative(f, x0) with x0 = 2 (an int)"):
            raise student_error("RuntimeError", "RuntimeError: only floats")


@pytest.mark.parametrize("error", [student_error("NotImplementedError", "Task 01.derivative"),
                                   student_error("load", "SyntaxError in tensors.py")])
def test_a_stub_or_a_broken_submission_goes_through_unchanged(error):
    with pytest.raises(type(error)):
        with calling("derivative(f, 2)"):
            raise error
