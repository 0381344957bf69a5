"""ACD agent-state ingestion under load: gunicorn + PostgreSQL on loopback.

    python bench/acd_load.py [--seconds 30] [--senders 4] [--workers 2] [--threads 4]

Creates a fresh database (DATABASE_URL's name + "_acdbench"), a site with 500 operators and
one ACD feed device, and starts gunicorn with DEBUG off. Each sender owns a share of the
operators and posts batches of 500 agent states (consecutive one-minute states per operator)
back to back for `seconds`; 10 % of every batch are states sent before (resends, as after a
lost answer), which must answer `duplicate`. Reports state events/s (all rows posted, and new
rows), batch latency and the reconciliation: every row answered accepted or duplicate is
stored exactly once (lost, duplicated), refused rows, 5xx. Ends with one JSON line.
Goal: >= 2,000 state events/s in batches of 500, 0 lost, 0 duplicated.
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

PORT = 8766
OPERATORS = 500
BATCH = 500
RESEND_SHARE = 0.10
STATES = ["available", "on_call", "after_call_work", "on_call", "not_ready", "break"]


def _setup(url: str) -> tuple[str, list[str]]:
    """Migrate and create the site, operators and the ACD device (in this process)."""
    django_setup(url)
    from organisation.models import Employee
    from tests.factories import employee_make, site_make, team_make
    from timeclock.services.devices import device_register

    site = site_make(name="Bench site")
    team = team_make(site=site, name="Bench team")
    for n in range(OPERATORS):
        employee_make(team=team, username=f"bench{n:04d}")
    numbers = list(Employee.objects.order_by("number").values_list("number", flat=True))
    _, token = device_register(
        site=site, name="ACD", is_kiosk=False, created_by=None, is_acd_feed=True
    )
    return token, numbers


def _post(token: str, body: dict[str, Any]) -> tuple[int, dict[str, Any], float]:
    return post_json(PORT, "/api/v1/acd/agent-states", token, body, timeout=60)


def _stored(event_ids: set[str]) -> dict[str, int]:
    from timeclock.models import AgentState

    return stored_counts(AgentState, event_ids)


def _sender(token: str, numbers: list[str], seconds: float, seed: int, log: list[Any]) -> None:
    """Consecutive one-minute states per operator, from two days ago; each batch 90 % new
    states and 10 % resent from the last batch."""
    rng = random.Random(seed)
    origin = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=2)
    minute = {n: 0 for n in numbers}
    previous: list[dict[str, Any]] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        resent = rng.sample(previous, int(BATCH * RESEND_SHARE)) if previous else []
        fresh = []
        for _ in range(BATCH - len(resent)):
            number = rng.choice(numbers)
            start = origin + timedelta(minutes=minute[number])
            minute[number] += 1
            fresh.append(
                {
                    "event_id": str(uuid.uuid4()),
                    "employee_number": number,
                    "state": rng.choice(STATES),
                    "started_at": start.isoformat(),
                    "ended_at": (start + timedelta(minutes=1)).isoformat(),
                }
            )
        rows = fresh + resent
        status, payload, seconds_taken = _post(token, {"states": rows})
        results = payload.get("results") or [{} for _ in rows]
        for row, result, is_resend in zip(
            rows, results, [False] * len(fresh) + [True] * len(resent), strict=True
        ):
            log.append((row["event_id"], status, result.get("status"), is_resend))
        log.append(("batch", status, seconds_taken, None))
        previous = fresh


def load(token: str, numbers: list[str], seconds: float, senders: int) -> dict[str, Any]:
    log: list[Any] = []
    shares = [numbers[n::senders] for n in range(senders)]
    threads = [
        threading.Thread(target=_sender, args=(token, share, seconds, n, log))
        for n, share in enumerate(shares)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    batches = [entry for entry in log if entry[0] == "batch"]
    rows = [entry for entry in log if entry[0] != "batch"]
    acked = {e for e, status, result, _ in rows if status == 200 and result != "refused"}
    stored = _stored({e for e, *_ in rows})
    resends = [r for r in rows if r[3]]
    return {
        "batches": len(batches),
        "rows_posted": len(rows),
        "events_per_second": round(len(rows) / wall, 1),
        "new_events_per_second": round(sum(1 for r in rows if not r[3]) / wall, 1),
        "batch_p50_ms": round(1000 * percentile([b[2] for b in batches], 0.50), 1),
        "batch_p95_ms": round(1000 * percentile([b[2] for b in batches], 0.95), 1),
        "resends": len(resends),
        "resends_answered_duplicate": sum(1 for r in resends if r[2] == "duplicate"),
        "refused": sum(1 for r in rows if r[2] == "refused"),
        "lost": sum(1 for e in acked if stored.get(e, 0) == 0),
        "duplicated": sum(1 for n in stored.values() if n > 1),
        "server_errors": sum(1 for b in batches if b[1] >= 500),
        "seconds": round(wall, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    url = bench_database_url("acdbench")
    fresh_database(url)
    token, numbers = _setup(url)
    with gunicorn_serving(PORT, url, workers=args.workers, threads=args.threads):
        figures = {"load": load(token, numbers, args.seconds, args.senders)}
    figures["setup"] = {
        "gunicorn_workers": args.workers,
        "threads": args.threads,
        "senders": args.senders,
        "batch": BATCH,
        "resend_share": RESEND_SHARE,
        "operators": OPERATORS,
    }
    f = figures["load"]
    print(
        f"{'events/s':>9}{'new/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'resent':>8}{'dup ok':>8}"
        f"{'lost':>6}{'dup':>5}{'5xx':>5}"
    )
    print(
        f"{f['events_per_second']:>9}{f['new_events_per_second']:>8}{f['batch_p50_ms']:>8}"
        f"{f['batch_p95_ms']:>8}{f['resends']:>8}{f['resends_answered_duplicate']:>8}"
        f"{f['lost']:>6}{f['duplicated']:>5}{f['server_errors']:>5}"
    )
    goal = f["events_per_second"] >= 2000 and not f["lost"] and not f["duplicated"]
    print(f"goal >= 2,000 events/s, 0 lost, 0 duplicated: {'met' if goal else 'NOT met'}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
