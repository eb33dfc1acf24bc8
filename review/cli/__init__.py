"""The click command-line interface: a thin adapter over the core."""
