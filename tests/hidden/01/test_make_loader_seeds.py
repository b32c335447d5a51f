"""Hidden tests of make_loader's seeds: the same seed the same order, the global random state untouched.

Orders are compared here, in the grader, from the batches the loaders
yielded. Whether the global random state was touched is decided here too,
twice over: the grader sets that state before the call and compares the state
that comes back with it, and it reads the submission's source for calls that
reseed torch's global generator (a record made in the worker alone could be
forged by the submission).
"""

import ast

import pytest
import torch

from autograder.testkit.compare import calling
from autograder.testkit.probes import tensors as tensor_probes

GENERATOR_HINT = ("Give the DataLoader its own generator, torch.Generator().manual_seed(seed), "
                  "instead of calling torch.manual_seed.")
GLOBAL_SEEDING = {"manual_seed", "seed", "set_rng_state"}
"""Functions of torch and torch.random that reseed (or reset) torch's global generator."""


def _torch_aliases(tree: ast.Module) -> tuple[dict[str, str], set[str]]:
    """({local name: "torch" or "torch.random"}, local names of imported seeding functions)."""
    modules, functions = {}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in ("torch", "torch.random"):  # `import torch.random` binds torch
                    local = alias.asname or "torch"
                    modules[local] = alias.name if alias.asname else "torch"
        elif isinstance(node, ast.ImportFrom) and node.module in ("torch", "torch.random"):
            for alias in node.names:
                if node.module == "torch" and alias.name == "random":
                    modules[alias.asname or alias.name] = "torch.random"
                elif alias.name in GLOBAL_SEEDING:
                    functions.add(alias.asname or alias.name)
    return modules, functions


def _is_global_seeding(call: ast.Call, modules: dict[str, str], functions: set[str]) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in functions
    if not isinstance(func, ast.Attribute) or func.attr not in GLOBAL_SEEDING:
        return False
    owner = func.value
    if isinstance(owner, ast.Name):
        return owner.id in modules
    return (isinstance(owner, ast.Attribute) and owner.attr == "random" and isinstance(owner.value, ast.Name)
            and modules.get(owner.value.id) == "torch")


