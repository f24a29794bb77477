"""A real `celery worker` subprocess for service-backed tests (digests here,
the fault suite in tests/faults/)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def current_database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    """`celery worker` in its own process group, on the test database unless
    ``env`` says otherwise; ``beat=True`` embeds the beat scheduler."""

    count = 0

    def __init__(self, smtp_url: str, log_dir: Path, *, env: dict[str, str] | None = None, beat: bool = False):
        Worker.count += 1
        self.log = log_dir / f"worker-{Worker.count}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.subscriptions.worker_settings",
            "DATABASE_URL": env["DATABASE_URL"] if env and "DATABASE_URL" in env else current_database_url(),
            "EMAIL_URL": smtp_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        extra = ["--beat", f"--schedule={log_dir / f'beat-{Worker.count}'}"] if beat else []
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "cooperation_hub",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"digests{Worker.count}@%h",
                *extra,
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while "ready." not in self.log.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"worker did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL: no clean-up, no ack — what a crashed machine looks like."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
