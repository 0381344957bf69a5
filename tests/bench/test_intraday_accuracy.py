"""The intraday accuracy benchmark's noise floor: the mean absolute deviation of a Poisson count."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.intraday_accuracy import poisson_mean_abs_deviation


def _by_summation(rate: float) -> float:
    terms = range(int(rate + 20 * math.sqrt(rate) + 30))
    return sum(
        abs(x - rate) * math.exp(x * math.log(rate) - rate - math.lgamma(x + 1)) for x in terms
    )


@given(st.floats(min_value=0.01, max_value=400))
def test_the_closed_form_matches_the_sum_over_the_distribution(rate: float) -> None:
    assert poisson_mean_abs_deviation(rate) == pytest.approx(_by_summation(rate), rel=1e-9)


def test_no_calls_expected_means_no_noise() -> None:
    assert poisson_mean_abs_deviation(0.0) == 0.0


def test_busy_intervals_approach_the_normal_deviation() -> None:
    """sqrt(2 r / pi): a 30-minute interval of 50 calls is about 11 % off by chance alone."""
    assert poisson_mean_abs_deviation(50.0) / 50 == pytest.approx(
        math.sqrt(2 / (50 * math.pi)), rel=0.01
    )
