"""Hidden tests of fit (on the trusted TinyClassifier, then the student's Net on MNIST) and plot_history.

The fit probes run the student's fit with trusted train_one_epoch and evaluate,
so only fit itself is graded here; the MNIST test also uses the student's Net.
"""

import io

import pytest
import torch

from autograder.testkit.compare import assert_numbers_match, assert_tensors_match
from autograder.testkit.probes import cnn

KEYS = ["test_accuracy", "test_loss", "train_accuracy", "train_loss"]
MEANING = {
    "train_loss": "what train_one_epoch returned",
    "train_accuracy": "the accuracy evaluate gives on the training loader",
    "test_loss": "the loss evaluate gives on the test loader",
    "test_accuracy": "the accuracy evaluate gives on the test loader",
}


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


def _diagnosis(got: dict) -> str:
    """What fit handed to train_one_epoch, for the failure messages."""
    if not got["epochs_trained"]:
        return ". fit never called train_one_epoch"
    settings = []
    for one in got["optimizer_settings"]:
        text = ", ".join(f"{key}={value:g}" if isinstance(value, int | float) else f"{key}={value!r}"
                         for key, value in one.items())
        if text not in settings:
            settings.append(text)
    kinds = "/".join(got["optimizer_types"])
    return (f". fit called train_one_epoch {got['epochs_trained']} time(s) and passed it "
            f"{got['optimizers']} distinct optimizer object(s), "
            f"{'; '.join(f'{kinds}({text})' for text in settings)}, with the criterion "
            f"{'/'.join(got['criterion_types'])}")


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


def _compare_fit(student, reference, call, epochs, seed=0, batch_size=8, **options) -> dict:
    """Run both fits from the same start; compare the histories and the parameters after."""
    train, test, start = _sets(seed)
    got = student.probe(cnn.fit_model, start, train, test, batch_size, epochs, **options)
    expected = cnn.fit_model(reference, start, train, test, batch_size, epochs, **options)
    _check_history_shape(got["history"], epochs, call)
    try:
        for key, value in expected["state_dict"].items():
            assert_tensors_match(got["state_dict"][key], value,
                                 f"{call}: the model's {key} after fit", rtol=1e-5, atol=1e-6)
        for key, meaning in MEANING.items():
            for epoch, (value, wanted) in enumerate(zip(got["history"][key],
                                                        expected["history"][key], strict=True)):
                assert_numbers_match(value, wanted, f"{call}: history[{key!r}][{epoch}] ({meaning})",
                                     rtol=1e-5, atol=1e-6)
    except AssertionError as error:
        raise AssertionError(f"{error}{_diagnosis(got)}") from None
    return got


@pytest.mark.task("03.fit")
def test_fit_history_holds_one_float_per_epoch_in_four_lists(student):
    train, test, start = _sets(1)
    got = student.probe(cnn.fit_model, start, train, test, 8, 3, lr=0.1)
    call = "fit(net, train_loader, test_loader, epochs=3, lr=0.1)"
    _check_history_shape(got["history"], 3, call)
    for key in ("train_accuracy", "test_accuracy"):
        assert all(0.0 <= value <= 1.0 for value in got["history"][key]), (
            f"{call}: expected accuracies between 0 and 1 in history[{key!r}], got "
            f"{got['history'][key]}")


@pytest.mark.task("03.fit", weight=2)
def test_fit_history_matches_the_reference(student, reference):
    _compare_fit(student, reference, "fit(net, train_loader, test_loader, epochs=3, lr=0.1) on "
                 "40 training and 25 test rows", 3, seed=2, lr=0.1)


@pytest.mark.task("03.fit", weight=2)
def test_fit_keeps_one_optimizer_with_momentum_and_weight_decay(student, reference):
    got = _compare_fit(student, reference, "fit(net, train_loader, test_loader, epochs=3, lr=0.05) "
                       "with the default momentum=0.9 and weight_decay=0.005", 3, seed=3, lr=0.05)
    if got["epochs_trained"]:
        assert got["optimizers"] == 1 and got["optimizer_types"] == ["SGD"], (
            f"fit: expected one torch.optim.SGD built before the epoch loop{_diagnosis(got)}")


@pytest.mark.task("03.fit", weight=2)
def test_fit_passes_its_settings_to_the_optimizer(student, reference):
    _compare_fit(student, reference, "fit(..., epochs=2, lr=0.3, momentum=0.5, weight_decay=0.02)",
                 2, seed=4, lr=0.3, momentum=0.5, weight_decay=0.02)
    _compare_fit(student, reference, "fit(..., epochs=2, lr=0.02, momentum=0.0, weight_decay=0.0)",
                 2, seed=5, batch_size=6, lr=0.02, momentum=0.0, weight_decay=0.0)


@pytest.mark.task("03.fit")
def test_fit_trains_on_the_device(student, reference, device):
    got = _compare_fit(student, reference, f"fit(..., epochs=2, lr=0.1, device={device!r})", 2,
                       seed=6, lr=0.1, device=device)
    assert got["devices"] == [device], (
        f"fit(..., device={device!r}): expected the model's parameters on {device} after fit, got "
        f"{got['devices']}")


FULL_MARKS_ACCURACY = 0.8
LOWEST_ACCURACY = 0.5


@pytest.mark.task("03.fit", weight=2)
def test_fit_trains_the_net_on_mnist(student, mnist_root, credit):
    """The reference reaches 0.85 to 0.93 depending on the initial weights, in about a second."""
    options = {"n_train": 2000, "n_test": 500, "batch_size": 16, "lr": 0.03, "epochs": 1}
    got = student.probe(cnn.net_learns_mnist, str(mnist_root), **options)
    call = ("fit(Net(), ..., epochs=1, lr=0.03) on 2,000 MNIST digits in shuffled batches of 16, "
            "tested on 500 others")
    assert got["finite"], f"{call}: the Net's parameters contain NaN or Inf after training"
    accuracy = got["accuracy"]
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
