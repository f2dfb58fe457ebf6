"""Whetstone's Python worker: tensor work only (train, generate, export), driven by a spec file
and reporting through JSON lines on stdout. See `python -m whet_worker`."""

import os as _os

from .openmp_env import default_openmp_wait

default_openmp_wait(_os.environ)  # before anything imports torch, which loads libgomp
