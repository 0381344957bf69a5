"""A real Celery worker in a subprocess, on a Redis broker, against the test database."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import redis
from django.db import connection

from wfm.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_broker_url() -> str | None:
    """The Redis broker to test with, or None when none answers."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        url = DEFAULT_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return None
    return url


def _test_database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class WorkerLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def text(self) -> str:
        return self.path.read_text()


@contextmanager
def celery_worker(broker_url: str) -> Iterator[WorkerLog]:
    """Start `celery worker` on a queue of its own; route this process's tasks to it."""
    queue = f"wfm-test-{uuid.uuid4().hex[:12]}"
    env = os.environ | {
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": broker_url,
        "DJANGO_DEBUG": "1",
    }
    log = open(ROOT / "var" / f"{queue}.log", "w+")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "wfm", "worker", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    saved = {
        key: celery_app.conf[key]
        for key in ("task_always_eager", "broker_url", "task_default_queue")
    }
    celery_app.conf.update(task_always_eager=False, broker_url=broker_url, task_default_queue=queue)
    try:
        yield WorkerLog(Path(log.name))
    finally:
        celery_app.conf.update(saved)
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.seek(0)
        worker_log = log.read()
        log.close()
        os.unlink(log.name)
        if process.returncode not in (0, -15) and "Traceback" in worker_log:
            sys.stderr.write(worker_log)


def wait_for(predicate: Callable[[], bool], *, timeout_seconds: float) -> bool:
    """Poll `predicate` until it holds or the deadline passes (a condition, not a timing)."""
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()
