"""Does the student proxy carry data only, keep objects remote and report student errors?"""

import pytest
import torch

from autograder.student import (
    InProcessTransport,
    MissingFunction,
    StudentModule,
    SubmissionNotLoaded,
    wire,
)

SOURCE = '''
import torch

def double(x):
    x.mul_(100)            # an in-place change that must not leak back
    return x * 0.02

def make_layer():
    return torch.nn.Linear(2, 3)

def fail():
    raise ValueError("bad input")

class Sneaky(torch.Tensor):
    pass

def sneaky():
    return torch.ones(2).as_subclass(Sneaky)

def claims_equality():
    class Always:
        def __eq__(self, other):
            return True
    return Always()
'''


@pytest.fixture
def student(tmp_path):
    path = tmp_path / "sub.py"
    path.write_text(SOURCE)
    return StudentModule(InProcessTransport(path))


def test_arguments_are_copied_so_in_place_changes_stay_remote(student):
    x = torch.ones(3)
    torch.testing.assert_close(student.double(x), torch.full((3,), 2.0))
    torch.testing.assert_close(x, torch.ones(3))


def test_objects_that_are_not_data_come_back_as_handles(student):
    layer = student.make_layer()
    assert repr(layer) == "<remote Linear>"
    assert layer(torch.ones(1, 2)).shape == (1, 3)
    state = layer.state_dict()
    assert set(state) == {"weight", "bias"} and type(state["weight"]) is torch.Tensor
    assert layer.attribute("out_features") == 3


def test_a_student_exception_is_also_the_builtin_type(student):
    with pytest.raises(ValueError, match=r"bad input \(sub.py line 12, in fail\)"):
        student.fail()


def test_a_missing_function_names_itself(student):
    with pytest.raises(MissingFunction, match="defines no function or class `absent`"):
        student.absent()


def test_tensor_subclasses_and_lying_objects_never_arrive_as_data(student):
    assert repr(student.sneaky()) == "<remote Sneaky>"
    assert student.claims_equality() != 1


def test_a_submission_that_fails_to_import_says_why(tmp_path):
    path = tmp_path / "sub.py"
    path.write_text("x = 1\ndef f(:\n")
    with pytest.raises(SubmissionNotLoaded, match="sub.py line 2: syntax error"):
        StudentModule(InProcessTransport(path)).f()


def test_only_probes_from_the_probe_package_run(student):
    with pytest.raises(PermissionError):
        student._send("probe", "os.system", ("true",))


def test_the_wire_refuses_objects_that_are_not_plain_data():
    with pytest.raises(wire.WireError, match="not in the wire format"):
        wire.loads(__import__("pickle").dumps(object()))  # a raw pickle, what an attacker would send
    with pytest.raises(wire.WireError, match="not data"):
        wire.dumps(object())
    with pytest.raises(wire.WireError, match="over the"):
        wire.loads(b"x" * 11, limit=10)
