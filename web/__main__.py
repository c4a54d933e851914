"""`python -m web serve`: the web front end on TFT_HTTP_HOST:TFT_HTTP_PORT."""

import sys

import uvicorn

from web.app import create_app
from web.settings import WebSettings

if sys.argv[1:] != ["serve"]:
    raise SystemExit("usage: python -m web serve")
settings = WebSettings()
uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port,
            log_level="info", server_header=False, timeout_graceful_shutdown=10,
            proxy_headers=bool(settings.trusted_proxies),
            forwarded_allow_ips=settings.trusted_proxies or None)
