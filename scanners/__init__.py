"""Scanners: PII scan, desensitisation verification, license conflict detection."""
