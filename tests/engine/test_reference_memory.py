"""Does the reference memory answer repeated calls exactly as the reference would, and only those?"""

import inspect
import types

import torch

from autograder.grading.reference_memory import ReferenceMemory, RememberingReference

SOURCE = '''
import time
import torch

calls = []

def noisy_sum(x, pause=0.01):
    """Slow, and draws from torch's generator: the state after it matters."""
    time.sleep(pause)
    calls.append("noisy_sum")
    return {"total": x.sum() + torch.rand(()), "size": list(x.shape)}

def scale_in_place(x):
    time.sleep(0.01)
    calls.append("scale_in_place")
    x.mul_(2)
    return x.clone()

def quick(x):
    calls.append("quick")
    return x + 1

def fit(model, x):
    time.sleep(0.01)
    calls.append("fit")
    return model(x).detach()

class Net(torch.nn.Module):
    pass
'''


def _reference():
    module = types.ModuleType("reference_under_test")
    exec(compile(SOURCE, "reference_under_test.py", "exec"), module.__dict__)
    memory = ReferenceMemory()
    return module, memory, RememberingReference(module, memory)


def test_a_repeated_slow_call_is_computed_once_and_leaves_the_generator_as_the_call_did():
    module, memory, reference = _reference()
    torch.manual_seed(0)
    first = reference.noisy_sum(torch.ones(3))
    after_first = torch.rand(())
    torch.manual_seed(0)
    second = reference.noisy_sum(torch.ones(3))
    after_second = torch.rand(())
    assert module.calls == ["noisy_sum"] and memory.hits == 1
    assert torch.equal(first["total"], second["total"]) and first["size"] == second["size"]
    assert torch.equal(after_first, after_second)


def test_an_answer_from_memory_is_a_copy():
    module, memory, reference = _reference()
    torch.manual_seed(0)
    reference.noisy_sum(torch.ones(3))["size"].append("changed by a test")
    torch.manual_seed(0)
    assert reference.noisy_sum(torch.ones(3))["size"] == [3] and memory.hits == 1


def test_another_random_state_or_other_arguments_are_computed_again():
    module, memory, reference = _reference()
    torch.manual_seed(0)
    reference.noisy_sum(torch.ones(3))
    torch.manual_seed(1)
    reference.noisy_sum(torch.ones(3))
    torch.manual_seed(0)
    reference.noisy_sum(torch.ones(4))
    reference.noisy_sum(torch.ones(3, dtype=torch.float64))
    with torch.no_grad():
        torch.manual_seed(0)
        reference.noisy_sum(torch.ones(3))
    assert module.calls == ["noisy_sum"] * 5 and memory.hits == 0


def test_a_function_that_changes_its_arguments_always_runs():
    module, memory, reference = _reference()
    for _ in range(2):
        x = torch.ones(2)
        reference.scale_in_place(x)
        assert torch.equal(x, torch.full((2,), 2.0))
    assert module.calls == ["scale_in_place"] * 2 and memory.hits == 0


def test_calls_with_a_model_quick_functions_and_classes_are_left_alone():
    module, memory, reference = _reference()
    model = torch.nn.Linear(2, 1)
    for _ in range(2):
        reference.fit(model, torch.ones(1, 2))
        reference.quick(torch.ones(1))
    assert module.calls == ["fit", "quick"] * 2 and memory.hits == 0
    assert reference.Net is module.Net and "reference_under_test" in repr(reference)


def test_a_remembered_function_keeps_its_name_and_signature():
    _, _, reference = _reference()
    assert reference.noisy_sum.__name__ == "noisy_sum"
    assert list(inspect.signature(reference.noisy_sum).parameters) == ["x", "pause"]
    assert reference.noisy_sum.__doc__.startswith("Slow")

