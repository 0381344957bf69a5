"""Bad Curtois & Qu files are refused with the line at fault, before anything is solved."""

from pathlib import Path

import pytest

import bench.curtois as curtois_bench
from bench.curtois_read import InstanceError, read_problem

INSTANCE1 = (Path(__file__).resolve().parents[2] / "fixtures" / "curtois_instance1.txt").read_text()
LINES = INSTANCE1.replace("\r\n", "\n").split("\n")


def number_of(line: str) -> int:
    """1-based number of the first line of Instance 1 that reads `line`."""
    return LINES.index(line) + 1


def edited(old: str, new: str) -> str:
    assert old in LINES
    return "\n".join(new if line == old else line for line in LINES)


def refused(text: str) -> InstanceError:
    with pytest.raises(InstanceError) as caught:
        read_problem(text)
    return caught.value


def test_instance1_reads_whole() -> None:
    problem = read_problem(INSTANCE1)
    assert (problem.days, len(problem.employees), len(problem.headcount_demand)) == (14, 8, 14)
    assert len(problem.requests) == 26


def test_a_truncated_file_is_refused_at_its_last_line() -> None:
    cut = "\n".join(LINES[: number_of("6,D,5,100,1")])  # the cover stops after day 6
    error = refused(cut)
    assert error.line == number_of("6,D,5,100,1")
    assert "truncated" in str(error)
    error = refused("\n".join(LINES[: number_of("SECTION_SHIFT_OFF_REQUESTS")]))
    assert "SECTION_COVER" in str(error)


def test_an_unknown_section_is_refused() -> None:
    error = refused(edited("SECTION_DAYS_OFF", "SECTION_HOLIDAYS"))
    assert error.line == number_of("SECTION_DAYS_OFF")
    assert "unknown section SECTION_HOLIDAYS" in str(error)


@pytest.mark.parametrize(
    ("old", "new"),
    [("A,2,D,2", "A,2,D,-2"), ("0,D,5,100,1", "0,D,5,-100,1"), ("0,D,5,100,1", "0,D,5,100,-1")],
)
def test_negative_weights_are_refused(old: str, new: str) -> None:
    error = refused(edited(old, new))
    assert error.line == number_of(old)
    assert "below 0" in str(error)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("D,480,", "D,480,N"),  # CannotFollow
        ("A,D=14,4320,3360,5,2,2,1", "A,D=14|N=2,4320,3360,5,2,2,1"),  # MaxShifts
        ("A,2,D,2", "A,2,N,2"),  # a request
        ("0,D,5,100,1", "0,N,5,100,1"),  # a cover line
    ],
)
def test_a_shift_type_used_but_not_defined_is_refused(old: str, new: str) -> None:
    error = refused(edited(old, new))
    assert error.line == number_of(old)
    assert "'N' is not defined" in str(error)


@pytest.mark.parametrize(
    ("new", "words"),
    [
        ("A,D=14,3360,4320,5,2,2,1", "MinTotalMinutes 4320 above MaxTotalMinutes 3360"),
        ("A,D=14,4320,3360,2,3,2,1", "MinConsecutiveShifts 3 above MaxConsecutiveShifts 2"),
        ("A,D=6,4320,3360,5,2,2,1", "MinTotalMinutes 3360 but at most 2880"),
    ],
)
def test_an_employee_with_contradictory_limits_is_refused(new: str, words: str) -> None:
    old = "A,D=14,4320,3360,5,2,2,1"
    error = refused(edited(old, new))
    assert error.line == number_of(old)
    assert words in str(error)


def test_the_benchmark_solves_nothing_for_a_bad_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(edited("A,2,D,2", "A,2,D,-2"))
    monkeypatch.setattr("sys.argv", ["curtois.py", str(bad)])
    monkeypatch.setattr(curtois_bench, "solve", lambda *a, **k: pytest.fail("solved"))
    with pytest.raises(SystemExit) as exit_:
        curtois_bench.main()
    assert exit_.value.code == 2
    assert f"line {number_of('A,2,D,2')}: weight: -2 is below 0" in capsys.readouterr().err
