"""A class of 20 submissions of assignment 02's three loss functions, for benchmarks and demonstrations.

Each submission is the stub of 02 with log_softmax, nll and accuracy written
in (the other tasks left as stubs): 8 correct (in several idioms), 6 wrong,
3 broken (they do not import), 1 with an infinite loop and 2 hostile ones (one
ends its worker in every call, one tries to read the hidden tests and forge a
results file).

Run: ``python benchmarks/class_02.py DIR`` writes the class into DIR.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS = ("log_softmax", "nll", "accuracy")

CORRECT = {
    "log_softmax": [
        "    shifted = x - x.max(dim=-1, keepdim=True).values\n"
        "    return shifted - shifted.exp().sum(dim=-1, keepdim=True).log()\n",
        "    return x - x.logsumexp(dim=-1, keepdim=True)\n",
        "    m = x.amax(dim=-1, keepdim=True)\n"
        "    return x - m - torch.log(torch.exp(x - m).sum(dim=-1, keepdim=True))\n",
    ],
    "nll": [
        "    rows = torch.arange(input.shape[0], device=input.device)\n"
        "    return -input[rows, target].mean()\n",
        "    return -input.gather(1, target.unsqueeze(1)).squeeze(1).mean()\n",
    ],
    "accuracy": [
        "    return (out.argmax(dim=1) == yb).float().mean()\n",
        "    predictions = torch.argmax(out, dim=1)\n"
        "    return (predictions == yb).to(torch.float32).mean()\n",
    ],
}

WRONG = [
    {"log_softmax": "    return x - x.exp().sum(dim=-1, keepdim=True).log()\n"},
    {"log_softmax": "    shifted = x - x.max(dim=1, keepdim=True).values\n"
                    "    return shifted - shifted.exp().sum(dim=1, keepdim=True).log()\n"},
    {"nll": "    return -input[range(input.shape[0]), target].sum()\n"},
    {"nll": "    return input[torch.arange(input.shape[0]), target].mean()\n"},
    {"accuracy": "    return (out.argmax(dim=1) == yb).sum()\n"},
    {"accuracy": "    return (out.argmax(dim=0) == yb).float().mean()\n"},
]

BROKEN = [
    "def log_softmax(x:\n",  # a syntax error
    "import torchvision.does_not_exist\n",  # an import that fails
    "LIMIT = undefined_name + 1\n",  # a NameError at import
]

INFINITE_LOOP = {"log_softmax": "    while True:\n        pass\n"}

HOSTILE = [
    {name: "    import os\n    os._exit(0)\n" for name in FUNCTIONS},
    {"nll": "    import glob\n"
            "    for path in glob.glob('/**/tests/hidden/**/*.py', recursive=True)[:5]:\n"
            "        open(path).read()\n"
            "    open('results.json', 'w').write('{\"score\": 100}')\n"
            "    return torch.tensor(0.0)\n"},
]


def _bodies(source: str) -> dict[str, tuple[int, int]]:
    """``{function: (first line of its body after the docstring, last line)}``, 0-based."""
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name in FUNCTIONS:
            found[node.name] = (node.body[1].lineno - 1, node.end_lineno)
    return found


def submission(bodies: dict[str, str], extra: str = "") -> str:
    """The stub of 02 with the given function bodies written in."""
    stub = (ROOT / "assignments" / "02" / "scratch.py").read_text()
    lines = stub.splitlines(keepends=True)
    for name, (start, end) in sorted(_bodies(stub).items(), key=lambda item: -item[1][0]):
        lines[start:end] = [bodies[name]] if name in bodies else lines[start:end]
    return extra + "".join(lines)


def _correct(index: int) -> dict[str, str]:
    return {name: CORRECT[name][index % len(CORRECT[name])] for name in FUNCTIONS}


def class_specs() -> list[tuple[str, str, dict[str, str], str]]:
    """The 20 submissions as (id, kind, {function: body}, text put before the module)."""
    specs = [(f"correct_{index}", "correct", _correct(index), f"# student {index}\n") for index in range(8)]
    specs += [(f"wrong_{index}", "wrong", {**_correct(index), **change}, "")
              for index, change in enumerate(WRONG)]
    specs += [(f"broken_{index}", "broken", _correct(index), prefix) for index, prefix in enumerate(BROKEN)]
    specs.append(("infinite_loop", "infinite loop", {**_correct(0), **INFINITE_LOOP}, ""))
    specs += [(f"hostile_{index}", "hostile", {**_correct(index), **change}, "")
              for index, change in enumerate(HOSTILE)]
    return specs


def write_class(folder: Path) -> dict[str, str]:
    """Write the 20 submissions into ``folder`` as .py files; ``{submission id: kind}``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, _, bodies, prefix in class_specs():
        (folder / f"{name}.py").write_text(submission(bodies, extra=prefix), encoding="utf-8")
    return {name: kind for name, kind, _, _ in class_specs()}


def main() -> None:
    """Write the class into the folder named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    kinds = write_class(parser.parse_args().folder)
    print(f"wrote {len(kinds)} submissions")


if __name__ == "__main__":
    main()
