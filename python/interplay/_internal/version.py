"""The version of interplay, in one place: ``interplay.__version__`` imports it and setup.py reads this
file as text (building must not import the package, whose extension is not built yet)."""
__version__ = "0.2.0"
