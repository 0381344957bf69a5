"""Benchmarks: each prints a readable table and ends with one JSON line of its figures."""
