"""The public routes of /api/v1, one module per service behind the gateway.

Each module has `routes(gate) -> APIRouter`; `services.gateway.api` mounts them all.
"""
