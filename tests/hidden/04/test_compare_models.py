"""Hidden tests of compare_models: the table's layout, its values and the quality of its models.

The layout, values and seeding tests run compare_models with trusted load_split,
model classes, train and evaluate_* in place of the student's
(autograder/testkit/probes/iris_parts.py), so they grade compare_models alone. Only
the quality test runs it with the student's own parts, as the assignment does.
"""

import pytest

from autograder.testkit.compare import assert_numbers_match
from autograder.testkit.probes import iris

ROWS = [("MLR", "regression"), ("LR", "classification"), ("MLPC", "classification"),
        ("MLPR", "regression"), ("AE", "autoencoder")]
METRICS = {"regression": {"mse", "r2"}, "classification": {"accuracy", "confusion"},
           "autoencoder": {"mse"}}
# The reference after 100 epochs, seeds 0 to 4: R^2 0.89 to 0.93 (MLR, MLPR), accuracy 0.84 to
# 0.96 (LR) and 0.92 to 0.97 (MLPC), reconstruction MSE 0.13 to 0.15 (AE).
GOOD_ENOUGH = {"MLR": ("r2", 0.8), "LR": ("accuracy", 0.8), "MLPC": ("accuracy", 0.9),
               "MLPR": ("r2", 0.8), "AE": ("mse", 0.3)}


def _check_layout(rows, call):
    assert isinstance(rows, list) and all(isinstance(row, dict) for row in rows), (
        f"{call}: expected a list of dicts, one per model, got {type(rows).__name__}")
    found = [(row.get("model"), row.get("task")) for row in rows]
    assert found == ROWS, f"{call}: expected rows for (model, task) {ROWS} in this order, got {found}"
    for row in rows:
        expected = {"model", "task"} | METRICS[row["task"]]
        assert set(row) == expected, (
            f"{call}: the {row['model']} row should have the keys {sorted(expected)}, got {sorted(row)}")


def _check_row(row, expected, call):
    what = f"{call}: the {expected['model']} row"
    for key, wanted in expected.items():
        if key == "confusion":
            assert row[key] == wanted, f"{what}['confusion']: expected {wanted}, got {row[key]}"
        elif isinstance(wanted, float):
            assert_numbers_match(row[key], wanted, f"{what}[{key!r}]", rtol=1e-4, atol=1e-5)


@pytest.mark.task("04.compare_models", hint="One dict per model, in the order MLR, LR, MLPC, MLPR, AE, "
                  "holding \"model\", \"task\" and that task's metrics.")
def test_compare_models_table_layout(student):
    call = "compare_models(epochs=1)"
    rows = student.probe(iris.compare_models_table, 1, 0)[0]
    _check_layout(rows, call)
    for row in rows:
        for key in METRICS[row["task"]] - {"confusion"}:
            assert type(row[key]) is float, (
                f"{call}: the {row['model']} row's {key!r} should be a Python float, got "
                f"{type(row[key]).__name__}")
        if row["task"] == "classification":
            confusion = row["confusion"]
            total = sum(sum(counts) for counts in confusion) if isinstance(confusion, list) else None
            assert total == 75, (
                f"{call}: the {row['model']} row's confusion matrix should count the 75 test "
                f"flowers, got {confusion}")


@pytest.mark.task("04.compare_models", weight=2, hint="Follow the table: sizes, learning rates, "
                  "order, and the test half for the metrics.")
@pytest.mark.parametrize(("epochs", "seed"), [(5, 0), (4, 7)], ids=str)
def test_compare_models_matches_the_reference(student, reference, epochs, seed):
    """Same learning rates, sizes, seeding and test splits as the table: the same numbers?"""
    call = f"compare_models(epochs={epochs}, seed={seed})"
    rows = student.probe(iris.compare_models_table, epochs, seed)[0]
    _check_layout(rows, call)
    for row, expected in zip(rows, reference.compare_models(epochs=epochs, seed=seed), strict=True):
        _check_row(row, expected, call)


@pytest.mark.task("04.compare_models", hint="Call torch.manual_seed(seed) before building the models.")
def test_compare_models_does_not_depend_on_the_global_random_state(student):
    first, second = student.probe(iris.compare_models_table, 2, 3, global_seeds=[11, 12])
    _check_layout(first, "compare_models(epochs=2, seed=3)")
    if first != second:
        changed = [(one, two) for one, two in zip(first, second, strict=False) if one != two]
        example = (f"the row {changed[0][0]} became {changed[0][1]}" if changed
                   else f"{len(first)} rows became {len(second)}")
        raise AssertionError(
            "compare_models(epochs=2, seed=3) gave different tables after torch.manual_seed(11) and "
            f"after torch.manual_seed(12): {example}; call torch.manual_seed(seed) first, so that "
            "the table depends on seed alone")


@pytest.mark.task("04.compare_models", weight=2, hint="Train each model on its training half with "
                  "the table's learning rate and pass epochs and seed on to train.")
def test_compare_models_trains_good_models(student, credit):
    call = "compare_models(epochs=100, seed=0) with your own models, train and evaluate functions"
    rows = student.probe(iris.compare_models_table, 100, 0, trusted=False)[0]
    _check_layout(rows, call)
    missed = []
    for row in rows:
        metric, threshold = GOOD_ENOUGH[row["model"]]
        value = row[metric]
        good = value <= threshold if metric == "mse" else value >= threshold
        if not good:
            bound = "at most" if metric == "mse" else "at least"
            missed.append(f"{row['model']} test {metric} {value:.3f} ({bound} {threshold} expected)")
    assert len(missed) < len(rows), f"{call}: " + "; ".join(missed)
    if missed:
        credit.award(1 - len(missed) / len(rows), f"{call}: " + "; ".join(missed))
