#!/bin/sh
# The whole interaction-loss study on sklearn's digits (benchmarks/RESULTS.md), one command, ~10 min on 2 cores:
#   sh benchmarks/studies/interaction_loss_study.sh
# Low layer (App. G's position): no regulariser, dropout p = 0.1..0.9, the loss at the paper's setting
# (10 contexts, whole batch) and a cheap one (1 context on a quarter of the batch), over-fitting, dynamics.
# High layer (after conv block 3, where the upper network is cheap): dropout vs the loss at 2 contexts.
set -e
cd "$(dirname "$0")/../.."
export PYTHONPATH=python
python benchmarks/studies/interaction_loss_study.py --position low --seeds 5 --epochs 60 \
  --lams 3 10 30 --loss-settings 1:0.25:0.05 --paper-lams 10 30 100 "$@"
python benchmarks/studies/interaction_loss_study.py --position high --seeds 5 --epochs 60 --only sweep \
  --dropouts 0.1 0.3 0.5 0.7 0.9 --lams 1 3 10 30 --loss-settings 2:1:0.05 --paper-lams 10 "$@"
