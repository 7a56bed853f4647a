"""``python -m interplay``: the command line (:mod:`interplay.cli`)."""
import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
