"""Faults (issue 23, item 14): the service keeps its promises while its parts fail.

    python bench/faults.py [--terminals 6] [--batches 24] [--punches 20] [--logins 200]

Starts its own PostgreSQL (initdb in a temporary folder, port 55432) and Redis (port
56379), so the machine's shared services are never touched, then gunicorn (DEBUG off, three
workers) and Celery workers on them, and runs four scenarios on loopback:

1. PostgreSQL restarted during a punch load: terminals send batches and re-send each until
   it is answered 200 (the same event ids). Every event answered is stored exactly once:
   0 lost, 0 duplicated; while the database is away the answer is 503 with Retry-After.
2. A Celery worker's process killed in the middle of a roster job, then that worker stopped:
   the job is run again by the second worker (or failed with a clear message), never left
   RUNNING.
3. Redis stopped: punches and reads keep working, a job made meanwhile is accepted and waits;
   it runs once Redis is back (celery beat sends the waiting jobs).
4. A 2 MB body, 200 concurrent logins and a slow client: no 5xx.

Every phase is bounded in time. Prints a table and ends with one JSON line of the counts;
exits 1 when any answer was a 5xx other than 503 with Retry-After, an event was lost or
duplicated, or a job was left running.
"""

import argparse
import contextlib
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
PG_PORT, REDIS_PORT, WEB_PORT = 55432, 56379, 58765
PASSWORD = "faults-" + uuid.uuid4().hex[:12]


@dataclass
class Answers:
    """The answers of one scenario."""

    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)  # no answer at all (connection)
    bad_5xx: int = 0  # 5xx other than a 503 with Retry-After
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, status: int, retry_after: str | None) -> None:
        with self.lock:
            self.statuses[status] += 1
            if status >= 500 and not (status == 503 and retry_after):
                self.bad_5xx += 1

    def failed(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] += 1


