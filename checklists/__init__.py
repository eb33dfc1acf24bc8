"""Bilingual (zh/en) checklist definitions as YAML, their loader and schema."""
