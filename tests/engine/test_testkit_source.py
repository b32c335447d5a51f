"""Does the syntax-tree check find gradient tracking turned off, by any spelling, and only then?"""

import pytest

from autograder.testkit.source import turns_gradients_off

DEF = "def evaluate(m, x):\n    "

OFF = {
    "with": "import torch\ndef evaluate(m, x):\n    with torch.no_grad():\n        return m(x)\n",
    "decorator": "import torch\n@torch.no_grad()\ndef evaluate(m, x):\n    return m(x)\n",
    "inference mode": f"import torch\n{DEF}with torch.inference_mode():\n        return m(x)\n",
    "set_grad_enabled": f"import torch\n{DEF}torch.set_grad_enabled(False)\n    return m(x)\n",
    "alias": "import torch as t\ndef evaluate(m, x):\n    with t.no_grad():\n        return m(x)\n",
    "imported name": f"from torch import no_grad\n{DEF}with no_grad():\n        return m(x)\n",
    "in a helper": ("import torch\ndef _predict(m, x):\n    with torch.no_grad():\n        return m(x)\n"
                    "def evaluate(m, x):\n    return _predict(m, x)\n"),
}
ON = {
    "nothing": "def evaluate(m, x):\n    return m(x)\n",
    "enable_grad": "import torch\ndef evaluate(m, x):\n    with torch.enable_grad():\n        return m(x)\n",
    "set_grad_enabled(True)": f"import torch\n{DEF}torch.set_grad_enabled(True)\n    return m(x)\n",
    "only elsewhere": ("import torch\ndef other(m, x):\n    with torch.no_grad():\n        return m(x)\n"
                       "def evaluate(m, x):\n    return m(x)\n"),
    "a syntax error": "def evaluate(m, x:\n",
}


@pytest.mark.parametrize("source", OFF.values(), ids=list(OFF))
def test_gradient_tracking_turned_off_is_found(source):
    assert turns_gradients_off(source, "evaluate")


@pytest.mark.parametrize("source", ON.values(), ids=list(ON))
def test_gradient_tracking_left_on_is_not_mistaken_for_off(source):
    assert not turns_gradients_off(source, "evaluate")
