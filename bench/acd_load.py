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
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.databases import fresh_database  # noqa: E402

PORT = 8766
BASE = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wfm")
OPERATORS = 500
BATCH = 500
RESEND_SHARE = 0.10
STATES = ["available", "on_call", "after_call_work", "on_call", "not_ready", "break"]


def _database_url() -> str:
    base, name = BASE.rsplit("/", 1)
    return f"{base}/{name}_acdbench"


def _env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "wfm.settings",
    }


def _setup(url: str) -> tuple[str, list[str]]:
    """Migrate and create the site, operators and the ACD device (in this process)."""
    os.environ.update(_env(url))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
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
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}/api/v1/acd/agent-states",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Device {token}"},
        method="POST",
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, payload = response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        status, payload = exc.code, {}
    return status, payload, time.perf_counter() - started


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


def _stored(event_ids: set[str]) -> dict[str, int]:
    from django.db.models import Count

    from timeclock.models import AgentState

    counts: dict[str, int] = {}
    ids = list(event_ids)
    for start in range(0, len(ids), 5000):
        rows = (
            AgentState.objects.filter(event_id__in=ids[start : start + 5000])
            .values("event_id")
            .annotate(n=Count("id"))
        )
        counts.update({str(r["event_id"]): r["n"] for r in rows})
    return counts


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


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
        "batch_p50_ms": round(1000 * _percentile([b[2] for b in batches], 0.50), 1),
        "batch_p95_ms": round(1000 * _percentile([b[2] for b in batches], 0.95), 1),
        "resends": len(resends),
        "resends_answered_duplicate": sum(1 for r in resends if r[2] == "duplicate"),
        "refused": sum(1 for r in rows if r[2] == "refused"),
        "lost": sum(1 for e in acked if stored.get(e, 0) == 0),
        "duplicated": sum(1 for n in stored.values() if n > 1),
        "server_errors": sum(1 for b in batches if b[1] >= 500),
        "seconds": round(wall, 1),
    }


def _serve(url: str, workers: int, threads: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "wfm.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=_env(url),
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/v1/", timeout=1)
        except urllib.error.HTTPError:
            break  # 401/403: it answers
        except OSError:
            time.sleep(0.2)
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    url = _database_url()
    fresh_database(url)
    token, numbers = _setup(url)
    server = _serve(url, args.workers, args.threads)
    try:
        figures = {"load": load(token, numbers, args.seconds, args.senders)}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
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
