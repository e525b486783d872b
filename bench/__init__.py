"""délib's benchmarks: each figure is printed beside a baseline measured in the same run.

Run ``python -m bench`` (all) or ``python -m bench transitions startup`` (some); ``--quick`` for a
small smoke run. Targets are ratios to the baseline, never absolute times.
"""
