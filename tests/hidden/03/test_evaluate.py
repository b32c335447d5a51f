"""Hidden tests of evaluate, on the trusted TinyClassifier of cnn.

The expected loss and accuracy are computed here from the inputs the grader
chose. Eval mode is read from the numbers returned (in train mode the trusted
model drops a fixed half of its inputs, which changes the loss and the
accuracy), and gradient tracking from the model's outputs as computed, whose
requires_grad the probe returns. Each test starts the model in eval mode
unless it checks the mode, and only the tests of the weighing have a smaller
last batch, so that one mistake costs the tests of one behaviour.
"""

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from autograder.testkit.cases.cnn import batches_described, problem, problems
from autograder.testkit.compare import assert_numbers_match, assert_tensors_match
from autograder.testkit.probes import cnn
from autograder.testkit.source import turns_gradients_off

WEIGHED_HINT = ("Add up loss.item() * len(labels) and the correct predictions over all batches, then "
                "divide both by the number of samples: the last batch may be smaller.")
EVAL_HINT = "Call net.eval() first: evaluate's docstring asks for eval mode."
NO_GRAD_HINT = "Run the batches under torch.no_grad(): evaluate's docstring asks for no gradient tracking."


def _as_number(value, what: str) -> float:
    """A returned float, or a one-element tensor read as one (the type has its own test)."""
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        return value.item()
    assert isinstance(value, int | float) and not isinstance(value, bool), (
        f"{what}: expected a Python float, got {type(value).__name__} {value!r:.100}")
    return float(value)


def _expected(start, inputs, labels, criterion="cross_entropy", training=False):
    """(mean loss, accuracy) of the trusted model over all rows at once, in eval (or train) mode."""
    with torch.no_grad():
        logits = cnn.tiny_model(start).train(training)(inputs)
    loss = cnn.CRITERIA[criterion]()(logits, labels).item()
    return loss, (logits.argmax(dim=1) == labels).sum().item() / len(labels)


def _check_evaluation(student, case, batch_size, what, **options) -> dict:
    inputs, labels, start = case
    got = student.probe(cnn.evaluate_model, start, inputs, labels, batch_size, **options)
    returned = got["returned"]
    assert len(returned) == 2, f"{what}: expected a pair (loss, accuracy), got {returned!r:.200}"
    loss, accuracy = (_as_number(value, what) for value in returned)
    criterion = options.get("criterion", "cross_entropy")
    expected_loss, expected_accuracy = _expected(start, inputs, labels, criterion)
    if options.get("mode") == "train" and math.isclose(
            loss, _expected(start, inputs, labels, criterion, training=True)[0], rel_tol=1e-5):
        raise AssertionError(f"{what}: the loss returned, {loss:.6g}, is the loss in train mode; in eval "
                             f"mode it is {expected_loss:.6g}: call net.eval() first")
    assert_numbers_match(loss, expected_loss, f"{what}: the mean loss per sample", rtol=1e-5, atol=1e-6)
    assert_numbers_match(accuracy, expected_accuracy, f"{what}: the accuracy (correct predictions / "
                         "samples)", rtol=1e-6, atol=1e-9)
    return got


def _check_no_grad(student, student_source, case, batch_size, what):
    """The model's outputs were not recorded by autograd, and the source turns tracking off (read here)."""
    inputs, labels, start = case
    outputs = student.probe(cnn.evaluate_model, start, inputs, labels, batch_size)["outputs"]
    assert outputs, f"{what}: expected evaluate to call the model"
    tracked = sum(bool(output.requires_grad) for output in outputs)
    assert not tracked, (f"{what}: {tracked} of the model's {len(outputs)} output(s) were recorded by "
                         "autograd (requires_grad=True); run the batches under torch.no_grad()")
    assert turns_gradients_off(student_source, "evaluate"), (
        f"{what}: evaluate turns gradient tracking off nowhere (no torch.no_grad(), "
        "torch.inference_mode() or torch.set_grad_enabled(False) in it or in what it calls)")


