"""Hidden tests of train's batches, returned losses and seeding, read from the steps it took.

As in test_train.py, the trusted model keeps the rows of every batch it is fed
and the grader replays the steps (autograder/testkit/probes/iris_replay.py).
These tests look at which rows each step used, at the losses returned and at
how the seed decides the order; never at the order the reference draws.
"""

import pytest
import torch

from autograder.testkit.probes import iris, iris_replay
from autograder.testkit.probes.iris_replay import start_state

BATCH_HINT = ("Each epoch is one pass over all rows in a new shuffled order, cut into batches of "
              "batch_size rows; the last batch keeps the rows left over (no drop_last).")
LOSS_HINT = "Add up loss.item() of every batch of an epoch and append that sum once per epoch."
SEED_HINT = ("Shuffle with a generator seeded by seed, e.g. DataLoader(TensorDataset(X, Y), batch_size, "
             "shuffle=True, generator=torch.Generator().manual_seed(seed)) or "
             "torch.randperm(len(X), generator=...): the same seed then gives the same batches.")


def _data(rows, n_in=3, n_out=2, seed=0):
    generator = torch.Generator().manual_seed(seed)
    return torch.randn((rows, n_in), generator=generator), torch.randn((rows, n_out), generator=generator)


def _run(student, reference, state, X, Y, epochs, **kwargs):
    """The probe's reply and its replay for the student's train(model, X, Y, epochs, **kwargs)."""
    got = student.probe(iris.train_trusted, state, X, Y, epochs, **kwargs)
    return got, iris_replay.replay(reference, got, state, X, Y, kwargs.get("lr", 0.01))


def _order(student, reference, X, Y, call, **kwargs):
    got, run = _run(student, reference, start_state(X.shape[1], Y.shape[1], seed=9), X, Y, 2, lr=0.1,
                    **kwargs)
    order = iris_replay.batch_order(run)
    assert order and None not in order, (
        f"{call}: expected the model to be fed rows of X, got {len(order)} step(s)"
        + ("" if None not in order else " with rows that are not rows of X"))
    return order, got["state_dict"]


@pytest.mark.task("04.train", hint=BATCH_HINT)
@pytest.mark.parametrize(("rows", "batch_size"), [(25, 10), (7, 3), (5, 8), (12, 1), (75, 16)],
                         ids=lambda value: str(value))
def test_train_uses_every_row_once_per_epoch_in_batches_of_batch_size(student, reference, rows,
                                                                      batch_size):
    X, Y = _data(rows, seed=rows)
    call = (f"train(model, X, Y, epochs=2, lr=0.1, batch_size={batch_size}, seed=3) with X of shape "
            f"{tuple(X.shape)}")
    _, run = _run(student, reference, start_state(3, 2, seed=rows), X, Y, 2, lr=0.1,
                  batch_size=batch_size, seed=3)
    iris_replay.check_epochs(run, call, rows, batch_size, 2)


@pytest.mark.task("04.train", hint=LOSS_HINT)
@pytest.mark.parametrize(("rows", "batch_size", "epochs"), [(23, 5, 3), (40, 10, 2)], ids=str)
def test_train_returns_the_sum_of_the_batch_losses_of_each_epoch(student, reference, rows, batch_size,
                                                                epochs):
    X, Y = _data(rows, seed=100 + rows)
    call = (f"train(model, X, Y, epochs={epochs}, lr=0.1, batch_size={batch_size}, seed=4) with X of "
            f"shape {tuple(X.shape)}")
    got, run = _run(student, reference, start_state(3, 2, seed=rows), X, Y, epochs, lr=0.1,
                    batch_size=batch_size, seed=4)
    iris_replay.check_losses(got["losses"], run, call)


@pytest.mark.task("04.train", hint=SEED_HINT)
def test_train_same_seed_gives_the_same_batches(student, reference):
    X, Y = _data(30, seed=5)
    call = "train(model, X, Y, epochs=2, lr=0.1, batch_size=4, seed=7)"
    first, first_state = _order(student, reference, X, Y, call, batch_size=4, seed=7)
    second, second_state = _order(student, reference, X, Y, call, batch_size=4, seed=7)
    assert first == second, (
        f"{call} run twice from the same start fed the batches in other orders: first {first[:3]}..., "
        f"then {second[:3]}...")
    for key, value in first_state.items():
        assert torch.equal(second_state[key], value), (
            f"{call} run twice from the same start ended with other parameters ({key})")


@pytest.mark.task("04.train", hint=SEED_HINT)
def test_train_another_seed_gives_another_order(student, reference):
    X, Y = _data(30, seed=6)
    orders = {}
    for seed in (1, 2):
        call = f"train(model, X, Y, epochs=2, lr=0.1, batch_size=5, seed={seed})"
        orders[seed], _ = _order(student, reference, X, Y, call, batch_size=5, seed=seed)
    in_file_order = [tuple(range(start, start + 5)) for start in range(0, 30, 5)]
    assert orders[1][:6] != in_file_order, (
        "train(model, X, Y, epochs=2, batch_size=5, seed=1): expected shuffled batches, got the rows "
        f"in the order of X: {orders[1][:2]}...")
    assert orders[1] != orders[2], (
        "train(model, X, Y, epochs=2, batch_size=5) with seed=1 and with seed=2 fed the same "
        f"batches {orders[1][:2]}...: the seed should decide the order")


@pytest.mark.task("04.train", hint="The defaults are lr=0.01, batch_size=10 and seed=0.")
def test_train_default_batch_size_and_seed(student, reference):
    X, Y = reference.load_split("regression")[0::2]
    call = "train(model, X_train, Y_train, 2) with the default lr, batch_size and seed"
    _, run = _run(student, reference, start_state(3, 1, seed=8), X, Y, 2)
    iris_replay.check_epochs(run, call, len(X), 10, 2)
    default = iris_replay.batch_order(run)
    explicit, _ = _order(student, reference, X, Y, "train(..., batch_size=10, seed=0)", batch_size=10,
                         seed=0)
    assert default == explicit, (
        f"{call} fed other batches than train(model, X_train, Y_train, 2, batch_size=10, seed=0): "
        f"{default[:2]}... against {explicit[:2]}...; the default seed should be 0")


@pytest.mark.task("04.train", hint=LOSS_HINT)
def test_train_losses_on_an_iris_autoencoder(student, reference):
    X, _, _, _ = reference.load_split("autoencoder")
    call = "train(model, X_train, X_train, epochs=3, lr=0.05, seed=42) with a 4-2-4 autoencoder"
    got, run = _run(student, reference, start_state(4, 2, 4, seed=3), X, X, 3, lr=0.05, seed=42)
    iris_replay.check_losses(got["losses"], run, call)
