"""explorer's benchmark suite: the real app in a real terminal (tmux), against a sandbox on loopback.

Run it with `python -m benchmarks.run` (see benchmarks/README.md). It is not part of the test run.
"""