def global_seeding_calls(source: str, entry: str) -> list[str]:
    """Calls that reseed torch's global generator in ``entry`` or the module functions it calls."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    modules, functions = _torch_aliases(tree)
    defined = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    todo, seen, found = [entry], set(), []
    while todo:
        name = todo.pop()
        if name in seen or name not in defined:
            continue
        seen.add(name)
        for node in ast.walk(defined[name]):
            if isinstance(node, ast.Call):
                if _is_global_seeding(node, modules, functions):
                    found.append(f"line {node.lineno}: {ast.unparse(node)}")
                elif isinstance(node.func, ast.Name):
                    todo.append(node.func.id)
    return found


def rows(n: int):
    """x of shape (n, 2) whose row i starts with i, and y = arange(n)."""
    x = torch.arange(n, dtype=torch.float32).unsqueeze(1).repeat(1, 2)
    x[:, 1] += torch.rand(n, generator=torch.Generator().manual_seed(n))
    return x, torch.arange(n)


def check_batches(got: dict, x, y, batch_size: int, what: str) -> None:
    """What every test here needs first: batches of at most batch_size rows of x, each with its y."""
    for number, epoch in enumerate(got["epochs"], 1):
        assert epoch, f"{what}, pass {number}: the loader yielded no batch"
        for xb, yb in epoch:
            ids = yb.cpu().long()
            assert len(xb) <= batch_size and ((0 <= ids) & (ids < len(x))).all(), (
                f"{what}, pass {number}: expected batches of at most {batch_size} rows of x with their "
                f"labels, got a batch of {len(xb)} rows labelled {yb.tolist()}")
            assert torch.equal(xb.cpu(), x[ids]), (
                f"{what}, pass {number}: x[i] and y[i] must stay together; the batch labelled "
                f"{ids.tolist()} holds other rows of x")


def orders(student, seed, epochs=2, n=60, batch_size=8, state_seed=0) -> list[list[int]]:
    """The row order of each pass over make_loader(x, y, batch_size, shuffle=True, seed=seed).

    The global random state is set to one the grader chose first (from
    ``state_seed``), so a loader that draws its order from it shows.
    """
    x, y = rows(n)
    state = torch.Generator().manual_seed(state_seed).get_state()
    what = f"make_loader(x, y, {batch_size}, shuffle=True, seed={seed})"
    with calling(what):
        got = student.probe(tensor_probes.loader_batches, x, y, batch_size, shuffle=True, seed=seed,
                            epochs=epochs, rng_state=state)
    check_batches(got, x, y, batch_size, what)
    return [[int(i) for _, yb in epoch for i in yb] for epoch in got["epochs"]]


def check_untouched(student, student_source, seed: int, epochs: int) -> None:
    """Neither the state the grader set nor the source shows the global generator reseeded."""
    x, y = rows(30)
    what = f"make_loader(x, y, 4, shuffle=True, seed={seed}), built and read {epochs} times"
    calls = global_seeding_calls(student_source, "make_loader")
    assert not calls, (f"{what}: make_loader reseeds torch's global generator ({'; '.join(calls)}); "
                       "give the DataLoader its own seeded torch.Generator instead")
    state = torch.Generator().manual_seed(1000 + seed).get_state()
    with calling(what):
        got = student.probe(tensor_probes.loader_batches, x, y, 4, shuffle=True, seed=seed,
                            epochs=epochs, rng_state=state)
    check_batches(got, x, y, 4, what)
    assert torch.equal(got["rng_after"], state), (
        f"{what} changed torch's global random state; give the DataLoader its own seeded "
        "torch.Generator instead of calling torch.manual_seed")


@pytest.mark.task("01.make_loader", hint=GENERATOR_HINT)
def test_make_loader_with_a_seed_leaves_the_global_random_state_alone(student, student_source):
    check_untouched(student, student_source, 11, 2)


@pytest.mark.task("01.make_loader",
                  hint="Seed a torch.Generator of the loader's own with the seed: the same seed then "
                       "gives the same order, whatever the global random state.")
def test_make_loader_same_seed_same_order(student):
    for seed in (7, 0, 123456):
        first = orders(student, seed, state_seed=1)
        again = orders(student, seed, state_seed=2)
        assert first == again, (f"two loaders with seed={seed} (built while torch's global random "
                                f"state differed) gave different orders: {first} and {again}")


@pytest.mark.task("01.make_loader",
                  hint="Seed the generator with the seed you are given: other seeds give other orders.")
def test_make_loader_other_seeds_other_orders(student):
    found = {seed: orders(student, seed, epochs=1)[0] for seed in (7, 8, 9, 10)}
    distinct = {tuple(order) for order in found.values()}
    assert len(distinct) == len(found), (
        f"the seeds 7, 8, 9 and 10 should give four different orders of 60 rows, got "
        f"{len(distinct)} different ones: {found}")


@pytest.mark.task("01.make_loader",
                  hint="shuffle=True reshuffles at every pass: let the DataLoader shuffle rather than "
                       "fixing one permutation up front.")
def test_make_loader_reshuffles_at_every_pass(student):
    for seed in (5, 6):
        passes = orders(student, seed, epochs=3)
        assert len({tuple(order) for order in passes}) == 3, (
            f"make_loader(x, y, 8, shuffle=True, seed={seed}): three passes over the loader should "
            f"give three different orders of 60 rows, got {passes}")


@pytest.mark.task("01.make_loader",
                  hint="Build the loader over the tensors as given: TensorDataset keeps them on "
                       "their device.")
def test_make_loader_batches_stay_on_the_device_of_the_data(student, device):
    x, y = rows(10)
    what = f"make_loader(x, y, 4, shuffle=True, seed=1) on data stored on {device}"
    with calling(what):
        got = student.probe(tensor_probes.loader_batches, x.to(device), y.to(device), 4, shuffle=True,
                            seed=1)
    for i, (xb, yb) in enumerate(got["epochs"][0]):
        for name, tensor in [("xb", xb), ("yb", yb)]:
            assert tensor.device.type == torch.device(device).type, (
                f"{what}: {name} of batch {i} is on {tensor.device}, expected {device}")
    check_batches(got, x, y, 4, what)


@pytest.mark.task("01.make_loader", hint=GENERATOR_HINT)
def test_make_loader_leaves_the_global_random_state_alone_at_seed_0(student, student_source):
    check_untouched(student, student_source, 0, 3)
