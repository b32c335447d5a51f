"""Does the tensor comparison say what differs, in terms a student can act on?"""

import pytest
import torch

from autograder.testkit.compare import assert_numbers_match, assert_tensors_match, mismatch


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
