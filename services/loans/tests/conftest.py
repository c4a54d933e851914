# The gateway's recording upstream, for the tests of the loans routes of the gateway.
from services.gateway.tests.conftest import calls, echo  # noqa: F401
