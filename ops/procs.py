"""Child processes of the local run: pid files, readiness polling, graceful stops."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]


def pid_alive(pid: int | None, marker: str | None = None) -> bool:
    """True if `pid` runs and (when given) its command line contains `marker`.

    The marker guards against a stale pid file whose pid was reused by another program.
    """
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    proc = Path(f"/proc/{pid}")
    if not proc.exists():
        return True  # not Linux: trust kill(0)
    try:
        if _is_zombie(proc):
            return False
        cmdline = proc.joinpath("cmdline").read_bytes().replace(b"\0", b" ").decode()
    except (OSError, IndexError):
        return False
    # Empty right after exec (argv not yet mapped) or for kernel threads: cannot check.
    return marker is None or not cmdline or marker in cmdline


def _is_zombie(proc: Path) -> bool:
    """Exited but not reaped. A JVM's leader thread can be a zombie while its other threads
    still shut down (ports bound), so a zombie with live threads counts as running."""
    status = dict(
        line.split(":", 1)
        for line in proc.joinpath("status").read_text().splitlines()
        if ":" in line
    )
    return status.get("State", "").strip().startswith("Z") and int(status.get("Threads", "1")) <= 1


def read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


def live_pid(pid_file: Path, marker: str, popen: subprocess.Popen | None = None) -> int | None:
    """The pid from `pid_file` if that process still runs; our own child counts too."""
    if popen is not None and popen.poll() is None:
        return popen.pid
    pid = read_pid(pid_file)
    return pid if pid_alive(pid, marker) else None


def terminate(
    pid: int,
    marker: str | None,
    grace: float,
    popen: subprocess.Popen | None = None,
    group: bool = True,
) -> None:
    """SIGTERM (the process group when `group`), then SIGKILL after `grace` seconds."""
    _signal(pid, signal.SIGTERM, group)
    if _wait_gone(pid, marker, grace, popen):
        return
    _signal(pid, signal.SIGKILL, group)
    _wait_gone(pid, marker, 30, popen)


def kill_now(
    pid: int, marker: str | None, popen: subprocess.Popen | None = None, group: bool = True
) -> None:
    """SIGKILL without a graceful phase (crash simulation), then wait until it is gone."""
    _signal(pid, signal.SIGKILL, group)
    _wait_gone(pid, marker, 30, popen)  # a big JVM on a busy host can take seconds to exit


def _signal(pid: int, sig: int, group: bool) -> None:
    try:
        if group:
            os.killpg(pid, sig)  # pid == pgid: children are started with start_new_session
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _wait_gone(
    pid: int, marker: str | None, timeout: float, popen: subprocess.Popen | None
) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if popen is not None and popen.poll() is not None:
            return True  # reaped our own child
        if not pid_alive(pid, marker):
            return True
        time.sleep(0.1)
    return False


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no log at {path})"


class ServiceProcess:
    """One platform service, run as `python -m services.<name> serve` (or `module`, e.g. the
    web front end's `web`) in its own group."""

    def __init__(
        self,
        name: str,
        port: int,
        env: dict[str, str],
        log_path: Path,
        run_dir: Path,
        cwd: Path = REPO,
        module: str | None = None,
    ) -> None:
        self.name, self.port, self.env = name, port, env
        self.module = module or f"services.{name}"
        self.log_path, self.run_dir, self.cwd = log_path, run_dir, cwd
        self.pid_file = run_dir / f"{name}.pid"
        self._popen: subprocess.Popen | None = None

    @property
    def marker(self) -> str:
        return self.module

    @property
    def pid(self) -> int | None:
        return live_pid(self.pid_file, self.marker, self._popen)

    def is_running(self) -> bool:
        return self.pid is not None

    def command(self) -> list[str]:
        return [sys.executable, "-m", self.marker, "serve"]

    def start(self) -> bool:
        """Start unless already running; returns whether a process was started."""
        if self.is_running():
            return False
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}
        with self.log_path.open("ab") as log:
            self._popen = subprocess.Popen(
                self.command(),
                cwd=self.cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.pid_file.write_text(f"{self._popen.pid}\n")
        return True

    ready_path = "/readyz"

    def ready(self, timeout: float = 2.0) -> tuple[bool, str]:
        """One readiness probe: (ok, short description)."""
        try:
            r = httpx.get(f"http://127.0.0.1:{self.port}{self.ready_path}", timeout=timeout)
        except httpx.HTTPError as exc:
            return False, type(exc).__name__
        return r.status_code == 200, f"HTTP {r.status_code}"

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.is_running():
                raise RuntimeError(f"{self.name} exited; last log lines:\n{tail(self.log_path)}")
            if self.ready()[0]:
                return
            time.sleep(0.3)
        raise TimeoutError(f"{self.name} not ready after {timeout}s:\n{tail(self.log_path)}")

    def stop(self, grace: float = 10) -> None:
        pid = self.pid
        if pid is not None:
            terminate(pid, self.marker, grace, self._popen)
        self.pid_file.unlink(missing_ok=True)

    def kill(self) -> None:
        """SIGKILL, no graceful shutdown: for crash tests."""
        pid = self.pid
        if pid is not None:
            kill_now(pid, self.marker, self._popen)
        self.pid_file.unlink(missing_ok=True)

    def restart(self) -> None:
        self.stop()
        self.start()


def run_migrations(
    name: str,
    env: dict[str, str],
    cwd: Path = REPO,
    timeout: float = 300,
    module: str | None = None,
) -> None:
    """Run `python -m services.<name> migrate` (or `module`'s); raise with its output when
    it fails."""
    proc = subprocess.run(
        [sys.executable, "-m", module or f"services.{name}", "migrate"],
        cwd=cwd,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"migrations of {name} failed (exit {proc.returncode}):\n{proc.stdout}")
