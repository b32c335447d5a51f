"""Hidden tests of fit (on the trusted TinyClassifier, then the student's Net on MNIST) and plot_history.

The fit probes run the student's fit with trusted train_one_epoch and evaluate,
so only fit itself is graded here; the MNIST test also uses the student's Net.
The trusted model keeps every batch it is fed and its parameters then; the
grader replays the training steps with the reference update and one SGD
optimizer of the expected settings (autograder/testkit/probes/cnn_replay.py),
and computes each epoch's history from the parameters the model had.
"""

import io

import pytest
import torch

from autograder.testkit.compare import assert_numbers_match
from autograder.testkit.probes import cnn, cnn_replay
from autograder.testkit.probes.replay import split_steps

KEYS = ["test_accuracy", "test_loss", "train_accuracy", "train_loss"]
BATCH_SIZE = 8
UPDATE = "the reference's training: one torch.optim.SGD with these settings, nn.CrossEntropyLoss()"
OPTIMIZER_HINT = ("Build nn.CrossEntropyLoss() and torch.optim.SGD(net.parameters(), lr=lr, "
                  "momentum=momentum, weight_decay=weight_decay) once, before the epoch loop.")


def _sets(seed: int = 0, n_features: int = 5, n_classes: int = 3):
    """(train (x, y), test (x, y), start state_dict) of a small seeded problem."""
    generator = torch.Generator().manual_seed(seed)
    train = (torch.randn((40, n_features), generator=generator),
             torch.randint(0, n_classes, (40,), generator=generator))
    test = (torch.randn((25, n_features), generator=generator) + 0.5,
            torch.randint(0, n_classes, (25,), generator=generator))
    start = {"linear.weight": torch.randn((n_classes, n_features), generator=generator) / 2,
             "linear.bias": torch.randn((n_classes,), generator=generator) / 4}
    return train, test, start


def _check_history_shape(history, epochs: int, call: str) -> None:
    assert isinstance(history, dict), f"{call}: expected a dict, got {type(history).__name__}"
    assert sorted(history) == KEYS, f"{call}: expected the keys {KEYS}, got {sorted(history)}"
    for key in KEYS:
        values = history[key]
        assert isinstance(values, list) and len(values) == epochs, (
            f"{call}: expected history[{key!r}] to be a list of {epochs} values (one per epoch), "
            f"got {values!r:.200}")
        kinds = sorted({type(value).__name__ for value in values if type(value) is not float})
        assert not kinds, f"{call}: expected history[{key!r}] to hold Python floats, got {kinds}"


def _fit(student, reference, call, epochs, seed, **options):
    """Run the student's fit; replay its steps with the expected optimizer (defaults as fit's)."""
    train, test, start = _sets(seed)
    got = student.probe(cnn.fit_model, start, train, test, BATCH_SIZE, epochs, **options)
    settings = {"lr": options.get("lr", 0.01), "momentum": options.get("momentum", 0.9),
                "weight_decay": options.get("weight_decay", 0.005)}
    batches = cnn_replay.batches_of(*train, BATCH_SIZE)
    run = cnn_replay.replay(reference, got, start, batches, **settings)
    return got, run, settings, (train, test, start)


def _diagnosis(reference, got, start, batches, settings, epochs) -> str:
    """Which usual mistake the steps match, if any."""
    n_steps = epochs * len(batches)
    guesses = [({"new_optimizer_every": len(batches)}, "a new optimizer every epoch (momentum lost)"),
               ({"momentum": 0.0, "weight_decay": 0.0}, "SGD without momentum and weight_decay")]
    for change, meaning in guesses:
        run = cnn_replay.replay(reference, got, start, batches, **{**settings, **change})
        if len(run.steps) == n_steps and not any(step.problem for step in run.steps):
            return f"; the steps are those of {meaning}"
    return ""


def _check_training(student, reference, call, epochs, seed, **options):
    got, run, settings, (train, _, start) = _fit(student, reference, call, epochs, seed, **options)
    batches = cnn_replay.batches_of(*train, BATCH_SIZE)
    text = ", ".join(f"{key}={value:g}" for key, value in settings.items())
    try:
        cnn_replay.check_updates(run, call, epochs * len(batches), f"{UPDATE}, SGD({text})")
    except AssertionError as error:
        raise AssertionError(f"{error}{_diagnosis(reference, got, start, batches, settings, epochs)}"
                             ) from None
    return got, run


