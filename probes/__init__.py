"""Built-in probes. Each module exposes ``PROBE`` and is registered as an entry point."""
