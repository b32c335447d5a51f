"""Does the static API policy find forbidden names through aliases, charged to the right task?"""

from autograder.grading.policy import check_source


def _charged(course, source):
    return check_source(source, course.assignment("02"))


def test_a_clean_submission_has_no_violations(course, project_root):
    source = (project_root / "solutions/02/scratch.py").read_text()
    assert _charged(course, source) == {}


def test_an_aliased_functional_call_is_charged_to_its_task(course):
    source = "import torch.nn.functional as F\ndef nll(i, t):\n    return F.nll_loss(i, t)\n"
    charged = _charged(course, source)
    assert list(charged) == ["02.nll"]
    assert "line 3 uses torch.nn.functional.nll_loss" in charged["02.nll"][0]


def test_a_tensor_method_is_forbidden_on_any_value(course):
    charged = _charged(course, "def log_softmax(x):\n    return x.log_softmax(-1)\n")
    assert "torch.Tensor.log_softmax" in charged["02.log_softmax"][0]


def test_a_helper_passes_its_violation_to_the_tasks_that_call_it(course):
    source = (
        "import torch\n"
        "def _helper(x):\n    return torch.log_softmax(x, -1)\n"
        "def log_softmax(x):\n    return _helper(x)\n"
        "def model(xb, w, b):\n    return log_softmax(xb @ w + b)\n"
    )
    assert list(_charged(course, source)) == ["02.log_softmax"]


def test_a_module_level_alias_is_followed(course):
    source = "from torch import optim\nSGD = optim.SGD\ndef fit(x, y, w, b):\n    SGD([w], lr=0.1)\n"
    assert "02.fit" in _charged(course, source)


def test_importing_by_string_is_flagged(course):
    source = "def nll(i, t):\n    return __import__('torch.nn').nn.functional.nll_loss(i, t)\n"
    assert "02.nll" in _charged(course, source)


def test_allowed_torch_functions_are_not_flagged(course):
    source = "import torch\ndef log_softmax(x):\n    return x - torch.logsumexp(x, -1, keepdim=True)\n"
    assert _charged(course, source) == {}
