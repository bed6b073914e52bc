"""Who the visitor is to a report: its account holder, a proven secret holder, or the public.

An accountless reporter proves a report once with its secret; the session then remembers the
report (never the secret) so the private page and its forms work until the session ends.
"""

from __future__ import annotations

from lapor.accounts.actors import Actor
from lapor.accounts.models import Role
from lapor.complaints.models import Report
from lapor.complaints.selectors import report_get_for_actor
from lapor.core.errors import NotFound

PROVEN_KEY = "lapor_proven_reports"
SUBMITTED_KEY = "lapor_submitted"
MAX_PROVEN = 20


def remember_proof(request, report: Report) -> None:
    proven = dict(request.session.get(PROVEN_KEY, {}))
    proven.pop(report.tracking_id, None)
    proven[report.tracking_id] = report.pk
    # Keep the most recent ones only; a shared computer should not collect dozens.
    request.session[PROVEN_KEY] = dict(list(proven.items())[-MAX_PROVEN:])


def is_citizen(user) -> bool:
    return user.is_authenticated and user.role == Role.REPORTER


def reporter_actors(request, tracking_id: str | None = None) -> list[Actor]:
    """Every way this visitor acts as a reporter: the account, then the proven reports."""
    actors = []
    if is_citizen(request.user):
        actors.append(Actor.of(request.user))
    proven = request.session.get(PROVEN_KEY, {})
    if tracking_id is not None:
        if tracking_id in proven:
            actors.append(Actor.reporter_with_secret(proven[tracking_id]))
    else:
        actors.extend(Actor.reporter_with_secret(pk) for pk in proven.values())
    return actors


def private_report(request, tracking_id: str) -> tuple[Report, Actor]:
    """The report as its reporter sees it, with the actor to act as; NotFound otherwise."""
    for actor in reporter_actors(request, tracking_id):
        try:
            return report_get_for_actor(actor, tracking_id=tracking_id), actor
        except NotFound:
            continue
    raise NotFound("")


def viewer_actors(request) -> list:
    """Everyone this visitor may act as when reading an attachment."""
    actors = reporter_actors(request)
    if request.user.is_authenticated and not is_citizen(request.user):
        actors.append(Actor.of(request.user))
    return actors
