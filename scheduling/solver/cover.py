"""The one cover constraint of every model here: what covers a demand line, plus what is
short of it, minus what is over it, equals what it asks for."""

from collections.abc import Sequence

from ortools.sat.python import cp_model


def cover_shortfall(
    model: cp_model.CpModel,
    covering: Sequence[cp_model.LinearExprT],
    required: int,
    name: str,
    *,
    most_over: int | None = None,
) -> tuple[cp_model.IntVar, cp_model.IntVar]:
    """sum(covering) + under - over == required; returns (under, over), named
    `under_<name>` and `over_<name>`. `most_over` bounds the excess (default: one per covering
    term, right when each term is a 0/1 literal or a 1 - literal)."""
    under = model.new_int_var(0, max(required, 0), f"under_{name}")
    upper = len(covering) if most_over is None else most_over
    over = model.new_int_var(0, max(upper, 0), f"over_{name}")
    model.add(cp_model.LinearExpr.sum(list(covering)) + under - over == required)
    return under, over
