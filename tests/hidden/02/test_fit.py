"""Hidden tests of fit, by behaviour: the batches its loop fed and the update it made at each step.

The probe runs the student's ``fit`` with a trusted ``model`` and ``nll`` that
record every batch and the parameters each step started from. The grader then
checks the batches (every row once per epoch, labels with their rows, the
prescribed order) and replays every step with the reference update, comparing
the parameters the next step started from. Any correct loop passes; only
one test asks for the prescribed order of the batches.
"""

import math

import pytest
import torch

from autograder.testkit.compare import assert_tensors_match, calling
from autograder.testkit.probes import scratch

# (rows, batch size, learning rate, epochs)
CASES = [(100, 16, 0.5, 2), (37, 10, 0.1, 3), (65, 64, 1.5, 2), (20, 32, 0.3, 2), (48, 12, 0.05, 2)]
UPDATE_CASES = [case for case in CASES if case[0] >= case[1]]  # at least one full batch per epoch
TOLERANCE = {"rtol": 1e-4, "atol": 1e-5}
LOOP_HINT = ("For each batch: loss = nll(model(xb, weights, bias), yb); loss.backward(); then under "
             "torch.no_grad() weights -= weights.grad * lr (and bias), and zero both gradients.")


def problem(rows, n_in=6, n_out=4, seed=0):
    """Seeded inputs, labels and starting parameters (a non-zero bias, so its updates show)."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.rand(rows, n_in, generator=generator)
    y = torch.randint(0, n_out, (rows,), generator=generator)
    weights = torch.randn(n_in, n_out, generator=generator) / math.sqrt(n_in)
    bias = torch.randn(n_out, generator=generator) / 10
    return x, y, weights, bias


def call_of(rows, bs, lr, epochs):
    return f"fit(x, y, weights, bias, lr={lr}, epochs={epochs}, bs={bs}) on {rows} rows"


def record(student, rows, bs, lr, epochs, seed=None):
    """(x, y, weights, bias, the probe's record of fit, the call as text)."""
    x, y, weights, bias = problem(rows, seed=rows if seed is None else seed)
    call = call_of(rows, bs, lr, epochs)
    with calling(call):
        got = student.probe(scratch.fit_record, x, y, weights, bias, lr=lr, epochs=epochs, bs=bs)
    return x, y, weights, bias, got, call


def steps_of(got: dict, call: str) -> list[dict]:
    """The training steps: losses from nll(model(xb, ...)) that a backward pass went through."""
    steps = [{**got["calls"][loss["call"]], "target": loss["target"]}
             for loss in got["losses"] if loss["call"] is not None and loss["backward"]]
    assert steps, (f"{call} made no training step: no loss = nll(model(xb, weights, bias), yb) that "
                   "loss.backward() went through (fit must use the module's model and nll)")
    return steps


def row_ids(x: torch.Tensor, xb: torch.Tensor) -> list[int]:
    """The index in x of every row of xb (-1 for a row that is not one of x's)."""
    index = {tuple(row.tolist()): i for i, row in enumerate(x)}
    return [index.get(tuple(row.tolist()), -1) for row in xb]


def describe(batches: list[list[int]]) -> str:
    """Batches of row indices, each as a range when it is one: "[0-15], [16-31], [32, 7]"."""
    def one(ids):
        if len(ids) > 1 and ids == list(range(ids[0], ids[-1] + 1)):
            return f"[{ids[0]}-{ids[-1]}]"
        return str(ids) if len(ids) <= 8 else f"[{', '.join(map(str, ids[:8]))}, ...]"
    shown = ", ".join(one(ids) for ids in batches[:12])
    return shown + (f", ... ({len(batches)} batches)" if len(batches) > 12 else "")


def expected_sizes(rows: int, bs: int) -> list[int]:
    return [min(bs, rows - start) for start in range(0, rows, bs)]


def replay(reference, step: dict, lr: float):
    """(loss, weights after, bias after) of one step by the reference's model, nll and update."""
    weights = step["weights"].clone().requires_grad_(True)
    bias = step["bias"].clone().requires_grad_(True)
    loss = reference.nll(reference.model(step["xb"], weights, bias), step["target"])
    loss.backward()
    with torch.no_grad():
        return loss.item(), weights - weights.grad * lr, bias - bias.grad * lr


def check_updates(reference, x, steps: list[dict], lr: float, call: str) -> None:
    """Each step's parameters are the previous step's after the reference update on its batch."""
    for number, (step, following) in enumerate(zip(steps, steps[1:], strict=False), 1):
        _, weights, bias = replay(reference, step, lr)
        rows = describe([row_ids(x, step["xb"])])
        where = f"{call}: the parameters after step {number} (the batch of rows {rows})"
        assert_tensors_match(following["weights"], weights, f"{where}, weights", **TOLERANCE)
        assert_tensors_match(following["bias"], bias, f"{where}, bias", **TOLERANCE)


def check_epochs(x, y, steps: list[dict], rows: int, bs: int, epochs: int, call: str) -> None:
    """Every epoch feeds every row once, with its own label, in batches of bs (the last smaller)."""
    batches = [row_ids(x, step["xb"]) for step in steps]
    sizes = expected_sizes(rows, bs)
    assert len(batches) == epochs * len(sizes), (
        f"{call}: expected {epochs} epochs of {len(sizes)} batches (sizes {sizes}), got "
        f"{len(batches)} steps on the batches of rows {describe(batches)}")
    for number, start in enumerate(range(0, len(batches), len(sizes)), 1):
        epoch = batches[start:start + len(sizes)]
        assert sorted(len(ids) for ids in epoch) == sorted(sizes), (
            f"{call}: epoch {number} fed batches of sizes {[len(ids) for ids in epoch]}, expected "
            f"{sizes} (the last batch smaller, not dropped)")
        assert sorted(i for ids in epoch for i in ids) == list(range(rows)), (
            f"{call}: epoch {number} should feed each of the {rows} rows once, got the rows "
            f"{describe(epoch)}")
    for step, ids in zip(steps, batches, strict=True):
        assert torch.equal(step["target"], y[ids]), (
            f"{call}: the labels fed with the rows {ids} were {step['target'].tolist()}, expected "
            f"their own labels {y[ids].tolist()} (slice x and y alike)")


@pytest.mark.task("02.fit", weight=2,
                  hint="Every epoch goes over all rows once: ceil(N / bs) batches, the last one smaller, "
                       "each with the labels of its own rows.")
def test_fit_feeds_every_row_once_per_epoch(student):
    for rows, bs, lr, epochs in CASES:
        x, y, _, _, got, call = record(student, rows, bs, lr, epochs)
        check_epochs(x, y, steps_of(got, call), rows, bs, epochs, call)


@pytest.mark.task("02.fit", hint="range((len(x) - 1) // bs + 1) batches: the last, smaller one too.")
def test_fit_uses_the_last_uneven_batch(student, reference):
    """Does a last batch of a single row take part in training, in every epoch?"""
    x, y, _, _, got, call = record(student, 25, 8, 0.8, 2, seed=1)
    call += " (the last batch of each epoch has 1 row)"
    steps = steps_of(got, call)
    check_epochs(x, y, steps, 25, 8, 2, call)
    check_updates(reference, x, steps, 0.8, call)


@pytest.mark.task("02.fit",
                  hint="Append each batch's loss.item() when it is computed, before the update.")
def test_fit_returns_the_loss_of_every_batch_before_its_update(student, reference):
    for rows, bs, lr, epochs in CASES[:3]:
        _, _, _, _, got, call = record(student, rows, bs, lr, epochs)
        steps, returned = steps_of(got, call), got["returned"]
        assert isinstance(returned, list | tuple) and len(returned) == len(steps), (
            f"{call}: expected a list of {len(steps)} losses, one per step, got {returned!r:.200}")
        try:
            values = torch.tensor([float(loss) for loss in returned], dtype=torch.float64)
        except (TypeError, ValueError, RuntimeError):
            raise AssertionError(f"{call}: expected the losses as numbers, got {returned!r:.200}") from None
        expected = torch.tensor([replay(reference, step, lr)[0] for step in steps], dtype=torch.float64)
        assert_tensors_match(values, expected, f"the losses returned by {call} (each batch's loss "
                             "before its update)", **TOLERANCE)


@pytest.mark.task("02.fit", hint="loss.item() is a Python float; the loss tensor itself is not.")
def test_fit_returns_python_floats(student):
    _, _, _, _, got, call = record(student, 65, 16, 0.5, 2)
    returned = got["returned"]
    assert isinstance(returned, list | tuple) and returned, (
        f"{call}: expected a list of floats, one per batch, got {returned!r:.200}")
    kinds = sorted({type(value).__name__ for value in returned if type(value) is not float})
    assert not kinds, f"{call}: expected every loss as a Python float (loss.item()), got {kinds}"


@pytest.mark.task("02.fit",
                  hint="Batch i is x[i*bs:(i+1)*bs] with y[i*bs:(i+1)*bs], in order, in every epoch; "
                       "don't shuffle.")
def test_fit_takes_the_batches_in_order(student):
    for rows, bs, lr, epochs in CASES[:2]:
        x, _, _, _, got, call = record(student, rows, bs, lr, epochs)
        batches = [row_ids(x, step["xb"]) for step in steps_of(got, call)]
        in_order = [list(range(start, min(start + bs, rows))) for start in range(0, rows, bs)] * epochs
        assert batches == in_order, (
            f"{call}: expected the batches x[i*bs:(i+1)*bs] in order in every epoch, "
            f"{describe(in_order)}; got {describe(batches)}")


@pytest.mark.task("02.fit", weight=2, hint=LOOP_HINT)
def test_fit_makes_the_sgd_update_at_every_step(student, reference):
    for rows, bs, lr, epochs in UPDATE_CASES:
        x, _, _, _, got, call = record(student, rows, bs, lr, epochs)
        check_updates(reference, x, steps_of(got, call), lr, call)


@pytest.mark.task("02.fit", hint="Step by weights.grad * lr and bias.grad * lr, with the lr passed in.")
def test_fit_uses_the_learning_rate(student, reference):
    for lr in [0.01, 2.0]:
        x, _, _, _, got, call = record(student, 30, 10, lr, 1, seed=2)
        check_updates(reference, x, steps_of(got, call), lr, call)
