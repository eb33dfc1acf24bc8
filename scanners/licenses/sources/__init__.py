"""Dependency sources: one class per kind of input, behind ``DependencySource``."""
