"""`python -m services.gateway migrate|serve`: serve runs `app()`, with the edge middleware."""

import sys

import uvicorn

from services.gateway.app import SPEC, app
from services.gateway.settings import GatewaySettings
from shared.http import SERVER_KEEP_ALIVE_SECONDS
from shared.service import main

if sys.argv[1:] == ["serve"]:
    settings = GatewaySettings(service=SPEC.name)
    uvicorn.run(app(settings), host=settings.http_host, port=settings.http_port,
                log_config=None, access_log=False, server_header=False,
                timeout_graceful_shutdown=10, timeout_keep_alive=SERVER_KEEP_ALIVE_SECONDS)
else:
    main(SPEC)  # migrate (nothing to migrate) and the usage message
