"""Where the time goes: CPU per request of each platform process, and py-spy profiles.

On a machine others share, throughput follows their load; the CPU a process spends per
request does not, much. `profiled(label)` measures it for every platform process while a
load runs (from /proc, always). `python -m bench --profile DIR` also records each one
with py-spy into DIR/<load>.<process>.txt (collapsed stacks), and `python -m bench.profile DIR`
prints each file's top costs: the functions most samples were in (self) and under
(inclusive). py-spy samples from outside (--nonblocking), so the service runs as measured.
"""

import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_pids: dict[str, int] = {}
_infra: dict[str, int] = {}
_folder: Path | None = None
TICKS = os.sysconf("SC_CLK_TCK")


def configure(pids: dict[str, int], folder: Path | None = None) -> None:
    """Measure the processes `pids` (name -> pid) from now on; record them into `folder`."""
    global _folder
    _pids.clear()
    _pids.update(pids)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    _folder = folder


def measure_infra(pids: dict[str, int | None]) -> None:
    """Also measure these processes (the broker, the store's postmaster) with all their
    children, without py-spy: the share of a request's CPU spent in Kafka and PostgreSQL."""
    _infra.update({name: pid for name, pid in pids.items() if pid is not None})


def restarted(name: str, pid: int) -> None:
    """Measure `name` by its new `pid` from now on (a benchmark restarted it)."""
    _pids[name] = pid


def cpu_seconds(pid: int) -> float:
    """User and system CPU the process has used so far."""
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / TICKS


def tree_cpu_seconds(pid: int) -> float:
    """CPU the process and all its children (live, or ended and reaped) have used so far."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stats[int(entry.name)] = _stat(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                continue  # ended meanwhile
    return _tree(pid, stats)


def _tree(pid: int, stats: dict[int, list[str]]) -> float:
    own = stats[pid]
    used = sum(int(f) for f in own[11:15])  # utime, stime, and of the reaped children
    return used / TICKS + sum(
        _tree(child, stats) for child, fields in stats.items() if int(fields[1]) == pid
    )


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()


def _all_cpu_seconds() -> dict[str, float]:
    return {name: cpu_seconds(pid) for name, pid in _pids.items()} | {
        name: tree_cpu_seconds(pid) for name, pid in _infra.items()
    }


@contextmanager
def profiled(label: str) -> Iterator[dict[str, float]]:
    """Yields a dict that holds, after the block, each process's CPU seconds meanwhile."""
    used: dict[str, float] = {}
    before = _all_cpu_seconds()
    recorders = _record(label) if _folder is not None else []
    try:
        yield used
    finally:
        for recorder in recorders:
            recorder.send_signal(signal.SIGINT)  # py-spy writes its file and exits
        for recorder in recorders:
            recorder.wait(timeout=120)
        used.update({name: now - before[name] for name, now in _all_cpu_seconds().items()})


def cpu_ms_per_request(
    label: str, used: dict[str, float], requests: int, processes: tuple[str, ...]
) -> dict[str, float]:
    return {
        f"{label}_cpu_ms_{name}": round(1000 * used[name] / max(requests, 1), 2)
        for name in processes
        if name in used
    }


def _record(label: str) -> list[subprocess.Popen]:
    assert _folder is not None
    spy = Path(sys.executable).with_name("py-spy")
    return [
        subprocess.Popen(
            [
                str(spy),
                "record",
                "--pid",
                str(pid),
                "--rate",
                "100",
                "--format",
                "raw",
                "--nonblocking",
                "-o",
                str(_folder / f"{label}.{name}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, pid in _pids.items()
    ]


def top(path: Path, count: int = 15) -> tuple[int, list[tuple[str, int]], list[tuple[str, int]]]:
    """Samples, and the `count` frames with most samples by self and by inclusive time."""
    own: Counter[str] = Counter()
    under: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
        n = int(samples)
        frames = stack.split(";")
        total += n
        own[frames[-1]] += n
        for frame in set(frames):
            under[frame] += n
    return total, own.most_common(count), under.most_common(count)


def by_package(path: Path) -> list[tuple[str, int]]:
    """Samples by the package of the frame they were in (self time): where a request's CPU
    goes by layer (driver, SQLAlchemy, FastAPI, pydantic, ours, ...)."""
    packages: Counter[str] = Counter()
    for line in path.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
        file = stack.split(";")[-1].rpartition("(")[2].rpartition(":")[0]
        packages[file.split("/")[0] if "/" in file else "stdlib" if file else "native"] += int(
            samples
        )
    return packages.most_common()


def main(folder: Path) -> None:
    for path in sorted(folder.glob("*.txt")):
        total, own, under = top(path)
        print(f"\n== {path.stem}: {total} samples")
        print(
            "  " + ", ".join(f"{name} {100 * n / total:.0f}%" for name, n in by_package(path)[:10])
        )
        for title, rows in (("self", own), ("inclusive", under)):
            print(f"  -- {title}")
            for frame, n in rows:
                print(f"  {100 * n / total:5.1f}%  {frame}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
