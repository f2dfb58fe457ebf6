"""Whetstone's Python worker: tensor work only (train, generate, export), driven by a spec file
and reporting through JSON lines on stdout. See `python -m whet_worker`."""
