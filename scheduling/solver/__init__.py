"""Roster engine (pure: OR-Tools CP-SAT, no Django): model dataclasses, build, solve."""
