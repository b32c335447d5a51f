"""Hidden tests of make_loader."""

import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st
from torch.utils.data import DataLoader, TensorDataset

from autograder.testkit.compare import assert_tensors_match
from autograder.testkit.probes import tensors as tensor_probes


def _rows(n: int, width: int = 2):
    """x of shape (n, width) whose row i starts with i, and y = arange(n): pairs stay checkable."""
    x = torch.arange(n, dtype=torch.float32).unsqueeze(1).repeat(1, width)
    x[:, 1:] += torch.rand((n, width - 1), generator=torch.Generator().manual_seed(n))
    return x, torch.arange(n)


def _expected_epochs(x, y, batch_size, epochs=1, seed=None):
    generator = None if seed is None else torch.Generator().manual_seed(seed)
    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=seed is not None,
                        generator=generator)
    return [[tuple(batch) for batch in loader] for _ in range(epochs)]


def _sizes(epoch) -> list[int]:
    return [len(batch[0]) for batch in epoch]


def _order(epoch) -> list[int]:
    return [int(i) for batch in epoch for i in batch[1]]


def _check_loader(got: dict, expected_epochs: list, what: str) -> None:
    """The probe's report of a loader against the batches a reference DataLoader yields."""
    assert got["is_dataloader"], f"{what}: make_loader should return a torch DataLoader"
    for number, (epoch, expected) in enumerate(zip(got["epochs"], expected_epochs, strict=True), 1):
        label = f"{what}, pass {number} over the loader"
        assert _sizes(epoch) == _sizes(expected), (
            f"{label}: expected batch sizes {_sizes(expected)}, got {_sizes(epoch)}")
        assert _order(epoch) == _order(expected), (
            f"{label}: expected the rows in the order {_order(expected)}, got {_order(epoch)}")
        for i, (batch, expected_batch) in enumerate(zip(epoch, expected, strict=True)):
            assert_tensors_match(batch[0], expected_batch[0], f"{label}: xb of batch {i}")
            assert_tensors_match(batch[1], expected_batch[1], f"{label}: yb of batch {i}")
    expected_len = len(expected_epochs[0])
    assert got["len"] == expected_len, f"{what}: expected len(loader) == {expected_len}, got {got['len']}"


def _check_permutation(epoch, n: int, batch_size: int, what: str) -> None:
    expected_sizes = [min(batch_size, n - start) for start in range(0, n, batch_size)]
    assert _sizes(epoch) == expected_sizes, (
        f"{what}: expected batch sizes {expected_sizes}, got {_sizes(epoch)}")
    assert sorted(_order(epoch)) == list(range(n)), (
        f"{what}: every row should come exactly once per pass; got the rows {_order(epoch)}")
    for xb, yb in epoch:
        assert torch.equal(xb[:, 0].long(), yb), (
            f"{what}: x[i] and y[i] must stay together, got xb rows {xb[:, 0].tolist()} with "
            f"yb {yb.tolist()}")


loader_sizes = st.tuples(st.integers(1, 40), st.integers(1, 12))
seeds = st.integers(0, 2**31 - 1)


@pytest.mark.task("01.make_loader")
@given(loader_sizes, st.sampled_from([None, 0, 4]))
def test_make_loader_without_shuffle_matches_a_plain_dataloader(student, sizes, seed):
    n, batch_size = sizes
    x, y = _rows(n, width=3)
    options = {} if seed is None else {"shuffle": False, "seed": seed}  # None: the defaults
    got = student.probe(tensor_probes.loader_batches, x, y, batch_size, epochs=2, **options)
    _check_loader(got, _expected_epochs(x, y, batch_size, epochs=2),
                  f"make_loader on {n} rows with batch_size={batch_size}"
                  f"{'' if seed is None else f', shuffle=False, seed={seed}'} (rows stay in order)")


@pytest.mark.task("01.make_loader", weight=2)
@given(loader_sizes, seeds)
@example((40, 6), 0)
def test_make_loader_shuffles_like_a_seeded_generator(student, sizes, seed):
    n, batch_size = sizes
    x, y = _rows(n)
    got = student.probe(tensor_probes.loader_batches, x, y, batch_size, shuffle=True, seed=seed, epochs=2)
    zero = " (0 is a seed too)" if seed == 0 else ""
    _check_loader(got, _expected_epochs(x, y, batch_size, epochs=2, seed=seed),
                  f"make_loader on {n} rows, batch_size={batch_size}, shuffle=True, seed={seed}{zero}, "
                  "compared with DataLoader(..., shuffle=True, "
                  f"generator=torch.Generator().manual_seed({seed}))")


@pytest.mark.task("01.make_loader")
def test_make_loader_same_seed_same_order_other_seeds_other_orders(student):
    x, y = _rows(60)
    orders = {}
    for seed in (7, 7, 8, 9, 10):
        got = student.probe(tensor_probes.loader_batches, x, y, 8, shuffle=True, seed=seed)
        _check_permutation(got["epochs"][0], 60, 8, f"make_loader(x, y, 8, shuffle=True, seed={seed})")
        order = _order(got["epochs"][0])
        if seed in orders:
            assert order == orders[seed], (
                f"two loaders with seed={seed} gave different orders: {orders[seed]} and {order}")
        orders[seed] = order
    distinct = {tuple(order) for order in orders.values()}
    assert len(distinct) == len(orders), (
        f"the seeds 7, 8, 9 and 10 should give four different orders of 60 rows, got "
        f"{len(distinct)} different ones")


@pytest.mark.task("01.make_loader")
def test_make_loader_shuffle_without_a_seed_is_a_permutation(student):
    x, y = _rows(23)
    got = student.probe(tensor_probes.loader_batches, x, y, 5, shuffle=True, epochs=2)
    for number, epoch in enumerate(got["epochs"], 1):
        _check_permutation(epoch, 23, 5, f"make_loader(x, y, 5, shuffle=True), pass {number}")


@pytest.mark.task("01.make_loader")
def test_make_loader_with_a_seed_leaves_the_global_random_state_alone(student):
    x, y = _rows(30)
    got = student.probe(tensor_probes.loader_batches, x, y, 4, shuffle=True, seed=11, epochs=2)
    assert torch.equal(got["rng_before"], got["rng_after"]), (
        "building and reading make_loader(x, y, 4, shuffle=True, seed=11) changed torch's global "
        "random state; give the DataLoader its own seeded torch.Generator instead of calling "
        "torch.manual_seed")


@pytest.mark.task("01.make_loader", weight=2)
def test_make_loader_batches_stay_on_the_device_of_the_data(student, device):
    x, y = _rows(10)
    got = student.probe(tensor_probes.loader_batches, x.to(device), y.to(device), 4, shuffle=True, seed=1)
    expected = _expected_epochs(x, y, 4, seed=1)
    expected = [[tuple(t.to(device) for t in batch) for batch in epoch] for epoch in expected]
    _check_loader(got, expected, f"make_loader on data stored on {device}")