@pytest.mark.task("03.fit", hint="Return a dict of four lists (train_loss, train_accuracy, test_loss, "
                  "test_accuracy), one Python float per epoch in each.")
def test_fit_history_holds_one_float_per_epoch_in_four_lists(student):
    train, test, start = _sets(1)
    got = student.probe(cnn.fit_model, start, train, test, BATCH_SIZE, 3, lr=0.1)
    call = "fit(net, train_loader, test_loader, epochs=3, lr=0.1)"
    _check_history_shape(got["history"], 3, call)
    for key in ("train_accuracy", "test_accuracy"):
        assert all(0.0 <= value <= 1.0 for value in got["history"][key]), (
            f"{call}: expected accuracies between 0 and 1 in history[{key!r}], got "
            f"{got['history'][key]}")


@pytest.mark.task("03.fit", weight=2, hint="Each epoch: train_loss from train_one_epoch, then evaluate "
                  "on the training loader (its accuracy) and on the test loader.")
def test_fit_history_records_each_epoch_of_the_model_it_trained(student, reference):
    call = "fit(net, train_loader, test_loader, epochs=3, lr=0.1) on 40 training and 25 test rows"
    got, run, _, (train, test, _) = _fit(student, reference, call, 3, 2, lr=0.1)
    _check_history_shape(got["history"], 3, call)
    per_epoch = len(cnn_replay.batches_of(*train, BATCH_SIZE))
    assert len(run.steps) == 3 * per_epoch, (
        f"{call}: expected {3 * per_epoch} training steps ({per_epoch} per epoch), got {len(run.steps)}")
    ends = [step.after for step in split_steps(got["records"], got["state_dict"])][per_epoch - 1::per_epoch]
    for epoch, state in enumerate(ends):
        expected = {"train_loss": cnn_replay.mean_loss(run.steps[epoch * per_epoch:(epoch + 1) * per_epoch]),
                    "train_accuracy": cnn_replay.evaluation(state, *train)[1],
                    "test_loss": cnn_replay.evaluation(state, *test)[0],
                    "test_accuracy": cnn_replay.evaluation(state, *test)[1]}
        for key, value in expected.items():
            assert_numbers_match(got["history"][key][epoch], value,
                                 f"{call}: history[{key!r}][{epoch}], for the model as it was after "
                                 f"epoch {epoch + 1}", rtol=1e-5, atol=1e-6)


@pytest.mark.task("03.fit", weight=2, hint=OPTIMIZER_HINT)
def test_fit_keeps_one_optimizer_with_momentum_and_weight_decay(student, reference):
    _check_training(student, reference, "fit(net, train_loader, test_loader, epochs=3, lr=0.05) with "
                    "the default momentum=0.9 and weight_decay=0.005", 3, 3, lr=0.05)


@pytest.mark.task("03.fit", weight=2, hint=OPTIMIZER_HINT)
def test_fit_passes_its_settings_to_the_optimizer(student, reference):
    _check_training(student, reference, "fit(..., epochs=2, lr=0.3, momentum=0.5, weight_decay=0.02)",
                    2, 4, lr=0.3, momentum=0.5, weight_decay=0.02)
    _check_training(student, reference, "fit(..., epochs=2, lr=0.02, momentum=0.0, weight_decay=0.0)",
                    2, 5, lr=0.02, momentum=0.0, weight_decay=0.0)


@pytest.mark.task("03.fit", hint="Move the network to the device first: net.to(device).")
def test_fit_trains_on_the_device(student, reference, device):
    call = f"fit(..., epochs=2, lr=0.1, device={device!r})"
    _, run, _, _ = _fit(student, reference, call, 2, 6, lr=0.1, device=device)
    assert run.steps, f"{call}: expected the model to be trained"
    assert run.devices == (device,), (
        f"{call}: expected the batches and the model's parameters on {device}, got {list(run.devices)}")


FULL_MARKS_ACCURACY = 0.8
LOWEST_ACCURACY = 0.5


