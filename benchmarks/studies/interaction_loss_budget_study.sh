#!/bin/sh
# Is there a setting of the interaction loss that costs <= 1.5x a dropout step and beats the best dropout?
# (benchmarks/RESULTS.md, "Interaction loss", the <= 1.5x search; ~20 min on 2 cores)
#   sh benchmarks/studies/interaction_loss_budget_study.sh
# Selection on seeds 0-9 (every setting tried is reported), confirmation of the chosen one on fresh seeds 10-19.
set -e
cd "$(dirname "$0")/../.."
export PYTHONPATH=python
# high layer: 2 or 3 contexts (1.3x / 1.45x), lambda 30/100/300, keep-rate intervals 0-1 (Shapley), 0.5-1, 0.8-1
python benchmarks/studies/interaction_loss_study.py --position high --only sweep --seeds 10 --first-seed 0 \
  --dropouts 0.1 0.3 0.5 0.7 0.9 --lams 30 100 300 \
  --loss-settings 2:1:0.05 2:1:0.05:0.5-1 2:1:0.05:0.8-1 3:1:0.05 --paper-lams \
  --out benchmarks/output/loss_select_high.json "$@"
# low layer: 1 context on 37.5% of the batch (<= 1.5x), lambda 30/100, with and without a 20-epoch warm-up;
# the paper's setting (10 contexts, whole batch, ~10x) for reference
python benchmarks/studies/interaction_loss_study.py --position low --only sweep --seeds 10 --first-seed 0 \
  --dropouts 0.3 0.5 0.7 --lams 30 100 --loss-settings 1:0.375:0.05 1:0.375:0.05:0-1:20 --paper-lams 30 \
  --out benchmarks/output/loss_select_low.json "$@"
# confirmation of the best <= 1.5x setting (high layer, 2 contexts, lambda 100) on fresh seeds
python benchmarks/studies/interaction_loss_study.py --position high --only sweep --seeds 10 --first-seed 10 \
  --dropouts 0.3 0.5 0.7 --lams 100 --loss-settings 2:1:0.05 --paper-lams \
  --out benchmarks/output/loss_confirm_high.json "$@"
