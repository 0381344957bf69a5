"""Punch ingestion under load: gunicorn + PostgreSQL on loopback.

    python bench/punch_load.py [--seconds 30] [--terminals 20] [--workers 2] [--threads 4]
        [--backlog 10000]

Creates a fresh database (DATABASE_URL's name + "_punchbench"), a site with 400 badged
operators and `terminals` devices, and starts gunicorn with DEBUG off. Part 1: each terminal
posts single punches back to back for `seconds`, re-sending 10 % of them (the same event id
and body, as after a lost answer); reports punches/s, latency percentiles and reconciliation
(every event answered 2xx is stored exactly once; duplicates answered `duplicate`; 5xx).
Part 2: an offline backlog of `backlog` punches sent in batches of 500. Ends with one JSON
line. Goal on the 2-core machine: >= 300 punches/s at p99 < 150 ms; backlog under 15 s.
"""

import argparse
import json
import random
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.databases import fresh_database
from bench.http_load import (
    bench_database_url,
    django_setup,
    gunicorn_serving,
    percentile,
    post_json,
    stored_counts,
)

PORT = 8765


def _setup(url: str, terminals: int) -> tuple[list[str], list[str]]:
    """Migrate and create the site, operators and devices (in this process)."""
    django_setup(url)
    from organisation.models import Employee
    from tests.factories import employee_make, site_make, team_make
    from timeclock.services.devices import device_register

    site = site_make(name="Bench site")
    team = team_make(site=site, name="Bench team")
    for n in range(400):
        employee_make(team=team, username=f"bench{n:04d}")
    for n, employee in enumerate(Employee.objects.order_by("number")):
        Employee.objects.filter(pk=employee.pk).update(badge_id=str(10000 + n))
    tokens = [
        device_register(site=site, name=f"T{n:02d}", is_kiosk=False, created_by=None)[1]
        for n in range(terminals)
    ]
    badges = [str(10000 + n) for n in range(400)]
    return tokens, badges


def _post(path: str, token: str, body: dict[str, Any]) -> tuple[int, dict[str, Any], float]:
    return post_json(PORT, path, token, body)


def _stored(event_ids: set[str]) -> dict[str, int]:
    from timeclock.models import Punch

    return stored_counts(Punch, event_ids)


def _terminal(token: str, badges: list[str], seconds: float, seed: int, log: list[Any]) -> None:
    rng = random.Random(seed)
    deadline = time.perf_counter() + seconds
    seq = 0
    while time.perf_counter() < deadline:
        seq += 1
        body = {
            "event_id": str(uuid.uuid4()),
            "device_seq": seq,
            "badge": rng.choice(badges),
            "kind": rng.choice(["in", "out", "break_start", "break_end"]),
            "occurred_at": datetime.now(UTC).isoformat(),
        }
        status, payload, seconds_taken = _post("/api/v1/punches", token, body)
        log.append((body["event_id"], status, payload.get("status"), seconds_taken, False))
        if rng.random() < 0.10:  # the answer "got lost": send the same punch again
            status, payload, seconds_taken = _post("/api/v1/punches", token, body)
            log.append((body["event_id"], status, payload.get("status"), seconds_taken, True))


def load(tokens: list[str], badges: list[str], seconds: float) -> dict[str, Any]:
    log: list[Any] = []
    threads = [
        threading.Thread(target=_terminal, args=(token, badges, seconds, n, log))
        for n, token in enumerate(tokens)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    acked = {e for e, status, _, _, _ in log if 200 <= status < 300}
    stored = _stored({e for e, *_ in log})
    latencies = [t for _, _, _, t, _ in log]
    return {
        "requests": len(log),
        "punches_per_second": round(len(log) / wall, 1),
        "p50_ms": round(1000 * percentile(latencies, 0.50), 1),
        "p95_ms": round(1000 * percentile(latencies, 0.95), 1),
        "p99_ms": round(1000 * percentile(latencies, 0.99), 1),
        "retries": sum(1 for *_, retry in log if retry),
        "retries_answered_duplicate": sum(
            1 for _, _, s, _, retry in log if retry and s == "duplicate"
        ),
        "lost": sum(1 for e in acked if stored.get(e, 0) == 0),
        "duplicated": sum(1 for n in stored.values() if n > 1),
        "server_errors": sum(1 for _, status, *_ in log if status >= 500),
    }


def backlog(token: str, badges: list[str], count: int) -> dict[str, Any]:
    rng = random.Random(99)
    now = datetime.now(UTC)
    events = [
        {
            "event_id": str(uuid.uuid4()),
            "device_seq": 1_000_000 + n,
            "badge": rng.choice(badges),
            "kind": rng.choice(["in", "out"]),
            "occurred_at": (now - timedelta(hours=8) + timedelta(seconds=n)).isoformat(),
        }
        for n in range(count)
    ]
    started = time.perf_counter()
    statuses: list[str] = []
    for first in range(0, count, 500):
        body = {"sent_at": datetime.now(UTC).isoformat(), "punches": events[first : first + 500]}
        status, payload, _ = _post("/api/v1/punches/batch", token, body)
        if status != 200:
            raise SystemExit(f"batch answered {status}")
        statuses.extend(r["status"] for r in payload["results"])
    seconds = time.perf_counter() - started
    stored = _stored({e["event_id"] for e in events})
    return {
        "punches": count,
        "seconds": round(seconds, 2),
        "created": statuses.count("created"),
        "lost": sum(1 for e in events if stored.get(e["event_id"], 0) == 0),
        "duplicated": sum(1 for n in stored.values() if n > 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--terminals", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--backlog", type=int, default=10_000)
    args = parser.parse_args()
    url = bench_database_url("punchbench")
    fresh_database(url)
    tokens, badges = _setup(url, args.terminals)
    with gunicorn_serving(PORT, url, workers=args.workers, threads=args.threads):
        figures = {"load": load(tokens, badges, args.seconds)}
        figures["backlog"] = backlog(tokens[0], badges, args.backlog)
    figures["setup"] = {
        "gunicorn_workers": args.workers,
        "threads": args.threads,
        "terminals": args.terminals,
    }
    print(
        f"{'punches/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'lost':>6}{'dup':>5}{'5xx':>5}"
    )
    f = figures["load"]
    print(
        f"{f['punches_per_second']:>10}{f['p50_ms']:>9}{f['p95_ms']:>9}{f['p99_ms']:>9}"
        f"{f['lost']:>6}{f['duplicated']:>5}{f['server_errors']:>5}"
    )
    b = figures["backlog"]
    print(
        f"backlog: {b['punches']} punches in {b['seconds']} s, "
        f"lost {b['lost']}, duplicated {b['duplicated']}"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
