"""Hidden tests of train: the reference's exact updates on trusted models, and training quality.

The probe runs the student's ``train`` on a trusted model (nn.Linear layers named
l1 and l2, defined in autograder/testkit/probes/iris.py) built from a state_dict, so only
the training loop is graded here; the grader runs the reference ``train`` on
the same trusted model from the same start and compares.
"""

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from autograder.testkit.compare import assert_numbers_match, assert_tensors_match
from autograder.testkit.probes import iris
from autograder.testkit.strategies import batches

FULL_MARKS_ACCURACY = 0.9
LOWEST_ACCURACY = 0.7  # 0.67 is what a model that only tells setosa apart gets
FULL_MARKS_R2 = 0.85
LOWEST_R2 = 0.5


def _layer(n_in, n_out, generator, name):
    """A state for nn.Linear(n_in, n_out) drawn like PyTorch's default initialisation."""
    bound = 1 / math.sqrt(n_in)
    return {f"{name}.weight": (torch.rand((n_out, n_in), generator=generator) * 2 - 1) * bound,
            f"{name}.bias": (torch.rand((n_out,), generator=generator) * 2 - 1) * bound}


def _start(*sizes, seed=0):
    """The state_dict of the trusted model with layer sizes ``sizes`` (two or three of them)."""
    generator = torch.Generator().manual_seed(seed)
    state = _layer(sizes[0], sizes[1], generator, "l1")
    if len(sizes) == 3:
        state.update(_layer(sizes[1], sizes[2], generator, "l2"))
    return state


def _check_losses(losses, expected, call):
    assert isinstance(losses, list | tuple), (
        f"{call}: expected a list of floats (one total loss per epoch), got {type(losses).__name__}")
    assert len(losses) == len(expected), (
        f"{call}: expected {len(expected)} losses (one per epoch), got {len(losses)}")
    for epoch, (loss, wanted) in enumerate(zip(losses, expected, strict=True)):
        if isinstance(loss, torch.Tensor):
            raise AssertionError(f"{call}: the loss of epoch {epoch + 1} should be a Python float "
                                 f"(add up loss.item()), got a tensor of shape {tuple(loss.shape)}")
        assert_numbers_match(loss, wanted, f"{call}: the total loss of epoch {epoch + 1} (the sum "
                             "of its batch losses)", rtol=1e-4, atol=1e-5)


def _compare(student, reference, state, X, Y, call, *args, **kwargs):
    """Run the student's and the reference's train from ``state``; compare losses and parameters."""
    got = student.probe(iris.train_trusted, state, X, Y, *args, **kwargs)
    expected = iris.train_trusted(reference, state, X, Y, *args, **kwargs)
    _check_losses(got["losses"], expected["losses"], call)
    for key, value in expected["state_dict"].items():
        assert_tensors_match(got["state_dict"][key], value, f"{call}: the model's {key} after training",
                             rtol=1e-4, atol=1e-5)


def _iris(reference, kind):
    """The trusted training half (X, Y) of an Iris split, from the reference."""
    X_train, _, Y_train, _ = reference.load_split(kind)
    return X_train, Y_train


@pytest.mark.task("04.train", weight=3)
@given(batches(max_rows=30), st.integers(1, 12), st.integers(0, 1000),
       st.sampled_from([0.01, 0.1, 0.3]), st.integers(1, 3))
def test_train_makes_the_reference_updates(student, reference, batch, batch_size, seed, lr, epochs):
    X, Y = batch
    call = (f"train(model, X, Y, epochs={epochs}, lr={lr}, batch_size={batch_size}, seed={seed}) "
            f"with {len(X)} rows and nn.Linear({X.shape[1]}, {Y.shape[1]}) as the model")
    _compare(student, reference, _start(X.shape[1], Y.shape[1], seed=seed), X, Y, call,
             epochs, lr=lr, batch_size=batch_size, seed=seed)


@pytest.mark.task("04.train", weight=2)
def test_train_an_mlp_classifier_on_iris_like_the_reference(student, reference):
    X, Y = _iris(reference, "classification")
    call = ("train(model, X_train, Y_train, epochs=3, lr=0.5, batch_size=10, seed=5) on the Iris "
            "classification split, with a 4-8-3 network with sigmoids as the model")
    _compare(student, reference, _start(4, 8, 3, seed=1), X, Y, call, 3, lr=0.5, batch_size=10,
             seed=5, sigmoid_output=True)


@pytest.mark.task("04.train", weight=2)
@pytest.mark.parametrize(("rows", "batch_size"), [(25, 10), (7, 3), (5, 8), (12, 1), (75, 16)],
                         ids=lambda value: str(value))
