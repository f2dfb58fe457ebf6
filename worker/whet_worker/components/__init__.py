"""The parts recipes are built from, one job per module."""
