"""The contact directory: which address reaches the person behind a recipient organisation.

Demo addresses only (`coordinator@<school>.example`, `contact@<company>.example`, the
region's own desks at tisfortech.example): no personal data lives in the repository. A
recipient is an organisation id, as the gateway puts it on a caller (the school coordinator's
organisation is the school's id, a company contact's the company's id).
"""

from shared.domain import BACKOFFICE, FINANCE
from shared.seed.partners import COMPANIES_BY_ID

DESKS = {
    BACKOFFICE: "backoffice@tisfortech.example",
    FINANCE: "finance@tisfortech.example",
}
SENDER = "T is for Tech <noreply@tisfortech.example>"


def address_of(recipient: str) -> str:
    """The e-mail address of a recipient; any other organisation is a school."""
    if recipient in DESKS:
        return DESKS[recipient]
    if recipient in COMPANIES_BY_ID:
        return f"contact@{recipient}.example"
    return f"coordinator@{recipient}.example"