def call(
    method: str,
    path: str,
    *,
    answers: Answers,
    body: Any = None,
    raw: bytes | None = None,
    auth: str = "",
    timeout: float = 30,
) -> tuple[int, Any]:
    """One request; (status, JSON body or None); status 0 when there was no answer."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    headers = {"Content-Type": "application/json"}
    if auth:
        headers["Authorization"] = auth
    request = urllib.request.Request(
        f"http://127.0.0.1:{WEB_PORT}{path}", data=data, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, text, retry = response.status, response.read(), response.headers["Retry-After"]
    except urllib.error.HTTPError as exc:
        status, text, retry = exc.code, exc.read(), exc.headers["Retry-After"]
    except (OSError, urllib.error.URLError) as exc:
        answers.failed(type(exc).__name__)
        return 0, None
    answers.note(status, retry)
    try:
        return status, json.loads(text or b"null")
    except ValueError:
        return status, None


# --- Services of our own ------------------------------------------------------------------


class Services:
    """A private PostgreSQL and Redis, gunicorn and Celery processes, all stopped at exit."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        self.pg_bin = Path(bins[-1]) if bins else Path(shutil.which("pg_ctl") or "pg_ctl").parent
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/wfm_faults",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "faults-" + uuid.uuid4().hex,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SETTINGS_MODULE": "wfm.settings",
            "WFM_LOG_LEVEL": "ERROR",
        }
        self.env.pop("WFM_JOBS_IN_BACKGROUND", None)

    def _pg(self, *args: str) -> None:
        with (self.folder / "pg_ctl.log").open("ab") as log:
            subprocess.run(
                [*self.as_postgres, *args],
                check=True,
                cwd="/",
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=120,
            )

    def postgres_start(self) -> None:
        data, log = self.folder / "pg", self.folder / "pg.log"
        if not data.exists():
            data.mkdir()
            log.touch()
            if self.as_postgres:
                shutil.chown(data, "postgres")
                shutil.chown(log, "postgres")
            self._pg(
                str(self.pg_bin / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
            )
        options = f"-p {PG_PORT} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg(
            str(self.pg_bin / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-o",
            options,
            "-w",
            "start",
        )

    def postgres_restart(self) -> float:
        started = time.perf_counter()
        self._pg(
            str(self.pg_bin / "pg_ctl"),
            "-D",
            str(self.folder / "pg"),
            "-l",
            str(self.folder / "pg.log"),
            "-m",
            "fast",
            "-w",
            "restart",
        )
        return time.perf_counter() - started

    def postgres_stop(self) -> None:
        if (self.folder / "pg" / "postmaster.pid").exists():
            self._pg(
                str(self.pg_bin / "pg_ctl"),
                "-D",
                str(self.folder / "pg"),
                "-m",
                "immediate",
                "-w",
                "stop",
            )

    def redis_start(self) -> None:
        self.start(
            "redis",
            [
                "redis-server",
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
        )
        wait_for_port(REDIS_PORT)

    def start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        self.processes[name] = process
        return process

    def stop(self, name: str, sig: int = signal.SIGTERM, wait: float = 30) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.send_signal(sig)
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, timeout=600
        )

    def web_start(self) -> None:
        self.start(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "wfm.wsgi",
                "-b",
                f"127.0.0.1:{WEB_PORT}",
                "-w",
                "3",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
        )
        wait_for_port(WEB_PORT)

    def worker_start(self, name: str) -> subprocess.Popen[bytes]:
        return self.start(
            name,
            [
                str(BIN / "celery"),
                "-A",
                "wfm",
                "worker",
                "-c",
                "1",
                "-n",
                f"{name}@faults",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "warning",
            ],
        )

    def beat_start(self) -> None:
        self.start(
            "beat",
            [
                str(BIN / "celery"),
                "-A",
                "wfm",
                "beat",
                "-l",
                "warning",
                "-s",
                str(self.folder / "beat-schedule"),
            ],
        )

    def close(self) -> None:
        for name in list(self.processes):
            self.stop(name, signal.SIGTERM, wait=10)
        with contextlib.suppress(subprocess.SubprocessError):
            self.postgres_stop()


def wait_for_port(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


def children(pid: int) -> list[int]:
    """The process ids whose parent is `pid` (Linux /proc)."""
    found = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(Path(stat).parent.name))
    return found


# --- The data --------------------------------------------------------------------------------


@dataclass
class Seed:
    device_tokens: list[str]
    badges: list[str]
    manager_token: str
    manager_username: str
    team: str


def seed(terminals: int) -> Seed:
    """A site, a team of 40 badged operators who can be rostered, a manager, the terminals."""
    import django

    django.setup()
    from rest_framework.authtoken.models import Token

    from organisation.models import Employee
    from organisation.roles import Role
    from tests.factories import site_make, team_make, user_make
    from tests.factories.rosters import roster_setup
    from timeclock.services.devices import device_register

    site = site_make(name="Faults site")
    manager = user_make(role=Role.MANAGER, username="faults_manager")
    manager.set_password(PASSWORD)
    manager.save()
    team = team_make(site=site, name="Faults team", managers=[manager])
    roster_setup(team=team, people=[], agents=16, days=28, extra=80)
    badges = []
    for n, employee in enumerate(Employee.objects.filter(team=team).order_by("number")):
        Employee.objects.filter(pk=employee.pk).update(badge_id=f"F{n:04d}")
        badges.append(f"F{n:04d}")
    tokens = [
        device_register(site=site, name=f"T{n:02d}", is_kiosk=False, created_by=None)[1]
        for n in range(terminals)
    ]
    return Seed(
        tokens, badges, Token.objects.create(user=manager).key, manager.username, str(team.pk)
    )


def stored_counts(event_ids: set[str]) -> dict[str, int]:
    from django.db import connections
    from django.db.models import Count

    from timeclock.models import Punch

    connections.close_all()  # the database restarted under this process too
    ids, counts = list(event_ids), {}
    for start in range(0, len(ids), 2000):
        rows = (
            Punch.objects.filter(event_id__in=ids[start : start + 2000])
            .values("event_id")
            .annotate(n=Count("id"))
        )
        counts.update({str(r["event_id"]): r["n"] for r in rows})
    return counts


# --- 1. PostgreSQL restarted during a punch load -----------------------------------------------


def terminal(
    token: str,
    badges: list[str],
    batches: int,
    size: int,
    answers: Answers,
    acked: set[str],
    done: list[int],
    deadline: float,
) -> int:
    """Send `batches` batches, each again until it is answered 200; the retries made."""
    retries, seq = 0, 0
    for b in range(batches):
        punches = []
        for n in range(size):
            seq += 1
            punches.append(
                {
                    "event_id": str(uuid.uuid4()),
                    "device_seq": seq,
                    "badge": badges[(b * size + n) % len(badges)],
                    "kind": ("in", "out")[n % 2],
                    "occurred_at": (datetime.now(UTC) - timedelta(seconds=5)).isoformat(),
                }
            )
        while time.monotonic() < deadline:
            body = {"sent_at": datetime.now(UTC).isoformat(), "punches": punches}
            status, answer = call(
                "POST",
                "/api/v1/punches/batch",
                body=body,
                auth=f"Device {token}",
                answers=answers,
            )
            if status == 200 and answer:
                for result in answer["results"]:
                    if result["status"] in ("created", "duplicate"):
                        acked.add(result["event_id"])
                break
            retries += 1
            time.sleep(0.3)
        done[0] += 1
        time.sleep(0.05)
    return retries


def punches_during_restart(services: Services, data: Seed, args: argparse.Namespace) -> dict:
    answers, acked, done = Answers(), set[str](), [0]
    total = args.terminals * args.batches
    deadline = time.monotonic() + 240
    with ThreadPoolExecutor(args.terminals) as pool:
        futures = [
            pool.submit(
                terminal,
                token,
                data.badges,
                args.batches,
                args.punches,
                answers,
                acked,
                done,
                deadline,
            )
            for token in data.device_tokens
        ]
        while done[0] < total // 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        restart_seconds = services.postgres_restart()
        retries = sum(f.result() for f in futures)
    counts = stored_counts(acked)
    return {
        "batches": total,
        "punches_acked": len(acked),
        "lost": len(acked - set(counts)),
        "duplicated": sum(n - 1 for n in counts.values()),
        "retries": retries,
        "restart_seconds": round(restart_seconds, 1),
        "statuses": dict(answers.statuses),
        "no_answer": dict(answers.errors),
        "bad_5xx": answers.bad_5xx,
        "unfinished_batches": total - done[0],
    }


# --- 2. A worker killed in the middle of a roster job ------------------------------------------


def job_wait(
    job: str,
    data: Seed,
    answers: Answers,
    states: tuple[str, ...],
    seconds: float,
    poll: float = 0.5,
) -> Any:
    deadline = time.monotonic() + seconds
    found: Any = None
    while time.monotonic() < deadline:
        status, found = call(
            "GET", f"/api/v1/jobs/{job}", auth=f"Token {data.manager_token}", answers=answers
        )
        if status == 200 and found["status"] in states:
            return found
        time.sleep(poll)
    return found


def worker_killed(services: Services, data: Seed) -> dict:
    from tests.factories.rosters import next_monday

    answers = Answers()
    workers = {name: services.worker_start(name) for name in ("worker-a", "worker-b")}
    time.sleep(4)  # both connect to the broker
    body = {
        "team": data.team,
        "start": str(next_monday()),
        "days": 28,
        "time_limit_seconds": 60,
        "deterministic": True,
    }
    status, job = call(
        "POST", "/api/v1/rosters", body=body, auth=f"Token {data.manager_token}", answers=answers
    )
    if status != 202:
        return {"started": status, "bad_5xx": answers.bad_5xx, "stuck": False}
    running = job_wait(job["id"], data, answers, ("running",), 90, poll=0.1)
    busy_worker, busy_child = busiest({name: children(p.pid) for name, p in workers.items()})
    if busy_child:
        os.kill(busy_child, signal.SIGKILL)  # the process running the job dies (OOM, a crash)
    time.sleep(1)
    services.stop(busy_worker, signal.SIGTERM)  # and its worker goes away
    final = job_wait(job["id"], data, answers, ("succeeded", "failed", "cancelled"), 180)
    for name in workers:
        services.stop(name)
    state = (final or {}).get("status")
    return {
        "job_running_when_killed": bool(running and running["status"] == "running"),
        "killed": f"{busy_worker} pid {busy_child}",
        "final_status": state,
        "attempts": (final or {}).get("attempts"),
        "message": (final or {}).get("message"),
        "stuck": state not in ("succeeded", "failed", "cancelled"),
        "bad_5xx": answers.bad_5xx,
    }


def busiest(pool: dict[str, list[int]]) -> tuple[str, int]:
    """The worker whose pool process is using the CPU (running the job), and that process."""

    def cpu(pid: int) -> int:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0
        return int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks

    before = {pid: cpu(pid) for pids in pool.values() for pid in pids}
    time.sleep(0.5)
    used = [
        (cpu(pid) - ticks, name, pid)
        for name, pids in pool.items()
        for pid in pids
        for p, ticks in before.items()
        if p == pid
    ]
    if not used:
        return next(iter(pool)), 0
    _, name, pid = max(used)
    return name, pid


# --- 3. Redis stopped ----------------------------------------------------------------------


def redis_stopped(services: Services, data: Seed) -> dict:
    answers = Answers()
    services.worker_start("worker-c")
    services.beat_start()
    services.stop("redis", signal.SIGKILL)
    manager = f"Token {data.manager_token}"
    ok_punches = 0
    for n in range(10):
        punch = {
            "event_id": str(uuid.uuid4()),
            "device_seq": 10_000 + n,
            "badge": data.badges[n],
            "kind": "in",
            "occurred_at": datetime.now(UTC).isoformat(),
        }
        status, _ = call(
            "POST",
            "/api/v1/punches/batch",
            auth=f"Device {data.device_tokens[0]}",
            body={"sent_at": datetime.now(UTC).isoformat(), "punches": [punch]},
            answers=answers,
        )
        ok_punches += status == 200
    reads = [
        call("GET", path, auth=manager, answers=answers)[0]
        for path in ("/api/v1/me", "/api/v1/employees", "/api/v1/rosters", "/api/v1/sites")
    ]
    status, job = call(
        "POST", "/api/v1/reports/headcount", body={}, auth=manager, answers=answers, timeout=60
    )
    queued = (job or {}).get("status") if status == 202 else None
    services.redis_start()
    final = job_wait(job["id"], data, answers, ("succeeded", "failed"), 120) if queued else None
    services.stop("beat")
    services.stop("worker-c")
    state = (final or {}).get("status")
    return {
        "punches_ok": ok_punches,
        "punches_sent": 10,
        "reads_ok": sum(s == 200 for s in reads),
        "reads": len(reads),
        "job_answer": status,
        "job_final_status": state,
        "stuck": bool(queued) and state != "succeeded",
        "statuses": dict(answers.statuses),
        "bad_5xx": answers.bad_5xx,
    }


# --- 4. A big body, many logins, a slow client ---------------------------------------------------


def abuse(data: Seed, logins: int) -> dict:
    answers = Answers()
    big = (
        b'{"sent_at": "2026-01-01T00:00:00+00:00", "punches": ["'
        + b"x" * (2 * 1024 * 1024)
        + b'"]}'
    )
    big_status, _ = call(
        "POST",
        "/api/v1/punches/batch",
        raw=big,
        auth=f"Device {data.device_tokens[0]}",
        answers=answers,
    )
    credentials = {"username": data.manager_username, "password": PASSWORD}
    started = time.perf_counter()
    with ThreadPoolExecutor(logins) as pool:
        login_statuses = list(
            pool.map(
                lambda n: call(
                    "POST",
                    "/api/v1/auth/token",
                    body=credentials if n % 4 else {**credentials, "password": "wrong"},
                    answers=answers,
                    timeout=240,
                )[0],
                range(logins),
            )
        )
    login_seconds = time.perf_counter() - started
    slow = slow_client(answers)
    return {
        "big_body_status": big_status,
        "logins": logins,
        "login_statuses": dict(Counter(login_statuses)),
        "login_seconds": round(login_seconds, 1),
        "slow_client_status": slow["slow"],
        "others_during_slow_client": slow["others"],
        "bad_5xx": answers.bad_5xx,
        "no_answer": dict(answers.errors),
    }


def slow_client(answers: Answers) -> dict:
    """One client sends its body a byte every 0.2 s for 8 s; meanwhile others are served."""
    body = b'{"username": "nobody", "password": "x' + b"y" * 20 + b'"}'
    head = (
        f"POST /api/v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
        f"application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    result: dict[str, Any] = {}

    def crawl() -> None:
        with socket.create_connection(("127.0.0.1", WEB_PORT), timeout=90) as sock:
            sock.sendall(head.encode())
            for n in range(0, len(body), 1):
                sock.sendall(body[n : n + 1])
                time.sleep(8 / len(body))
            reply = sock.recv(200).decode(errors="replace")
        status = int(reply.split()[1]) if reply.startswith("HTTP/") else 0
        answers.note(status, None)
        result["slow"] = status

    thread = threading.Thread(target=crawl)
    thread.start()
    others = Counter(call("GET", "/api/v1/sites", answers=answers)[0] for _ in range(20))
    thread.join(timeout=120)
    return {"slow": result.get("slow", 0), "others": dict(others)}


# --- Run ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terminals", type=int, default=6)
    parser.add_argument("--batches", type=int, default=24)
    parser.add_argument("--punches", type=int, default=20, help="per batch")
    parser.add_argument("--logins", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the folder and its logs")
    args = parser.parse_args()
    if not shutil.which("redis-server") or not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        print("faults: needs PostgreSQL's server binaries and redis-server; skipped")
        print(json.dumps({"skipped": True}))
        return 0
    folder = Path(tempfile.mkdtemp(prefix="wfm-faults-"))
    os.chmod(folder, 0o777)  # the PostgreSQL socket, written by the postgres user
    services = Services(folder)
    os.environ.update(services.env)
    started = time.perf_counter()
    results: dict[str, Any] = {}
    try:
        services.postgres_start()
        services._pg(
            str(services.pg_bin / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(PG_PORT),
            "-U",
            "postgres",
            "wfm_faults",
        )
        services.redis_start()
        services.manage("migrate", "--noinput", "-v0")
        data = seed(args.terminals)
        services.web_start()
        results["postgres_restart"] = punches_during_restart(services, data, args)
        results["worker_killed"] = worker_killed(services, data)
        results["redis_stopped"] = redis_stopped(services, data)
        results["abuse"] = abuse(data, args.logins)
    finally:
        services.close()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    results["seconds"] = round(time.perf_counter() - started, 1)
    for name, figures in results.items():
        print(f"{name:18} {figures}")
    failures = [
        name
        for name, figures in results.items()
        if isinstance(figures, dict)
        and (
            figures.get("bad_5xx")
            or figures.get("lost")
            or figures.get("duplicated")
            or figures.get("stuck")
        )
    ]
    results["failures"] = failures
    print(json.dumps(results, default=str))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
