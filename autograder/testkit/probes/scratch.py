"""Probes for assignment 02: what must run beside the student's scratch.py.

``fit`` calls the module's own ``model`` and ``nll`` (which call
``log_softmax``). The fit probes swap in trusted versions of these three for
the duration of the call, so that a mistake in one of them costs its own task
and not ``02.fit`` as well; ``fit_record``'s trusted model and nll also keep
the batches the loop fed them, for the grader to replay. The model probes
swap in a trusted ``log_softmax`` the same way.
"""

from __future__ import annotations

import warnings

import torch

from autograder.student.probes import probe
from autograder.testkit.probes.shared import grad_of, leaf_copy, swapped_attributes


def _trusted_log_softmax(x: torch.Tensor) -> torch.Tensor:
    shifted = x - x.amax(dim=-1, keepdim=True)
    return shifted - shifted.exp().sum(dim=-1, keepdim=True).log()


def _trusted_nll(input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    if input.shape[:1] != target.shape:
        raise ValueError(f"nll(model(xb, weights, bias), yb) got {input.shape[0]} rows from xb but yb of "
                         f"shape {tuple(target.shape)}: xb and yb must be the same rows")
    rows = torch.arange(input.shape[0], device=input.device)
    return -input[rows, target].mean()


def _trusted_model(xb: torch.Tensor, weights: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    return _trusted_log_softmax(xb @ weights + bias)


_TRUSTED_HELPERS = {"log_softmax": _trusted_log_softmax, "nll": _trusted_nll,
                    "model": _trusted_model}


def _with_aliases(module, replacements: dict) -> dict:
    """The replacements, plus one for every other module name bound to a replaced function.

    A student who wrote ``loss_func = nll``, as the tutorial does, calls the
    same function under another name; it is swapped too.
    """
    originals = {name: module.__dict__.get(name) for name in replacements}
    found = dict(replacements)
    for name, value in list(module.__dict__.items()):
        for original_name, original in originals.items():
            if original is not None and value is original and callable(value):
                found.setdefault(name, replacements[original_name])
    return found


def _swapped(module, replacements: dict):
    """Swap in the replacements (and their aliases) for the duration, then restore the originals."""
    return swapped_attributes(module, _with_aliases(module, replacements))


def _trusted_helpers(module):
    """Replace the module's log_softmax, nll and model by trusted ones, then restore them."""
    return _swapped(module, _TRUSTED_HELPERS)


class _FitRecorder:
    """A trusted ``model`` and ``nll`` that keep what the student's loop fed them.

    Each model call keeps its batch and the parameters it saw; each nll call
    keeps its targets, which model call produced its input and whether a
    backward pass went through the loss. Nothing here is a verdict: the grader
    replays the steps from these records and checks them.
    """

    def __init__(self):
        self.calls: list[dict] = []
        self.losses: list[dict] = []
        self._outputs: list[torch.Tensor] = []

    def model(self, xb: torch.Tensor, weights: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        out = _trusted_model(xb, weights, bias)
        self.calls.append({"xb": xb.detach().clone(), "weights": weights.detach().clone(),
                           "bias": bias.detach().clone(), "grad_enabled": torch.is_grad_enabled()})
        self._outputs.append(out)
        return out

    def nll(self, input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        source = next((i for i, out in enumerate(self._outputs) if out is input), None)
        entry = {"call": source, "target": target.detach().clone(), "backward": False}
        self.losses.append(entry)
        loss = _trusted_nll(input, target)
        if loss.requires_grad:
            loss.register_hook(lambda grad: entry.update(backward=True))
        return loss


@probe
def fit_and_return_params(module, x, y, weights, bias, **kwargs):
    """Run the student's ``fit`` on leaf copies of the parameters, with trusted helpers.

    Returns:
        (losses, weights after, bias after, weights.grad after, bias.grad after),
        so tests see the in-place updates and whether the gradients were zeroed.
    """
    weights, bias = leaf_copy(weights), leaf_copy(bias)
    with _trusted_helpers(module):
        losses = module.fit(x, y, weights, bias, **kwargs)
    return losses, weights.detach(), bias.detach(), grad_of(weights), grad_of(bias)


@probe
def fit_record(module, x, y, weights, bias, **kwargs):
    """Run the student's ``fit`` with a recording trusted model and nll.

    Returns:
        {"returned": what fit returned, "weights", "bias": the caller's tensors after,
         "calls": per model call {"xb", "weights", "bias", "grad_enabled"},
         "losses": per nll call {"call": the model call its input came from or None,
         "target", "backward": whether a backward pass went through it}}.
    """
    weights, bias = leaf_copy(weights), leaf_copy(bias)
    recorder = _FitRecorder()
    helpers = {**_TRUSTED_HELPERS, "model": recorder.model, "nll": recorder.nll}
    with _swapped(module, helpers):
        returned = module.fit(x, y, weights, bias, **kwargs)
    return {"returned": returned, "weights": weights.detach(), "bias": bias.detach(),
            "calls": recorder.calls, "losses": recorder.losses}


@probe
def gradients_after_fit(module, x, y, weights, bias, upstreams, **kwargs):
    """After fit, the gradients of sum(weights * upstreams[0]) + sum(bias * upstreams[1]).

    A leaf that still requires grad gets exactly its upstream tensor as its
    gradient; one that stopped requiring grad, or is no longer a leaf, gets None.
    """
    weights, bias = leaf_copy(weights), leaf_copy(bias)
    with _trusted_helpers(module):
        module.fit(x, y, weights, bias, **kwargs)
    return _gradients_of_sums([weights, bias], upstreams)


def _gradients_of_sums(tensors: list, upstreams: list) -> list:
    """Gradients of sum(t * u) over the pairs, None for a tensor that gets none."""
    for tensor in tensors:
        if tensor.is_leaf:
            tensor.grad = None
    terms = [(tensor * upstream).sum() for tensor, upstream in zip(tensors, upstreams, strict=True)
             if tensor.requires_grad]
    if not terms:
        return [None for _ in tensors]
    sum(terms).backward()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reading .grad of a non-leaf warns
        return [grad_of(tensor) for tensor in tensors]


@probe
def gradient_of_log_softmax(module, x, upstream):
    """d(sum(log_softmax(x) * upstream))/dx through the student's function."""
    x = leaf_copy(x)
    (module.log_softmax(x) * upstream).sum().backward()
    return grad_of(x)


@probe
def input_after_log_softmax(module, x):
    """The input tensor as it is after the student's log_softmax (it should be unchanged)."""
    module.log_softmax(x)
    return x


@probe
def gradient_of_nll(module, log_probs, target):
    """The gradient of nll(log_probs, target) with respect to log_probs, through the student's nll."""
    log_probs = leaf_copy(log_probs)
    module.nll(log_probs, target).backward()
    return grad_of(log_probs)


def _with_trusted_log_softmax(module):
    """Replace only the module's log_softmax, so model's own mistakes show apart from it."""
    return _swapped(module, {"log_softmax": _trusted_log_softmax})


@probe
def model_output(module, xb, weights, bias):
    """``model(xb, weights, bias)`` with a trusted log_softmax in the module."""
    with _with_trusted_log_softmax(module):
        return module.model(xb, weights, bias)


@probe
def gradients_of_model(module, xb, weights, bias, upstream):
    """(d/d weights, d/d bias) of sum(model(xb, weights, bias) * upstream), None if absent.

    The module's log_softmax is a trusted one for the call.
    """
    weights, bias = leaf_copy(weights), leaf_copy(bias)
    with _with_trusted_log_softmax(module):
        (module.model(xb, weights, bias) * upstream).sum().backward()
    return grad_of(weights), grad_of(bias)


@probe
def init_params_facts(module, n_in=None, n_out=None, seed=0, upstreams=None):
    """What init_params returned, and the gradients a backward pass gives them.

    Sizes left as None are not passed (``n_out`` only with ``n_in``), so the
    student's defaults apply. With ``upstreams`` (one tensor per parameter),
    "gradients" holds the gradients of sum(weights * upstreams[0]) +
    sum(bias * upstreams[1]): exactly the upstreams for leaves requiring grad,
    None for a tensor that is not a leaf or does not require grad.
    """
    sizes = [size for size in (n_in, n_out) if size is not None]
    generator = torch.Generator().manual_seed(seed)
    weights, bias = module.init_params(*sizes, generator=generator)
    facts = {"weights": weights.detach(), "bias": bias.detach()}
    if upstreams is not None:
        facts["gradients"] = _gradients_of_sums([weights, bias], upstreams)
    return facts
