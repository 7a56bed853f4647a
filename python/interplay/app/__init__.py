"""What a user runs first: the command line (:mod:`.cli`, ``python -m interplay``), the jobs behind
its commands as plain functions (:mod:`.jobs`) and the demo (:mod:`.demo`, ``make demo``).

Imported on demand (``from interplay.app import cli``): ``import interplay`` does not load it.
"""
