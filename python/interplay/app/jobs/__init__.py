"""The jobs behind ``python -m interplay``, as plain functions to call from a notebook or a script.

  :func:`load_model`, :func:`load_tensor`,   a saved model (TorchScript or a state dict), a tensor file
  :func:`select_example`                     (.pt / .npy) and one example of a batch    (``loading``)
  :func:`explain_image`                      Shapley values of image cells and neighbour interactions,
                                             dropout paper Eq. 1-2, Fig. 1              (``image``)
  :func:`explain_sentence`, :func:`parse_span`, :func:`minilm`
                                             T([A]) of a run of words under MiniLM,
                                             multivariate paper Eq. 4-9, Figs. 5-6      (``sentence``)
  :func:`toy_benchmark`                      the multivariate paper's Table 1           (``benchmark``)

Each job takes tensors and options (``method=`` an estimator or its name, ``budget=`` model
evaluations, ``seed=``, as in the library), writes JSON (results as :meth:`interplay.Result.to_dict`)
and PNG files into ``out`` (the pictures come from :mod:`interplay.plots`) and returns what it
computed and wrote. Bad input raises :class:`CliError` (a ``ValueError``) with a message naming the
problem. The demo is :func:`interplay.app.demo.run`.
"""

from .benchmark import toy_benchmark
from .common import CliError, estimator, write_json
from .image import EXACT_LIMIT, explain_image
from .loading import check_device, load_model, load_tensor, select_example
from .sentence import DEFAULT_BUDGET, explain_sentence, minilm, parse_span

__all__ = [
    "DEFAULT_BUDGET",
    "EXACT_LIMIT",
    "CliError",
    "check_device",
    "estimator",
    "explain_image",
    "explain_sentence",
    "load_model",
    "load_tensor",
    "minilm",
    "parse_span",
    "select_example",
    "toy_benchmark",
    "write_json",
]
