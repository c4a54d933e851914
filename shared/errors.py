"""Telling an outage of the environment from a fault of the input."""

from aiokafka.errors import KafkaError
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

# SQLSTATE of a row refused by an exclusion constraint (PostgreSQL).
EXCLUSION_VIOLATION = "23P01"


def is_transient(exc: BaseException) -> bool:
    """Errors of the environment, not of the message: wait and retry, never dead-letter."""
    if isinstance(exc, OperationalError | InterfaceError | ConnectionError | TimeoutError):
        return True
    if isinstance(exc, PoolTimeout):  # every connection stayed busy: nothing was written
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, KafkaError)


def violates_exclusion(exc: BaseException, constraint: str) -> bool:
    """True if PostgreSQL refused a write because of the exclusion constraint `constraint`."""
    if not isinstance(exc, IntegrityError):
        return False
    cause = exc.orig.__cause__ if exc.orig is not None else None  # asyncpg's own error
    return (
        getattr(exc.orig, "pgcode", None) == EXCLUSION_VIOLATION
        and getattr(cause, "constraint_name", None) == constraint
    )
