"""The package's private helpers, shared by every subsystem: argument checks and the memory budget
(``checks``), the model's module lookup (``modules``), the ``torch.ops.interplay`` operators and
their fake kernels (``ops``), progress bars (``progress``), seeds (``seeds``) and the version."""
