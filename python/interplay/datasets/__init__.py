"""Synthetic data sets with known ground truth (``interplay.datasets.toy``: the multivariate paper's Table 1 models)."""
