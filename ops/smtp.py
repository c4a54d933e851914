"""The local catch-all SMTP server of `make up`: accepts every mail notify sends and writes it
to var/mail/<n>.eml, so nothing leaves the machine.

    python -m ops.smtp serve [--port 8025] [--dir var/mail]
"""

import argparse
import os
import signal
import socket
import threading
from pathlib import Path

from ops.procs import REPO, ServiceProcess
from services.notify.mailbox import Mailbox, serve

DEFAULT_PORT = 8025  # notify's default TFT_NOTIFY_SMTP_PORT


class MailSink(ServiceProcess):
    """The catch-all as a child process of the local run, managed like the services."""

    def __init__(self, var: Path, port: int) -> None:
        super().__init__(
            "smtp",
            port,
            {"TFT_NOTIFY_SMTP_PORT": str(port), "TFT_MAIL_DIR": str(var / "mail")},
            var / "log" / "smtp.log",
            var / "run",
            cwd=REPO,
        )

    @property
    def marker(self) -> str:
        return "ops.smtp"

    def ready(self, timeout: float = 2.0) -> tuple[bool, str]:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as conn:
                greeting = conn.recv(64)
        except OSError as exc:
            return False, type(exc).__name__
        return greeting.startswith(b"220"), "smtp 220" if greeting.startswith(b"220") else "-"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m ops.smtp", description=__doc__)
    parser.add_argument("command", choices=["serve"])
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("TFT_NOTIFY_SMTP_PORT", DEFAULT_PORT))
    )
    parser.add_argument(
        "--dir", type=Path, default=Path(os.environ.get("TFT_MAIL_DIR", REPO / "var" / "mail"))
    )
    args = parser.parse_args()
    controller = serve(Mailbox(args.dir), args.port)
    print(f"catch-all SMTP on 127.0.0.1:{args.port}, mails in {args.dir}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    controller.stop()


if __name__ == "__main__":
    main()
