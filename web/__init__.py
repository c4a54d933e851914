"""The web front end: server-rendered pages over the gateway's /api/v1 (a backend for the
browser, which only ever holds a session cookie)."""
