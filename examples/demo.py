"""The interplay demo (``make demo``): the same as ``python -m interplay demo`` (see interplay/app/demo.py).

A small CNN trained in seconds on sklearn's digits, the exact Shapley values and neighbour
interactions of a 4x4 grid of cells on a test digit (PNGs in examples/output/), and T([A]) with
the max / min coalitions of a sentence under MiniLM, printed in colour. No download.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

from interplay.app.demo import run  # noqa: E402

if __name__ == "__main__":
    run(out=os.path.join(os.path.dirname(os.path.abspath(__file__)), "output"))
