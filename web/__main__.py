"""`python -m web migrate|serve`: migrate the sessions' store, or serve the web front end on
TFT_HTTP_HOST:TFT_HTTP_PORT with TFT_WEB_WORKERS processes."""

import sys

import uvicorn

from shared.store.migrations import upgrade
from web.settings import WebSettings

settings = WebSettings()
if sys.argv[1:] == ["migrate"]:
    upgrade("web", settings.resolved_database_url())
elif sys.argv[1:] == ["serve"]:
    # An import string: each worker process builds its own app; they share the sessions.
    uvicorn.run(
        "web.app:create_app",
        factory=True,
        workers=settings.web_workers,
        host=settings.http_host,
        port=settings.http_port,
        log_level="info",
        server_header=False,
        timeout_graceful_shutdown=10,
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies or None,
    )
else:
    raise SystemExit("usage: python -m web migrate|serve")
