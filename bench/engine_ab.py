"""Compare two revisions of the roster engine on the same instances and seeds, run by turns.

    python bench/engine_ab.py --base REV [--head REV] --instances 8,5,S100 [--seeds 0-3]
        [--time-limit 60] [--workers 2] [--output ab.json]

A 60-s parallel search of one seed is one draw from a wide distribution (Curtois & Qu 8:
1,333-1,446 over twelve runs of one revision), so a change to the engine is judged on pairs:
each instance and seed solved by both revisions, one after the other, the order swapped from
seed to seed so that a machine growing busier weighs on both. Per instance it prints both
revisions' objectives, their medians and means, how many seeds each won, and a two-sided sign
test (ties left out): a p-value above 0.05 says the two are not told apart by these runs.

`--instances`: Curtois & Qu numbers (read from ../shared/data/curtois, or --data), or classes
of bench/curtois_sweep.py (S100, T150, ...: generated once, instance seed 0, and handed to both
revisions as the same file). `--base`/`--head`: any git revision (head: the working tree when
left out); each is checked out in a temporary worktree and run in a process of its own, with
this checkout's Python. Each run's objective is re-scored by this checkout's
bench/curtois_eval.py, and the 1-minute load is recorded before it. Ends with one JSON line.
"""

import argparse
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.curtois_eval import evaluate  # noqa: E402
from bench.curtois_gen import generate  # noqa: E402
from bench.curtois_sweep import CLASSES  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "curtois"

# Run in a revision's tree (its path first on sys.path): solve one file, print the roster.
RUNNER = """
import json, sys
sys.path.insert(0, sys.argv[1])
from bench.curtois_read import read_problem
from scheduling.solver.solve import SolveOptions, solve
text = open(sys.argv[2]).read()
problem = read_problem(text)
options = SolveOptions(
    time_limit_seconds=float(sys.argv[3]), num_workers=int(sys.argv[4]), seed=int(sys.argv[5])
)
solution = solve(problem, options)
roster = {e.id: [None] * problem.days for e in problem.employees}
for a in solution.assignments:
    roster[a.employee][a.day] = a.template
print(json.dumps(roster))
"""


def sign_test(wins: int, losses: int) -> float:
    """Two-sided p-value of `wins` against `losses` under a fair coin (ties left out)."""
    n = wins + losses
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(min(wins, losses) + 1)) / 2**n
    return min(1.0, 2 * tail)


def summary(base: list[int], head: list[int]) -> dict[str, object]:
    """Both revisions' objectives on the same seeds (lower is better), compared in pairs."""
    wins = sum(h < b for b, h in zip(base, head, strict=True))
    losses = sum(h > b for b, h in zip(base, head, strict=True))
    mean_base = statistics.fmean(base)
    return {
        "base": base,
        "head": head,
        "base_median": statistics.median(base),
        "head_median": statistics.median(head),
        "mean_change": round((statistics.fmean(head) - mean_base) / mean_base, 4)
        if mean_base
        else None,
        "head_better": wins,
        "head_worse": losses,
        "p": round(sign_test(wins, losses), 3),
    }


def seeds_of(text: str) -> list[int]:
    """'0-3' or '0,2,5'."""
    if "-" in text:
        first, last = text.split("-")
        return list(range(int(first), int(last) + 1))
    return [int(s) for s in text.split(",")]


def instance_file(name: str, data: Path, scratch: Path) -> Path:
    """A Curtois & Qu number's file, or a generated class written to `scratch`."""
    if name in CLASSES:
        path = scratch / f"{name}.txt"
        path.write_text(generate(*CLASSES[name], seed=0).text)
        return path
    path = data / f"Instance{int(name)}.txt"
    if not path.is_file():
        raise SystemExit(f"no instance {name!r}: neither a class of curtois_sweep nor {path}")
    return path


@contextmanager
def checkout(revision: str | None, scratch: Path) -> Iterator[Path]:
    """A worktree of `revision` (this checkout itself when None), removed afterwards."""
    if revision is None:
        yield ROOT
        return
    tree = scratch / f"tree-{revision.replace('/', '_')}"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), revision],
        check=True,
    )
    try:
        yield tree
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False
        )


def run(tree: Path, path: Path, time_limit: float, workers: int, seed: int) -> dict[str, object]:
    load = os.getloadavg()[0]
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            RUNNER,
            str(tree),
            str(path),
            str(time_limit),
            str(workers),
            str(seed),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    roster = json.loads(done.stdout.strip().splitlines()[-1])
    evaluation = evaluate(path.read_text(), roster)
    return {
        "objective": evaluation.objective,
        "violations": len(evaluation.violations),
        "load": round(load, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="git revision to compare against")
    parser.add_argument("--head", default=None, help="git revision (default: the working tree)")
    parser.add_argument("--instances", required=True, help="e.g. 5,8,S100")
    parser.add_argument("--seeds", default="0-3")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    # Stopped with a signal, it still removes its worktrees (the `finally` of checkout).
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    seeds = seeds_of(args.seeds)
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as temporary:
        scratch = Path(temporary)
        with checkout(args.base, scratch) as base, checkout(args.head, scratch) as head:
            trees = {"base": base, "head": head}
            for name in args.instances.split(","):
                path = instance_file(name, args.data, scratch)
                runs: dict[str, list[dict[str, object]]] = {"base": [], "head": []}
                for k, seed in enumerate(seeds):
                    order = ("base", "head") if k % 2 == 0 else ("head", "base")
                    for arm in order:
                        runs[arm].append(run(trees[arm], path, args.time_limit, args.workers, seed))
                        print(f"{name} seed {seed} {arm}: {runs[arm][-1]}", flush=True)
                objectives = {arm: [int(str(r["objective"])) for r in runs[arm]] for arm in runs}
                results[name] = {**summary(objectives["base"], objectives["head"]), "runs": runs}
                row = results[name]
                print(
                    f"{name}: base median {row['base_median']}, head median "
                    f"{row['head_median']}, mean change {row['mean_change']}, head better on "
                    f"{row['head_better']} of {len(seeds)}, worse on {row['head_worse']}, "
                    f"sign test p = {row['p']}",
                    flush=True,
                )
    line = {
        "base": args.base,
        "head": args.head or "working tree",
        "time_limit": args.time_limit,
        "workers": args.workers,
        "seeds": seeds,
        "results": results,
    }
    if args.output:
        args.output.write_text(json.dumps(line) + "\n")
    print(json.dumps(line))


if __name__ == "__main__":
    main()
