"""The HTTP ceiling: a hello-world ASGI app served exactly as the services are (uvicorn with
`shared.service.server_config`: one worker, the same event loop and HTTP parser) and
answering with the same JSON encoder. `python -m bench.hello serve` on TFT_HTTP_PORT."""

import sys

from shared.http import json_body
from shared.service import serve
from shared.settings import ServiceSettings

HEADERS = [(b"content-type", b"application/json")]


async def app(scope, receive, send) -> None:
    if scope["type"] != "http":  # lifespan: nothing to start or stop
        while (message := await receive())["type"] != "lifespan.shutdown":
            await send({"type": f"{message['type']}.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    body = json_body({"hello": "world"})
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [*HEADERS, (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


if __name__ == "__main__" and sys.argv[1:] == ["serve"]:
    serve(app, ServiceSettings(service="hello"))
