"""The core: models, errors, the stage interface, masking, file IO, clock, progress, i18n.

It imports nothing else of ours; stages and the application build on it.
"""
