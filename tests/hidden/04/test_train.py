"""Hidden tests of train's updates, and of the models it trains.

The probe runs the student's ``train`` on a trusted model (nn.Linear layers named
l1 and l2, defined in autograder/testkit/probes/iris.py) that keeps the rows of
every batch it is fed and its parameters at that moment. The grader then
replays each step with the reference's own update on exactly that batch
(autograder/testkit/probes/iris_replay.py) and compares the parameters after
it: any correct loop passes, whatever order its shuffling gives.
"""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from autograder.testkit.probes import iris, iris_replay
from autograder.testkit.probes.iris_replay import start_state
from autograder.testkit.strategies import batches

FULL_MARKS_ACCURACY = 0.9
LOWEST_ACCURACY = 0.7  # 0.67 is what a model that only tells setosa apart gets
FULL_MARKS_R2 = 0.85
LOWEST_R2 = 0.5
UPDATE_HINT = ("For every batch: optimizer.zero_grad(), loss = nn.MSELoss()(model(xb), yb), "
               "loss.backward(), optimizer.step(), with torch.optim.SGD(model.parameters(), lr=lr).")


def _iris(reference, kind):
    """The trusted training half (X, Y) of an Iris split, from the reference."""
    X_train, _, Y_train, _ = reference.load_split(kind)
    return X_train, Y_train


def _check_updates(student, reference, state, X, Y, call, epochs, *, sigmoid_output=False,
                   only_first=False, **kwargs):
    """Run the student's train from ``state``; replay every step (or the first) with the reference update.

    ``kwargs`` go to train as given (lr only when the test names it; the replay uses 0.01 otherwise).
    """
    got = student.probe(iris.train_trusted, state, X, Y, epochs, sigmoid_output=sigmoid_output, **kwargs)
    lr = kwargs.get("lr", 0.01)
    run = iris_replay.replay(reference, got, state, X, Y, lr, sigmoid_output)
    iris_replay.check_updates(run, call, lr, Y, epochs=epochs, only_first=only_first)
    return got, run


@pytest.mark.task("04.train", weight=3, hint=UPDATE_HINT)
@given(batches(max_rows=30), st.integers(1, 12), st.integers(0, 1000),
       st.sampled_from([0.01, 0.1, 0.3]), st.integers(1, 3))
def test_train_makes_the_reference_update_at_every_step(student, reference, batch, batch_size, seed,
                                                        lr, epochs):
    X, Y = batch
    call = (f"train(model, X, Y, epochs={epochs}, lr={lr}, batch_size={batch_size}, seed={seed}) "
            f"with X of shape {tuple(X.shape)}, Y of shape {tuple(Y.shape)} and "
            f"nn.Linear({X.shape[1]}, {Y.shape[1]}) as the model")
    state = start_state(X.shape[1], Y.shape[1], seed=seed)
    start = ", ".join(f"{key} = {[round(value, 4) for value in tensor.flatten().tolist()]}"
                      for key, tensor in state.items())
    _check_updates(student, reference, state, X, Y, f"{call} starting from {start}", epochs, lr=lr,
                   batch_size=batch_size, seed=seed)


@pytest.mark.task("04.train", weight=2, hint=UPDATE_HINT)
def test_train_an_mlp_classifier_on_iris_makes_the_reference_updates(student, reference):
    X, Y = _iris(reference, "classification")
    call = ("train(model, X_train, Y_train, epochs=3, lr=0.5, batch_size=10, seed=5) on the Iris "
            "classification split, with a 4-8-3 network with sigmoids as the model")
    _check_updates(student, reference, start_state(4, 8, 3, seed=1), X, Y, call, 3, lr=0.5,
                   batch_size=10, seed=5, sigmoid_output=True)


@pytest.mark.task("04.train", hint="Call optimizer.zero_grad() before every backward pass, the "
                  "first one included: the model may arrive with gradients left from earlier.")
