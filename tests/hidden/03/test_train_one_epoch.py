"""Hidden tests of train_one_epoch, on the trusted TinyClassifier of cnn.

The probe keeps every batch the trusted model was fed and its parameters then;
the grader replays the steps with the reference's update, one batch at a time
(autograder/testkit/probes/cnn_replay.py). The updates, the returned mean loss
and the train mode are separate tests, so one mistake costs the tests of one
behaviour. In train mode the trusted model drops a fixed half of its inputs, so
a step taken in eval mode moves the parameters differently.
"""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from autograder.testkit.cases.cnn import batches_described, problem, problems
from autograder.testkit.compare import assert_numbers_match
from autograder.testkit.probes import cnn, cnn_replay

UPDATE = ("the reference's step: optimizer.zero_grad(), loss = criterion(net(inputs), labels), "
          "loss.backward(), optimizer.step()")
UPDATE_HINT = ("For every batch: optimizer.zero_grad(), loss = criterion(net(inputs), labels), "
               "loss.backward(), optimizer.step(), with the optimizer and criterion you are given.")
MEAN_HINT = ("Return the mean loss per sample: add up loss.item() * len(labels) over the batches and "
             "divide by the number of samples.")
MODE_HINT = "Call net.train() before the loop: the model may arrive in eval mode."


def _run(student, reference, case, batch_size, lr, **options):
    """The probe's reply and its replay for one call of the student's train_one_epoch."""
    inputs, labels, start = case
    got = student.probe(cnn.train_epoch, start, inputs, labels, batch_size, lr, **options)
    settings = {key: options[key] for key in ("momentum", "weight_decay", "criterion") if key in options}
    run = cnn_replay.replay(reference, got, start, cnn_replay.batches_of(inputs, labels, batch_size),
                            lr=lr, **settings)
    return got, run


def _check_updates(student, reference, case, batch_size, lr, call, only_first=False, **options):
    """Replay the student's steps; with ``only_first`` compare the first one only (see check_updates)."""
    got, run = _run(student, reference, case, batch_size, lr, **options)
    cnn_replay.check_updates(run, call, len(cnn_replay.batches_of(case[0], case[1], batch_size)), UPDATE,
                             only_first=only_first)
    return got, run


def _check_mean(student, reference, case, batch_size, lr, call):
    got, run = _run(student, reference, case, batch_size, lr)
    returned = got["returned"]
    if isinstance(returned, torch.Tensor) and returned.numel() == 1:
        returned = returned.item()  # the type has its own test
    assert_numbers_match(returned, cnn_replay.mean_loss(run.steps),
                         f"{call}: the mean loss per sample returned (each batch's loss, at the "
                         "parameters before its step, weighed by its size)", rtol=1e-5, atol=1e-6)


@pytest.mark.task("03.train_one_epoch", weight=2, hint=UPDATE_HINT)
@given(problems(), st.integers(1, 12), st.sampled_from([0.05, 0.5, 2.0]))
def test_train_one_epoch_makes_one_reference_step_per_batch(student, reference, case, batch_size, lr):
    _check_updates(student, reference, case, batch_size, lr, f"train_one_epoch with SGD(lr={lr}) and "
                   f"CrossEntropyLoss on {batches_described(len(case[0]), batch_size)}")


@pytest.mark.task("03.train_one_epoch", weight=2, hint=MEAN_HINT)
def test_train_one_epoch_weighs_a_small_last_batch_by_its_size(student, reference):
    _check_mean(student, reference, problem(50, seed=1), 16, 0.5,
                f"train_one_epoch on {batches_described(50, 16)}")


@pytest.mark.task("03.train_one_epoch", hint=MODE_HINT)
def test_train_one_epoch_puts_the_model_in_train_mode(student, reference):
    _check_updates(student, reference, problem(20, seed=4), 6, 0.1,
                   "train_one_epoch on a model left in eval mode, 20 rows in batches of 6", mode="eval",
                   only_first=True)


@pytest.mark.task("03.train_one_epoch", hint="Call optimizer.zero_grad() before every backward pass, "
                  "the first one included: the model may arrive with leftover gradients.")
def test_train_one_epoch_clears_gradients_left_by_an_earlier_step(student, reference):
    _check_updates(student, reference, problem(24, seed=2), 8, 0.1,
                   "train_one_epoch when every parameter starts with a leftover .grad of 5.0",
                   stale_grad=5.0)


@pytest.mark.task("03.train_one_epoch", hint=UPDATE_HINT)
def test_train_one_epoch_uses_the_optimizer_and_criterion_it_is_given(student, reference):
    case = problem(30, seed=3)
    _check_updates(student, reference, case, 7, 0.2,
                   "train_one_epoch with SGD(lr=0.2, momentum=0.9, weight_decay=0.01)",
                   momentum=0.9, weight_decay=0.01, only_first=True)
    _check_updates(student, reference, case, 7, 0.2,
                   "train_one_epoch with CrossEntropyLoss(label_smoothing=0.2) as criterion",
                   criterion="smoothed", only_first=True)


@pytest.mark.task("03.train_one_epoch", hint="Return a Python float: add up loss.item(), not the loss "
                  "tensor.")
def test_train_one_epoch_returns_a_python_float(student):
    inputs, labels, start = problem(10, seed=5)
    got = student.probe(cnn.train_epoch, start, inputs, labels, 4, 0.1)
    assert got["type"] == "float", (
        f"train_one_epoch: expected the mean loss as a Python float (use loss.item()), got a "
        f"{got['type']}")


@pytest.mark.task("03.train_one_epoch", hint="Move every batch to the device: inputs.to(device), "
                  "labels.to(device).")
def test_train_one_epoch_moves_the_batches_to_the_device(student, reference, device):
    call = f"train_one_epoch with the model on {device}"
    _, run = _check_updates(student, reference, problem(18, seed=6), 5, 0.3, call, only_first=True,
                            device=device)
    assert run.devices == (device,), f"{call}: expected the batches on {device}, got {list(run.devices)}"


@pytest.mark.task("03.train_one_epoch", hint=MEAN_HINT)
@pytest.mark.parametrize(("rows", "batch_size"), [(12, 12), (31, 10)], ids=str)
def test_train_one_epoch_returns_the_mean_loss_per_sample(student, reference, rows, batch_size):
    _check_mean(student, reference, problem(rows, seed=20 + rows), batch_size, 0.3,
                f"train_one_epoch on {batches_described(rows, batch_size)}")


@pytest.mark.task("03.train_one_epoch", hint=MODE_HINT)
def test_train_one_epoch_trains_in_train_mode_after_an_evaluation(student, reference):
    _check_updates(student, reference, problem(17, seed=9, n_features=6), 5, 0.4,
                   "train_one_epoch on a model left in eval mode (as evaluate leaves it), 17 rows in "
                   "batches of 5", mode="eval", only_first=True)