@pytest.mark.task("03.evaluate", weight=2, hint=WEIGHED_HINT)
@given(problems(), st.integers(1, 12))
def test_evaluate_matches_the_loss_and_accuracy_over_all_rows(student, case, batch_size):
    _check_evaluation(student, case, batch_size, f"evaluate on {batches_described(len(case[0]), batch_size)}")


@pytest.mark.task("03.evaluate", hint=EVAL_HINT)
def test_evaluate_runs_in_eval_mode(student):
    _check_evaluation(student, problem(20, seed=8), 5,
                      "evaluate on a model left in train mode, 20 rows in batches of 5", mode="train")


@pytest.mark.task("03.evaluate", hint=NO_GRAD_HINT)
def test_evaluate_does_not_track_gradients(student, student_source):
    _check_no_grad(student, student_source, problem(22, seed=9), 5, "evaluate on 22 rows in batches of 5")


@pytest.mark.task("03.evaluate", weight=2, hint=WEIGHED_HINT)
def test_evaluate_counts_a_small_last_batch_by_its_size(student):
    """Only the last two of ten rows are right: 0.2, not the mean of the batch accuracies 1/3."""
    inputs, labels, start = problem(10, seed=7)
    with torch.no_grad():
        predicted = cnn.tiny_model(start).eval()(inputs).argmax(dim=1)
    labels = torch.where(torch.arange(10) >= 8, predicted, (predicted + 1) % 3)
    _check_evaluation(student, (inputs, labels, start), 4,
                      "evaluate on 10 rows in batches of [4, 4, 2], only the last 2 predicted right")


@pytest.mark.task("03.evaluate", hint="Return (loss, accuracy) as two Python floats (.item()), and "
                  "never step or backpropagate in evaluate.")
def test_evaluate_returns_two_python_floats_and_leaves_the_model_alone(student):
    inputs, labels, start = problem(15, seed=10)
    got = _check_evaluation(student, (inputs, labels, start), 5, "evaluate on 15 rows in batches of 5")
    assert got["types"] == ["float", "float"], (
        f"evaluate: expected (loss, accuracy) as two Python floats (use .item()), got {got['types']}")
    for key, value in start.items():
        assert_tensors_match(got["state_dict"][key], value, f"the model's {key} after evaluate "
                             "(evaluation must not change it)", rtol=0, atol=0)
    assert all(grad is None for grad in got["grads"]), (
        "evaluate: expected no gradients on the model's parameters after it")


@pytest.mark.task("03.evaluate", hint="Use the criterion you are given for the loss.")
def test_evaluate_uses_the_criterion_it_is_given(student):
    _check_evaluation(student, problem(24, seed=11), 8,
                      "evaluate with CrossEntropyLoss(label_smoothing=0.2) as criterion",
                      criterion="smoothed")


@pytest.mark.task("03.evaluate", hint="Move every batch to the device: inputs.to(device), "
                  "labels.to(device).")
def test_evaluate_moves_the_batches_to_the_device(student, device):
    got = _check_evaluation(student, problem(12, seed=12), 4, f"evaluate with the model on {device}",
                            device=device)
    devices = sorted({inputs.device.type for inputs in got["inputs"]})
    assert devices == [device], f"evaluate: expected the batches on {device}, got {devices}"


@pytest.mark.task("03.evaluate", hint=EVAL_HINT)
def test_evaluate_after_training_runs_in_eval_mode(student):
    _check_evaluation(student, problem(21, seed=13, n_features=4), 7,
                      "evaluate on a model left in train mode (as train_one_epoch leaves it), 21 rows "
                      "in batches of 7", mode="train")


@pytest.mark.task("03.evaluate", hint=NO_GRAD_HINT)
def test_evaluate_of_one_batch_does_not_track_gradients(student, student_source):
    _check_no_grad(student, student_source, problem(9, seed=14), 9, "evaluate on 9 rows in one batch")
