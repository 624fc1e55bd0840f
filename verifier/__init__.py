"""Evidence verifier for DTU 02476 MLOps project reports."""

__version__ = "0.1.0"
