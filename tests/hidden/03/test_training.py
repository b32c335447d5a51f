"""Hidden tests of train_one_epoch and evaluate, on the trusted TinyClassifier of cnn."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from autograder.testkit.compare import assert_numbers_match, assert_tensors_match
from autograder.testkit.probes import cnn


def _problem(rows: int, seed: int = 0, n_features: int = 5, n_classes: int = 3):
    """Seeded inputs, labels and a starting state_dict for TinyClassifier(n_features, n_classes)."""
    generator = torch.Generator().manual_seed(seed)
    inputs = torch.randn((rows, n_features), generator=generator)
    labels = torch.randint(0, n_classes, (rows,), generator=generator)
    start = {"linear.weight": torch.randn((n_classes, n_features), generator=generator) / 2,
             "linear.bias": torch.randn((n_classes,), generator=generator) / 4}
    return inputs, labels, start


def _as_number(value, what: str) -> float:
    """A returned float, or a one-element tensor read as one (the type has its own test)."""
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        return value.item()
    assert isinstance(value, int | float) and not isinstance(value, bool), (
        f"{what}: expected a Python float, got {type(value).__name__} {value!r:.100}")
    return float(value)


def _batches(rows: int, batch_size: int) -> str:
    sizes = [min(batch_size, rows - start) for start in range(0, rows, batch_size)]
    return f"{rows} rows in batches of {sizes}"


# ---------------------------------------------------------------- train_one_epoch


def _check_epoch(student, reference, problem, batch_size, lr, what, **options) -> dict:
    """Run the student's and the reference's train_one_epoch from the same start; compare."""
    inputs, labels, start = problem
    got = student.probe(cnn.train_epoch, start, inputs, labels, batch_size, lr, **options)
    expected = cnn.train_epoch(reference, start, inputs, labels, batch_size, lr, **options)
    assert_numbers_match(_as_number(got["returned"], what), expected["returned"],
                         f"{what}: the mean loss per sample returned", rtol=1e-5, atol=1e-6)
    for key, value in expected["state_dict"].items():
        assert_tensors_match(got["state_dict"][key], value,
                             f"{what}: the model's {key} after the epoch", rtol=1e-5, atol=1e-6)
    return got


@pytest.mark.task("03.train_one_epoch", weight=2)
@given(st.integers(1, 40), st.integers(1, 12), st.sampled_from([0.05, 0.5, 2.0]))
def test_train_one_epoch_matches_the_reference(student, reference, rows, batch_size, lr):
    _check_epoch(student, reference, _problem(rows, seed=rows), batch_size, lr,
                 f"train_one_epoch with SGD(lr={lr}) and CrossEntropyLoss on {_batches(rows, batch_size)}")


@pytest.mark.task("03.train_one_epoch", weight=2)
def test_train_one_epoch_weighs_a_small_last_batch_by_its_size(student, reference):
    _check_epoch(student, reference, _problem(50, seed=1), 16, 0.5,
                 f"train_one_epoch on {_batches(50, 16)} (weigh each batch's loss by its size)")


@pytest.mark.task("03.train_one_epoch")
def test_train_one_epoch_clears_gradients_left_by_an_earlier_step(student, reference):
    _check_epoch(student, reference, _problem(24, seed=2), 8, 0.1,
                 "train_one_epoch when every parameter starts with a leftover .grad of 5.0",
                 stale_grad=5.0)


@pytest.mark.task("03.train_one_epoch")
def test_train_one_epoch_uses_the_optimizer_and_criterion_it_is_given(student, reference):
    problem = _problem(30, seed=3)
    _check_epoch(student, reference, problem, 7, 0.2,
                 "train_one_epoch with SGD(lr=0.2, momentum=0.9, weight_decay=0.01)",
                 momentum=0.9, weight_decay=0.01)
    _check_epoch(student, reference, problem, 7, 0.2,
                 "train_one_epoch with CrossEntropyLoss(label_smoothing=0.2) as criterion",
                 criterion="smoothed")


@pytest.mark.task("03.train_one_epoch")
def test_train_one_epoch_runs_in_train_mode_with_autograd(student):
    inputs, labels, start = _problem(20, seed=4)
    got = student.probe(cnn.train_epoch, start, inputs, labels, 6, 0.1, mode="eval")
    what = "train_one_epoch on a model left in eval mode, 20 rows in batches of 6"
    seen = [(record["training"], record["grad_enabled"]) for record in got["seen"]]
    assert len(seen) == 4, f"{what}: expected 4 forward calls (one per batch), got {len(seen)}"
    assert all(training for training, _ in seen), (
        f"{what}: expected every forward call in train mode (call net.train() first), got "
        f"training={[training for training, _ in seen]}")
    assert all(grad for _, grad in seen), (
        f"{what}: expected autograd to record every forward call, got "
        f"grad_enabled={[grad for _, grad in seen]}")


@pytest.mark.task("03.train_one_epoch")
def test_train_one_epoch_returns_a_python_float(student):
    inputs, labels, start = _problem(10, seed=5)
    got = student.probe(cnn.train_epoch, start, inputs, labels, 4, 0.1)
    assert got["type"] == "float", (
        f"train_one_epoch: expected the mean loss as a Python float (use loss.item()), got a "
        f"{got['type']}")


@pytest.mark.task("03.train_one_epoch")
def test_train_one_epoch_moves_the_batches_to_the_device(student, reference, device):
    got = _check_epoch(student, reference, _problem(18, seed=6), 5, 0.3,
                       f"train_one_epoch with the model on {device}", device=device)
    devices = sorted({record["device"] for record in got["seen"]})
    assert devices == [device], f"train_one_epoch: expected the batches on {device}, got {devices}"


# ---------------------------------------------------------------- evaluate


def _expected_evaluation(start, inputs, labels, criterion="cross_entropy"):
    """(mean loss, accuracy) of the trusted model over all rows at once."""
    with torch.no_grad():
        logits = cnn.tiny_model(start)(inputs)
    loss = cnn.CRITERIA[criterion]()(logits, labels).item()
    return loss, (logits.argmax(dim=1) == labels).sum().item() / len(labels)


def _check_evaluation(student, problem, batch_size, what, **options) -> dict:
    inputs, labels, start = problem
    got = student.probe(cnn.evaluate_model, start, inputs, labels, batch_size, **options)
    returned = got["returned"]
    assert len(returned) == 2, f"{what}: expected a pair (loss, accuracy), got {returned!r:.200}"
    expected_loss, expected_accuracy = _expected_evaluation(
        start, inputs, labels, options.get("criterion", "cross_entropy"))
    assert_numbers_match(_as_number(returned[0], what), expected_loss,
                         f"{what}: the mean loss per sample", rtol=1e-5, atol=1e-6)
    assert_numbers_match(_as_number(returned[1], what), expected_accuracy,
                         f"{what}: the accuracy (correct predictions / samples)", rtol=1e-6, atol=1e-9)
    return got


@pytest.mark.task("03.evaluate", weight=2)
@given(st.integers(1, 40), st.integers(1, 12), st.integers(0, 1000))
def test_evaluate_matches_the_loss_and_accuracy_over_all_rows(student, rows, batch_size, seed):
    _check_evaluation(student, _problem(rows, seed=seed), batch_size,
                      f"evaluate on {_batches(rows, batch_size)}")


@pytest.mark.task("03.evaluate", weight=2)
def test_evaluate_counts_a_small_last_batch_by_its_size(student):
    """Only the last two of ten rows are right: 0.2, not the mean of the batch accuracies 1/3."""
    inputs, labels, start = _problem(10, seed=7)
    with torch.no_grad():
        predicted = cnn.tiny_model(start)(inputs).argmax(dim=1)
    labels = torch.where(torch.arange(10) >= 8, predicted, (predicted + 1) % 3)
    _check_evaluation(student, (inputs, labels, start), 4,
                      "evaluate on 10 rows in batches of [4, 4, 2], only the last 2 predicted right")


@pytest.mark.task("03.evaluate")
def test_evaluate_runs_in_eval_mode(student):
    inputs, labels, start = _problem(22, seed=8)
    got = student.probe(cnn.evaluate_model, start, inputs, labels, 5, mode="train")
    training = [record["training"] for record in got["seen"]]
    assert training and not any(training), (
        "evaluate on a model left in train mode: expected every forward call in eval mode "
        f"(call net.eval() first), got training={training}")


@pytest.mark.task("03.evaluate")
def test_evaluate_does_not_track_gradients(student):
    inputs, labels, start = _problem(22, seed=9)
    got = student.probe(cnn.evaluate_model, start, inputs, labels, 5)
    enabled = [record["grad_enabled"] for record in got["seen"]]
    assert enabled and not any(enabled), (
        "evaluate: expected every forward call under torch.no_grad(), got autograd "
        f"recording={enabled}")


@pytest.mark.task("03.evaluate")
def test_evaluate_returns_two_python_floats_and_leaves_the_model_alone(student):
    inputs, labels, start = _problem(15, seed=10)
    got = _check_evaluation(student, (inputs, labels, start), 6, "evaluate on 15 rows")
    assert got["types"] == ["float", "float"], (
        f"evaluate: expected (loss, accuracy) as two Python floats (use .item()), got {got['types']}")
    for key, value in start.items():
        assert_tensors_match(got["state_dict"][key], value, f"the model's {key} after evaluate "
                             "(evaluation must not change it)", rtol=0, atol=0)
    assert not any(got["grads"]), "evaluate: expected no gradients on the model's parameters after it"


@pytest.mark.task("03.evaluate")
def test_evaluate_uses_the_criterion_it_is_given(student):
    _check_evaluation(student, _problem(26, seed=11), 8,
                      "evaluate with CrossEntropyLoss(label_smoothing=0.2) as criterion",
                      criterion="smoothed")


@pytest.mark.task("03.evaluate")
def test_evaluate_moves_the_batches_to_the_device(student, device):
    got = _check_evaluation(student, _problem(14, seed=12), 4, f"evaluate with the model on {device}",
                            device=device)
    devices = sorted({record["device"] for record in got["seen"]})
    assert devices == [device], f"evaluate: expected the batches on {device}, got {devices}"
