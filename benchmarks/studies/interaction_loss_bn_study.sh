#!/bin/sh
# The interaction loss on a batch-norm CNN (paper Sec. 3 "Advantage 2", App. G): which way batch norm
# should normalise the masked track, and the loss against dropout there (benchmarks/RESULTS.md; ~8 min).
#   sh benchmarks/studies/interaction_loss_bn_study.sh
# The study's CNN with BatchNorm after every conv and after fc 64 (so dropout at either gate feeds a batch
# norm); 5 seeds; the same splits and initialisations as the plain study.
set -e
cd "$(dirname "$0")/../.."
export PYTHONPATH=python
S="--norm batch --only sweep --seeds 5"
# high layer, 2 contexts per input (~1.3x a dropout step): the three batch-norm modes of the masked track,
# with the logit reward and with App. G's probability reward for batch-norm networks
for mode in ordinary eval batch; do
  python benchmarks/studies/interaction_loss_study.py $S --position high --batchnorm $mode --dropouts 0.1 0.3 0.5 \
    --lams 3 10 30 100 --loss-settings 2:1:0.05 --paper-lams --out benchmarks/output/loss_bn_high_$mode.json "$@"
  python benchmarks/studies/interaction_loss_study.py $S --position high --batchnorm $mode --reward probability --dropouts 0.5 \
    --lams 10 100 1000 10000 --loss-settings 2:1:0.05 --paper-lams \
    --out benchmarks/output/loss_bn_high_${mode}_prob.json "$@"
done
# low layer (App. G's position): the cheap 1.49x setting and the paper's 10 contexts, default mode
python benchmarks/studies/interaction_loss_study.py $S --position low --dropouts 0.1 0.3 0.5 --lams 10 30 \
  --loss-settings 1:0.375:0.05 --paper-lams 10 30 --out benchmarks/output/loss_bn_low.json "$@"
