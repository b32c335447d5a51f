"""Hidden tests of load_split: exact halves, shapes, dtypes and targets for each kind of problem."""

import pytest
import torch
from sklearn.datasets import load_iris

from autograder.testkit.compare import assert_tensors_match, expect_student_error

KINDS = ["regression", "classification", "autoencoder"]
NAMES = ["X_train", "X_test", "Y_train", "Y_test"]
SHAPES = {
    "regression": [(75, 3), (75, 3), (75, 1), (75, 1)],
    "classification": [(75, 4), (75, 4), (75, 3), (75, 3)],
    "autoencoder": [(75, 4), (75, 4), (75, 4), (75, 4)],
}
SPECIES = torch.tensor(load_iris().target)


def _split(student, kind):
    """The four tensors of the student's load_split(kind), after checking it returned four tensors."""
    result = student.load_split(kind)
    call = f"load_split({kind!r})"
    assert isinstance(result, tuple | list) and len(result) == 4, (
        f"{call}: expected a tuple (X_train, X_test, Y_train, Y_test), got {_describe(result)}")
    for name, value in zip(NAMES, result, strict=True):
        assert isinstance(value, torch.Tensor), (
            f"{call}: expected {name} to be a torch.Tensor, got {_describe(value)}")
    return result


def _describe(value):
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {tuple(value.shape)}"
    if isinstance(value, tuple | list):
        return f"a {type(value).__name__} of {len(value)} items"
    return f"a {type(value).__name__}"


@pytest.mark.task("04.load_split", weight=2,
                  hint="Follow the table for each kind; rows X[1::2] train, X[0::2] test.")
@pytest.mark.parametrize("kind", KINDS)
def test_load_split_matches_the_reference_exactly(student, reference, kind):
    got = _split(student, kind)
    expected = reference.load_split(kind)
    for name, value, wanted in zip(NAMES, got, expected, strict=True):
        assert_tensors_match(value, wanted, f"{name} of load_split({kind!r})", rtol=0, atol=0)


@pytest.mark.task("04.load_split", hint="Everything float32; a regression target keeps its column: "
                  "features[:, 3:4] has shape (n, 1).")
@pytest.mark.parametrize("kind", KINDS)
def test_load_split_shapes_and_dtypes(student, kind):
    got = _split(student, kind)
    for name, value, shape in zip(NAMES, got, SHAPES[kind], strict=True):
        assert tuple(value.shape) == shape, (
            f"{name} of load_split({kind!r}): expected shape {shape}, got {tuple(value.shape)}")
        assert value.dtype == torch.float32, (
            f"{name} of load_split({kind!r}): expected dtype torch.float32 (the dtype of the "
            f"models' weights), got {value.dtype}")


@pytest.mark.task("04.load_split")
def test_load_split_trains_on_odd_rows_and_tests_on_even_rows(student):
    """Is the training half rows 1, 3, 5, ... and the test half rows 0, 2, 4, ... of the file?"""
    features = torch.tensor(load_iris().data, dtype=torch.float32)
    X_train, X_test, _, _ = _split(student, "autoencoder")
    for name, value, rows, first in [("X_train", X_train, features[1::2], 1),
                                     ("X_test", X_test, features[0::2], 0)]:
        assert value.shape == rows.shape and torch.equal(value, rows), (
            f"{name} of load_split('autoencoder'): expected the flowers of rows {first}, {first + 2}, "
            f"{first + 4}, ... of the Iris data in that order (X[{first}::2]); its first row is "
            f"{value[:1].tolist()}, row {first} of the data is {features[first].tolist()}")


@pytest.mark.task("04.load_split",
                  hint="torch.nn.functional.one_hot(species, 3).float(), then the same rows as X.")
@pytest.mark.parametrize("half", ["train", "test"])
def test_load_split_one_hot_targets_hold_25_flowers_of_each_species(student, half):
    _, _, Y_train, Y_test = _split(student, "classification")
    Y = Y_train if half == "train" else Y_test
    what = f"Y_{half} of load_split('classification')"
    assert set(Y.unique().tolist()) <= {0.0, 1.0} and torch.equal(Y.sum(dim=1), torch.ones(len(Y))), (
        f"{what}: expected one-hot rows (a single 1 and zeros elsewhere), got rows such as "
        f"{Y[:3].tolist()}")
    counts = Y.sum(dim=0).tolist()
    assert counts == [25.0, 25.0, 25.0], (
        f"{what}: expected 25 flowers of each species, got {counts}")
    species = SPECIES[1::2] if half == "train" else SPECIES[0::2]
    assert torch.equal(Y.argmax(dim=1), species), (
        f"{what}: the 1 of each row should sit at the species' index (setosa 0, versicolor 1, "
        "virginica 2) of the same flower as the row of X")


@pytest.mark.task("04.load_split",
                  hint="Regression: X = features[:, :3], Y = features[:, 3:4] (petal width).")
def test_load_split_regression_target_is_petal_width(student):
    features = torch.tensor(load_iris().data, dtype=torch.float32)
    X_train, X_test, Y_train, Y_test = _split(student, "regression")
    assert_tensors_match(Y_train, features[1::2, 3:4], "Y_train of load_split('regression') (petal "
                         "width, column 3, as a column of shape (75, 1))", rtol=0, atol=0)
    assert_tensors_match(X_test, features[0::2, :3], "X_test of load_split('regression') (the first "
                         "three features of the even rows)", rtol=0, atol=0)


@pytest.mark.task("04.load_split", hint="Autoencoder: the targets are the inputs themselves.")
def test_load_split_autoencoder_targets_equal_the_inputs(student):
    X_train, X_test, Y_train, Y_test = _split(student, "autoencoder")
    assert_tensors_match(Y_train, X_train, "Y_train of load_split('autoencoder') (it should equal "
                         "X_train)", rtol=0, atol=0)
    assert_tensors_match(Y_test, X_test, "Y_test of load_split('autoencoder') (it should equal "
                         "X_test)", rtol=0, atol=0)


@pytest.mark.task("04.load_split", hint="Raise ValueError when kind is none of \"regression\", "
                  "\"classification\" and \"autoencoder\" (spelt exactly so).")
@pytest.mark.parametrize("kind", ["clustering", "Regression", "", "autoencoders", "classify"])
def test_load_split_refuses_an_unknown_kind(student, kind):
    expect_student_error(ValueError, lambda: student.load_split(kind),
                         f"load_split({kind!r}), an unknown kind,")
