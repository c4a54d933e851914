"""`python -m services.gateway migrate|serve`: serve runs `app()`, with the edge middleware."""

import sys

from services.gateway.app import SPEC, app
from services.gateway.settings import GatewaySettings
from shared.service import main, serve

if sys.argv[1:] == ["serve"]:
    settings = GatewaySettings(service=SPEC.name)
    serve(app(settings), settings)
else:
    main(SPEC)  # migrate the gateway's store, and the usage message
