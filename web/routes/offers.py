"""The backoffice changes an offer of the catalogue (its title, levels, place, group size,
assignment and technical theme); schools read the change at once."""

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from web.gateway import ApiProblem
from web.offer_forms import offer_changes, offer_form, offer_values
from web.pages import render, role, see_other, web
from web.routes.event_planning import sent_values
from web.sessions import Session
from web.views import Form, place_refusal, refusal

router = APIRouter(prefix="/backoffice/aanbod")
backoffice = role("backoffice")


def offer_page(
    request: Request, offer: dict[str, Any], form: Form, refused: str | None = None
) -> Response:
    return render(
        request,
        "backoffice/offer_form.html",
        title=f"{offer['title']} wijzigen",
        offer=offer,
        form=form,
        refused=refused,
    )


@router.get("/{offer_id}/wijzigen")
async def change_offer_form(
    request: Request, offer_id: str, session: Session = backoffice
) -> Response:
    found, version = await web(request).gateway.get_versioned(
        session.token, f"/offerings/{offer_id}"
    )
    return offer_page(request, found, Form(offer_values(found), version=version))


@router.post("/{offer_id}/wijzigen")
async def change_offer(request: Request, offer_id: str, session: Session = backoffice) -> Response:
    """The API's field errors land at their fields, with everything typed kept; someone
    else's change since the form was filled is refused (412), not overwritten."""
    gateway, sent = web(request).gateway, await request.form()
    found = await gateway.get(session.token, f"/offerings/{offer_id}")
    form = offer_form(sent_values(sent)).sent_from(sent)
    if not form.valid:
        return offer_page(request, found, form)
    changed = offer_changes(form, found)
    if changed:
        try:
            await gateway.patch(
                session.token, f"/offerings/{offer_id}", changed, if_match=form.version
            )
        except ApiProblem as problem:
            placed = place_refusal(form, problem)
            return offer_page(request, found, form, None if placed else refusal(problem))
    session.flashes.append("Het aanbod is gewijzigd." if changed else "Er was niets veranderd.")
    return see_other(f"/aanbod/{offer_id}")