def test_train_clears_stale_gradients_before_the_first_step(student, reference):
    X, Y = _iris(reference, "regression")
    call = ("train(model, X_train, Y_train, epochs=1, lr=0.01) on a model whose parameters "
            "hold leftover gradients of 50 from an earlier backward pass")
    _check_updates(student, reference, start_state(3, 1, seed=4), X, Y, call, 1, lr=0.01,
                   stale_grad=50.0)


@pytest.mark.task("04.train", hint="The default learning rate is lr=0.01.")
def test_train_default_learning_rate(student, reference):
    X, Y = _iris(reference, "regression")
    _check_updates(student, reference, start_state(3, 1, seed=2), X, Y,
                   "train(model, X_train, Y_train, 3) with the default lr, batch_size and seed", 3,
                   only_first=True)


@pytest.mark.task("04.train", hint="With epochs=0 the loop body never runs: no step, and [] returned.")
def test_train_for_zero_epochs_changes_nothing(student, reference):
    X, Y = _iris(reference, "regression")
    call = "train(model, X_train, Y_train, 0)"
    got, _ = _check_updates(student, reference, start_state(3, 1, seed=6), X, Y, call, 0)
    assert list(got["losses"]) == [], f"{call}: expected [] (no epoch, no loss), got {got['losses']!r}"


@pytest.mark.task("04.train", hint="Use the tensors where they are: the model, X and Y arrive on "
                  "the same device, and nothing needs to move.")
def test_train_on_a_device(student, reference, device):
    X, Y = _iris(reference, "classification")
    state = {key: value.to(device) for key, value in start_state(4, 5, 3, seed=7).items()}
    call = f"train(model, X, Y, epochs=2, lr=0.5, seed=2) with the model, X and Y on {device}"
    _, run = _check_updates(student, reference, state, X.to(device), Y.to(device), call, 2, lr=0.5,
                            seed=2, sigmoid_output=True, device=device, only_first=True)
    assert run.devices == (device,), (
        f"{call}: expected the batches and the parameters on {device}, got them on {list(run.devices)}")


@pytest.mark.task("04.train", weight=2, hint=UPDATE_HINT)
def test_train_fits_an_mlp_classifier(student, reference, credit):
    X_train, X_test, Y_train, Y_test = reference.load_split("classification")
    got = student.probe(iris.train_trusted, start_state(4, 16, 3, seed=0), X_train, Y_train, 200,
                        lr=0.5, seed=0, sigmoid_output=True, record=False)
    model = reference.MLPC(4, 16, 3)
    model.load_state_dict(got["state_dict"])
    with torch.no_grad():
        accuracy = (model(X_test).argmax(dim=1) == Y_test.argmax(dim=1)).float().mean().item()
    trained = (f"a 4-16-3 classifier trained by train(model, X_train, Y_train, 200, lr=0.5) reaches "
               f"a test accuracy of {accuracy:.3f}")
    assert accuracy >= LOWEST_ACCURACY, f"{trained}; {FULL_MARKS_ACCURACY} earns full marks"
    if accuracy < FULL_MARKS_ACCURACY:
        credit.award(0.5, f"{trained}: {FULL_MARKS_ACCURACY} earns full marks")


@pytest.mark.task("04.train", hint=UPDATE_HINT)
def test_train_fits_a_linear_regression(student, reference, credit):
    X_train, X_test, Y_train, Y_test = reference.load_split("regression")
    got = student.probe(iris.train_trusted, start_state(3, 1, seed=0), X_train, Y_train, 100,
                        lr=0.01, record=False)
    state = got["state_dict"]
    with torch.no_grad():
        predictions = X_test @ state["l1.weight"].T + state["l1.bias"]
    r2 = 1 - ((Y_test - predictions) ** 2).sum().item() / ((Y_test - Y_test.mean()) ** 2).sum().item()
    trained = (f"nn.Linear(3, 1) trained by train(model, X_train, Y_train, 100, lr=0.01) reaches a "
               f"test R^2 of {r2:.3f}")
    assert r2 >= LOWEST_R2, f"{trained}; {FULL_MARKS_R2} earns full marks"
    if r2 < FULL_MARKS_R2:
        credit.award(0.5, f"{trained}: {FULL_MARKS_R2} earns full marks")
