"""Desensitisation (脱敏) verification: policy, checks, re-identification risk, apply."""