@pytest.mark.task("03.fit", weight=2, hint=OPTIMIZER_HINT)
def test_fit_trains_the_net_on_mnist(student, mnist_root, credit):
    """The reference reaches 0.85 to 0.93 depending on the initial weights, in about a second."""
    logits = student.probe(cnn.net_learns_mnist, str(mnist_root), n_train=2000, n_test=500,
                           batch_size=16, lr=0.03, epochs=1)
    call = ("fit(Net(), ..., epochs=1, lr=0.03) on 2,000 MNIST digits in shuffled batches of 16, "
            "tested on 500 others")
    _, y_test = cnn.mnist_tensors(str(mnist_root), False, 500)
    assert isinstance(logits, torch.Tensor) and tuple(logits.shape) == (500, 10), (
        f"{call}: expected the trained Net to give logits of shape (500, 10), got "
        f"{tuple(logits.shape) if isinstance(logits, torch.Tensor) else type(logits).__name__}")
    assert torch.isfinite(logits).all(), f"{call}: the trained Net gives NaN or Inf"
    accuracy = (logits.argmax(dim=1) == y_test).float().mean().item()
    assert accuracy >= LOWEST_ACCURACY, (
        f"{call}: expected a test accuracy of at least {FULL_MARKS_ACCURACY} "
        f"({LOWEST_ACCURACY} for partial credit), got {accuracy:.3f}")
    if accuracy < FULL_MARKS_ACCURACY:
        fraction = (accuracy - LOWEST_ACCURACY) / (FULL_MARKS_ACCURACY - LOWEST_ACCURACY)
        credit.award(fraction, f"{call}: test accuracy {accuracy:.3f}; {FULL_MARKS_ACCURACY} "
                     "earns full marks")


# ---------------------------------------------------------------- plot_history

HISTORY = {
    "train_loss": [2.1, 0.9, 0.5, 0.35, 0.3],
    "train_accuracy": [0.4, 0.75, 0.86, 0.9, 0.92],
    "test_loss": [1.5, 0.8, 0.55, 0.5, 0.52],
    "test_accuracy": [0.55, 0.78, 0.84, 0.86, 0.85],
}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _png(student, history, filename, call, **options) -> bytes:
    got = student.probe(cnn.plot_png, history, filename, **options)
    assert got["returned"] == "NoneType", f"{call}: expected it to return None, got a {got['returned']}"
    assert got["png"] is not None, (
        f"{call}: expected a file at {filename!r}, the folder holds {got['files']}")
    assert got["png"][:8] == PNG_MAGIC, (
        f"{call}: expected a PNG file (it starts with {PNG_MAGIC!r}), got one starting with "
        f"{got['png'][:8]!r}")
    return got["png"]


@pytest.mark.task("03.plot_history")
def test_plot_history_writes_a_png_at_the_path_it_is_given(student):
    _png(student, HISTORY, "curves_of_run_7.png", "plot_history(history, 'curves_of_run_7.png')")


@pytest.mark.task("03.plot_history")
def test_plot_history_accepts_a_pathlib_path_and_a_single_epoch(student):
    history = {key: values[:1] for key, values in HISTORY.items()}
    _png(student, history, "one_epoch.png", "plot_history(one_epoch_history, Path('one_epoch.png'))",
         as_path=True)


@pytest.mark.task("03.plot_history")
def test_plot_history_draws_something(student):
    from matplotlib import image

    png = _png(student, HISTORY, "history.png", "plot_history(history, 'history.png')")
    pixels = image.imread(io.BytesIO(png), format="png")[..., :3]
    height, width = pixels.shape[:2]
    assert width >= 200 and height >= 150, (
        f"plot_history: expected a readable figure, got a PNG of {width} x {height} pixels")
    coloured = (pixels.max(axis=-1) - pixels.min(axis=-1) > 0.2).mean()
    assert coloured > 0.001, (
        "plot_history: expected coloured curves in the PNG, got an image with almost no colour "
        f"({coloured:.4%} of the pixels)")


@pytest.mark.task("03.plot_history")
def test_plot_history_leaves_no_pyplot_figure_open(student):
    got = student.probe(cnn.plot_png, HISTORY, "history.png")
    assert got["figures_left_open"] == 0, (
        f"plot_history: expected no pyplot figure left open, got {got['figures_left_open']} "
        "(close it with plt.close(fig), or use matplotlib.figure.Figure)")