def test_train_with_an_uneven_or_oversized_last_batch(student, reference, rows, batch_size):
    """Is the smaller last batch used, with its own mean loss added to the epoch's total?"""
    generator = torch.Generator().manual_seed(rows)
    X, Y = torch.randn((rows, 3), generator=generator), torch.randn((rows, 2), generator=generator)
    last = rows % batch_size or batch_size
    call = (f"train(model, X, Y, epochs=2, lr=0.1, batch_size={batch_size}, seed=3) with {rows} rows "
            f"(a last batch of {min(last, rows)})")
    _compare(student, reference, _start(3, 2, seed=rows), X, Y, call, 2, lr=0.1,
             batch_size=batch_size, seed=3)


@pytest.mark.task("04.train")
def test_train_default_arguments(student, reference):
    """Are the defaults lr=0.01, batch_size=10 and seed=0?"""
    X, Y = _iris(reference, "regression")
    _compare(student, reference, _start(3, 1, seed=2), X, Y,
             "train(model, X_train, Y_train, 3) with the default lr, batch_size and seed", 3)


@pytest.mark.task("04.train")
@pytest.mark.parametrize("seed", [1, 42])
def test_train_shuffles_with_the_seeded_generator(student, reference, seed):
    """Do the batches come from DataLoader(..., shuffle=True, generator=Generator().manual_seed(seed))?"""
    X, Y = _iris(reference, "autoencoder")
    call = f"train(model, X_train, X_train, epochs=2, lr=0.05, seed={seed}) with a 4-2-4 autoencoder"
    _compare(student, reference, _start(4, 2, 4, seed=seed), X, Y, call, 2, lr=0.05, seed=seed)


@pytest.mark.task("04.train")
def test_train_clears_stale_gradients_before_the_first_step(student, reference):
    X, Y = _iris(reference, "regression")
    call = ("train(model, X_train, Y_train, epochs=1, lr=0.01) on a model whose parameters "
            "hold leftover gradients of 50 from an earlier backward pass")
    _compare(student, reference, _start(3, 1, seed=4), X, Y, call, 1, lr=0.01, stale_grad=50.0)


@pytest.mark.task("04.train")
def test_train_for_zero_epochs_changes_nothing(student, reference):
    X, Y = _iris(reference, "regression")
    _compare(student, reference, _start(3, 1, seed=6), X, Y, "train(model, X_train, Y_train, 0)", 0)


@pytest.mark.task("04.train")
def test_train_on_a_device(student, reference, device):
    X, Y = _iris(reference, "classification")
    state = {key: value.to(device) for key, value in _start(4, 5, 3, seed=7).items()}
    call = f"train(model, X, Y, epochs=2, lr=0.5, seed=2) with the model, X and Y on {device}"
    _compare(student, reference, state, X.to(device), Y.to(device), call, 2, lr=0.5, seed=2,
             sigmoid_output=True, device=device)


@pytest.mark.task("04.train", weight=2)
def test_train_fits_an_mlp_classifier(student, reference, credit):
    X_train, X_test, Y_train, Y_test = reference.load_split("classification")
    got = student.probe(iris.train_trusted, _start(4, 16, 3, seed=0), X_train, Y_train, 200, lr=0.5,
                        seed=0, sigmoid_output=True)
    model = reference.MLPC(4, 16, 3)
    model.load_state_dict(got["state_dict"])
    with torch.no_grad():
        accuracy = (model(X_test).argmax(dim=1) == Y_test.argmax(dim=1)).float().mean().item()
    trained = (f"a 4-16-3 classifier trained by train(model, X_train, Y_train, 200, lr=0.5) reaches "
               f"a test accuracy of {accuracy:.3f}")
    assert accuracy >= LOWEST_ACCURACY, f"{trained}; {FULL_MARKS_ACCURACY} earns full marks"
    if accuracy < FULL_MARKS_ACCURACY:
        credit.award(0.5, f"{trained}: {FULL_MARKS_ACCURACY} earns full marks")


@pytest.mark.task("04.train")
def test_train_fits_a_linear_regression(student, reference, credit):
    X_train, X_test, Y_train, Y_test = reference.load_split("regression")
    got = student.probe(iris.train_trusted, _start(3, 1, seed=0), X_train, Y_train, 100, lr=0.01)
    state = got["state_dict"]
    with torch.no_grad():
        predictions = X_test @ state["l1.weight"].T + state["l1.bias"]
    r2 = 1 - ((Y_test - predictions) ** 2).sum().item() / ((Y_test - Y_test.mean()) ** 2).sum().item()
    trained = (f"nn.Linear(3, 1) trained by train(model, X_train, Y_train, 100, lr=0.01) reaches a "
               f"test R^2 of {r2:.3f}")
    assert r2 >= LOWEST_R2, f"{trained}; {FULL_MARKS_R2} earns full marks"
    if r2 < FULL_MARKS_R2:
        credit.award(0.5, f"{trained}: {FULL_MARKS_R2} earns full marks")
