"""The load benchmarks' shared harness: a fresh PostgreSQL database of their own, gunicorn
serving it with DEBUG off, JSON posts with a device token, latency percentiles and the
reconciliation of what was answered against what the database stored.

Used by bench/punch_load.py and bench/acd_load.py.
"""

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASE = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wfm")


def bench_database_url(suffix: str) -> str:
    """DATABASE_URL's database with `suffix` appended: the benchmark's own, never the app's."""
    base, name = BASE.rsplit("/", 1)
    return f"{base}/{name}_{suffix}"


def server_env(url: str) -> dict[str, str]:
    """The environment of a production-like server on `url` (DEBUG off, a fresh secret)."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "wfm.settings",
    }


def django_setup(url: str) -> None:
    """Point this process at `url`, set Django up and migrate (the setup runs in-process)."""
    os.environ.update(server_env(url))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def post_json(
    port: int, path: str, token: str, body: dict[str, Any], *, timeout: float = 30
) -> tuple[int, dict[str, Any], float]:
    """POST `body` with a device token; (status, payload, seconds). A replayed answer
    (Idempotent-Replayed) reads as status "duplicate", as the API's own resend answer does."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Device {token}"},
        method="POST",
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, payload = response.status, json.loads(response.read() or b"{}")
            if response.headers.get("Idempotent-Replayed") == "true":
                payload["status"] = "duplicate"
    except urllib.error.HTTPError as exc:
        status, payload = exc.code, {}
    return status, payload, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def stored_counts(model: Any, event_ids: Iterable[str]) -> dict[str, int]:
    """How many rows of `model` each event id has (ids with none are absent)."""
    from django.db.models import Count

    counts: dict[str, int] = {}
    ids = list(event_ids)
    for start in range(0, len(ids), 5000):
        rows = (
            model.objects.filter(event_id__in=ids[start : start + 5000])
            .values("event_id")
            .annotate(n=Count("id"))
        )
        counts.update({str(r["event_id"]): r["n"] for r in rows})
    return counts


@contextmanager
def gunicorn_serving(port: int, url: str, *, workers: int, threads: int) -> Iterator[None]:
    """gunicorn (gthread) on 127.0.0.1:`port` serving the database `url`, answering before
    the block runs and stopped after it."""
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "wfm.wsgi",
            "-b",
            f"127.0.0.1:{port}",
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
        env=server_env(url),
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/", timeout=1)
            except urllib.error.HTTPError:
                break  # 401/403: it answers
            except OSError:
                time.sleep(0.2)
        yield
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
