"""bench/engine_ab.py: the paired comparison's arithmetic, and one real run of two revisions."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.engine_ab import instance_file, seeds_of, sign_test, summary

ROOT = Path(__file__).resolve().parents[2]


def test_the_sign_test_is_two_sided_and_leaves_ties_out() -> None:
    assert sign_test(0, 0) == 1.0
    assert sign_test(3, 3) == 1.0
    assert sign_test(5, 0) == pytest.approx(2 / 32)  # five of five: 0.0625, not below 0.05
    assert sign_test(0, 6) == pytest.approx(2 / 64)
    assert sign_test(7, 1) == pytest.approx(2 * 9 / 256)


def test_the_summary_compares_the_same_seeds_pairwise() -> None:
    row = summary(base=[1446, 1346, 1356, 1400], head=[1364, 1346, 1444, 1350])
    assert row["head_better"] == 2  # 1364 < 1446 and 1350 < 1400; 1346 ties
    assert row["head_worse"] == 1
    assert row["base_median"] == 1378
    assert row["head_median"] == 1357
    assert row["mean_change"] == pytest.approx((1376 - 1387) / 1387, abs=1e-4)
    assert row["p"] == 1.0


def test_seeds_and_instances_are_read_as_written(tmp_path: Path) -> None:
    assert seeds_of("0-3") == [0, 1, 2, 3]
    assert seeds_of("2,5") == [2, 5]
    generated = instance_file("S20", tmp_path, tmp_path)
    assert "SECTION_HORIZON" in generated.read_text()
    with pytest.raises(SystemExit, match="no instance '99'"):
        instance_file("99", tmp_path, tmp_path)


def test_two_revisions_solve_the_same_instance_and_seed_and_are_scored_alike(
    tmp_path: Path,
) -> None:
    """HEAD, in a worktree of its own, against the working tree: both rosters re-scored
    without a violation, one pair per seed, and the worktree removed afterwards (none left
    whose directory is gone; CI's two passes may each have one of their own meanwhile)."""
    output = tmp_path / "ab.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "engine_ab.py"),
            "--base",
            "HEAD",
            "--instances",
            "S20",
            "--seeds",
            "0",
            "--time-limit",
            "2",
            "--workers",
            "1",
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    line = json.loads(output.read_text())
    assert line["head"] == "working tree"
    row = line["results"]["S20"]
    for arm in ("base", "head"):
        (run,) = row["runs"][arm]
        assert run["violations"] == 0
        assert run["objective"] == row[arm][0]
    assert "S20: base median" in done.stdout
    trees = subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "list", "--porcelain"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "prunable" not in trees
