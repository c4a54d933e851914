"""A throw-away PostgreSQL cluster for tests and local runs (trust auth, 127.0.0.1 only)."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from ops.platform import SERVICES
from shared.store.db import PoolSettings

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _is_root() -> bool:
    return os.geteuid() == 0


def find_bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb (Debian layout)."""
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if not found:
        return None
    return Path(max(found, key=lambda p: int(Path(p).parts[-3]))).parent


def max_connections(pool_size: int) -> int:
    """Room for two platforms at once (the tests' shared one and one a test starts of its
    own), every store's process twice (replicas) with its pool full, the bench's store
    baseline (50 connections) and the tests' own engines."""
    return 2 * len(SERVICES) * 2 * pool_size + 150


class PostgresCluster:
    """One cluster in `data_dir` (its PGDATA); the socket lives in `data_dir/sockets`.

    As root the server runs as the `postgres` user (PostgreSQL refuses root), so every
    parent of `data_dir` must be traversable by that user: prefer a dir under /tmp or var/.
    """

    def __init__(self, data_dir: Path, port: int = 5432) -> None:
        self.data_dir, self.port = Path(data_dir).absolute(), port
        self.socket_dir = self.data_dir / "sockets"
        self.log_path = self.data_dir / "postgres.log"
        self.bin_dir: Path | None = find_bin_dir()

    # -- helpers -------------------------------------------------------------------------
    def _bin(self, tool: str) -> str:
        return str(self.ensure_installed() / tool)

    def _as_owner(self, args: list[str], check: bool = True) -> subprocess.CompletedProcess:
        cmd = ["runuser", "-u", "postgres", "--", *args] if _is_root() else args
        proc = subprocess.run(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if check and proc.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed (exit {proc.returncode}):\n{proc.stdout}")
        return proc

    def _psql(self, sql: str, dbname: str = "postgres") -> str:
        proc = subprocess.run(
            [
                self._bin("psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                dbname,
                "-v",
                "ON_ERROR_STOP=1",
                "-tAc",
                sql,
            ],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"psql failed: {sql}\n{proc.stderr}")
        return proc.stdout.strip()

    @staticmethod
    def _check_name(name: str) -> str:
        if not _NAME.match(name):
            raise ValueError(f"invalid database name {name!r}")
        return name

    # -- lifecycle -----------------------------------------------------------------------
    def ensure_installed(self) -> Path:
        if self.bin_dir is None:
            if not _is_root() or shutil.which("apt-get") is None:
                raise RuntimeError("PostgreSQL not found: install it (apt-get install postgresql)")
            print("postgres: installing PostgreSQL with apt-get ...", flush=True)
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
            subprocess.run(["apt-get", "install", "-y", "-q", "postgresql"], check=True, env=env)
            self.bin_dir = find_bin_dir()
            if self.bin_dir is None:
                raise RuntimeError("apt-get installed postgresql but initdb was not found")
        return self.bin_dir

    def is_initialized(self) -> bool:
        return (self.data_dir / "PG_VERSION").exists()

    def init(self) -> bool:
        """initdb once (returns whether it ran) and write the local-only settings."""
        if self.is_initialized():
            return False
        self.ensure_installed()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if _is_root():
            shutil.chown(self.data_dir, "postgres", "postgres")
            if self._as_owner(["test", "-w", str(self.data_dir)], check=False).returncode:
                raise RuntimeError(
                    f"user postgres cannot reach {self.data_dir}: every parent "
                    "dir needs o+x (tmp_path-style 0700 dirs do not work)"
                )
        self._as_owner(
            [
                self._bin("initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
            ]
        )
        self._as_owner(["mkdir", "-p", str(self.socket_dir)])
        self._append_settings()
        return True

    def _append_settings(self) -> None:
        conf = (
            f"\n# written by ops/postgres.py\nport = {self.port}\n"
            "listen_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.socket_dir}'\n"
            f"max_connections = {max_connections(PoolSettings().pool_size)}\n"
            "shared_buffers = 256MB\n"
        )
        hba = "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        with (self.data_dir / "postgresql.conf").open("a") as f:
            f.write(conf)
        (self.data_dir / "pg_hba.conf").write_text(hba)  # root writes; owner stays postgres

    def is_running(self) -> bool:
        proc = self._as_owner(
            [self._bin("pg_ctl"), "status", "-D", str(self.data_dir)], check=False
        )
        return proc.returncode == 0

    def start(self) -> bool:
        """Start unless running; the port in postgresql.conf is overridden by self.port."""
        self.init()
        if self.is_running():
            return False
        self._as_owner(
            [
                self._bin("pg_ctl"),
                "start",
                "-w",
                "-t",
                "60",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_path),
                "-o",
                f"-p {self.port}",
            ]
        )
        return True

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            proc = subprocess.run(
                [self._bin("pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)],
                stdin=subprocess.DEVNULL,
            )
            if proc.returncode == 0:
                return
            time.sleep(0.2)
        raise TimeoutError(f"postgres on port {self.port} not ready after {timeout}s")

    def stop(self) -> None:
        if self.is_initialized() and self.is_running():
            self._as_owner(
                [self._bin("pg_ctl"), "stop", "-w", "-m", "fast", "-D", str(self.data_dir)]
            )

    # -- databases -----------------------------------------------------------------------
    @property
    def pid(self) -> int | None:
        """The postmaster's, while it runs."""
        try:
            return int((self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0])
        except (FileNotFoundError, PermissionError, ValueError):
            return None

    def create_database(self, name: str) -> bool:
        """Create `name` unless it exists; returns whether it was created."""
        name = self._check_name(name)
        if self._psql(f"select 1 from pg_database where datname = '{name}'"):
            return False
        self._psql(f'create database "{name}"')
        return True

    def drop_database(self, name: str) -> None:
        name = self._check_name(name)
        self._psql(f'drop database if exists "{name}" with (force)')

    def url(self, dbname: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{dbname}"
