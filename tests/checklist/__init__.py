"""Tests of the checklists, the checklist stage, its CLI and the gate rules."""
