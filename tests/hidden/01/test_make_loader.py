"""Hidden tests of make_loader: batches, rows in order without shuffling, every row once with it.

Orders are checked by their properties; one test asks for the exact order of
a seeded torch.Generator, as the docstring does. Seeds and the global random
state: test_make_loader_seeds.py.
"""

import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st
from torch.utils.data import DataLoader, TensorDataset

from autograder.testkit.compare import assert_tensors_match, calling
from autograder.testkit.probes import tensors as tensor_probes

GENERATOR_HINT = ("Give the DataLoader its own generator: DataLoader(..., shuffle=True, "
                  "generator=torch.Generator().manual_seed(seed)).")
PERMUTATION_HINT = ("DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=shuffle) yields every "
                    "row once per pass, the last batch smaller; don't set drop_last.")


def rows(n: int, width: int = 2):
    """x of shape (n, width) whose row i starts with i, and y = arange(n): pairs stay checkable."""
    x = torch.arange(n, dtype=torch.float32).unsqueeze(1).repeat(1, width)
    x[:, 1:] += torch.rand((n, width - 1), generator=torch.Generator().manual_seed(n))
    return x, torch.arange(n)


def read(student, x, y, batch_size, what, **options) -> dict:
    """The probe's report of the student's loader; what names the call in messages."""
    with calling(what):
        return student.probe(tensor_probes.loader_batches, x, y, batch_size, **options)


def batch_sizes(epoch) -> list[int]:
    return [len(batch[0]) for batch in epoch]


def order(epoch) -> list[int]:
    return [int(i) for batch in epoch for i in batch[1]]


def expected_sizes(n: int, batch_size: int) -> list[int]:
    return [min(batch_size, n - start) for start in range(0, n, batch_size)]


def check_permutation(epoch, n: int, batch_size: int, what: str) -> None:
    """One pass: every row once, in batches of batch_size (the last smaller), x[i] with y[i]."""
    assert batch_sizes(epoch) == expected_sizes(n, batch_size), (
        f"{what}: expected batch sizes {expected_sizes(n, batch_size)}, got {batch_sizes(epoch)}")
    assert sorted(order(epoch)) == list(range(n)), (
        f"{what}: every row should come exactly once per pass; got the rows {order(epoch)}")
    for xb, yb in epoch:
        assert torch.equal(xb[:, 0].long().cpu(), yb.cpu()), (
            f"{what}: x[i] and y[i] must stay together, got xb rows {xb[:, 0].tolist()} with "
            f"yb {yb.tolist()}")


loader_sizes = st.tuples(st.integers(1, 40), st.integers(1, 12))
seeds = st.integers(0, 2**31 - 1)


@pytest.mark.task("01.make_loader", hint=PERMUTATION_HINT)
@given(loader_sizes, st.sampled_from([None, 0, 4]))
def test_make_loader_without_shuffle_matches_a_plain_dataloader(student, sizes, seed):
    n, batch_size = sizes
    x, y = rows(n, width=3)
    options = {} if seed is None else {"shuffle": False, "seed": seed}  # None: the defaults
    what = (f"make_loader(x, y, {batch_size}{'' if seed is None else f', shuffle=False, seed={seed}'})"
            f" on {n} rows")
    got = read(student, x, y, batch_size, what, epochs=2, **options)
    assert "torch.utils.data.dataloader.DataLoader" in got["classes"], (
        f"{what}: expected a torch DataLoader, got a {got['classes'][0]}")
    expected = list(DataLoader(TensorDataset(x, y), batch_size=batch_size))
    for number, epoch in enumerate(got["epochs"], 1):
        label = f"{what}, pass {number} (rows stay in order)"
        assert batch_sizes(epoch) == batch_sizes(expected), (
            f"{label}: expected batch sizes {batch_sizes(expected)}, got {batch_sizes(epoch)}")
        assert order(epoch) == order(expected), f"{label}: expected the rows in order, got {order(epoch)}"
        for i, (batch, expected_batch) in enumerate(zip(epoch, expected, strict=True)):
            assert_tensors_match(batch[0], expected_batch[0], f"{label}: xb of batch {i}")
            assert_tensors_match(batch[1], expected_batch[1], f"{label}: yb of batch {i}")
    assert got["len"] == len(expected), f"{what}: expected len(loader) == {len(expected)}, got {got['len']}"


@pytest.mark.task("01.make_loader", hint=PERMUTATION_HINT)
@given(loader_sizes, st.sampled_from([None, 3]))
def test_make_loader_shuffles_every_row_once_per_pass(student, sizes, seed):
    n, batch_size = sizes
    x, y = rows(n)
    what = f"make_loader(x, y, {batch_size}, shuffle=True, seed={seed}) on {n} rows"
    got = read(student, x, y, batch_size, what, shuffle=True, seed=seed, epochs=2)
    for number, epoch in enumerate(got["epochs"], 1):
        check_permutation(epoch, n, batch_size, f"{what}, pass {number}")


@pytest.mark.task("01.make_loader", hint=GENERATOR_HINT)
@given(loader_sizes, seeds)
@example((40, 6), 0)
def test_make_loader_shuffles_like_a_seeded_generator(student, sizes, seed):
    n, batch_size = sizes
    x, y = rows(n)
    what = (f"make_loader(x, y, {batch_size}, shuffle=True, seed={seed}) on {n} rows"
            f"{' (0 is a seed too)' if seed == 0 else ''}")
    got = read(student, x, y, batch_size, what, shuffle=True, seed=seed, epochs=2)
    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    for number, epoch in enumerate(got["epochs"], 1):
        expected = order(list(loader))
        got_order = order(epoch)
        assert got_order and got_order == expected[:len(got_order)], (
            f"{what}, pass {number}: expected the rows in the order of DataLoader(..., shuffle=True, "
            f"generator=torch.Generator().manual_seed({seed})), {expected}; got {got_order}")
