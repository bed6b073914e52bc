"""The report lifecycle in one table: which action moves which status where, for whom.

`TRANSITIONS[action].allowed[role]` is the set of statuses from which that role may take the
action; `target` is the status after it (None: unchanged, or computed by the service, as for
resuming a held report). Scope (which agency or unit) is checked separately by `access`.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from lapor.accounts.actors import SYSTEM_ROLE
from lapor.accounts.models import Role

from .models import Status as S


class Action(StrEnum):
    SUBMIT = "submit"
    EDIT = "edit"
    DISPOSE = "dispose"
    HOLD = "hold"
    RESUME = "resume"
    ARCHIVE = "archive"
    FORWARD = "forward"
    RETURN = "return"
    FOLLOW_UP = "follow_up"
    REPLY = "reply"
    CLOSE = "close"
    CLOSE_BY_SYSTEM = "close_by_system"
    RATE = "rate"
    APPEAL = "appeal"
    ATTACH = "attach"
    NOTE = "note"
    INTERIM = "interim"
    TRANSFER = "transfer"
    FLAG = "flag"
    MERGE = "merge"
    PROPOSE = "propose"
    REVIEW = "review"
    ESCALATE = "escalate"
    ARCHIVE_BY_SYSTEM = "archive_by_system"
    IMPORT = "import"
    RED_FLAG = "red_flag"


ACTION_LABELS = {
    Action.SUBMIT: _("kirim laporan"),
    Action.EDIT: _("sunting laporan"),
    Action.DISPOSE: _("disposisi"),
    Action.HOLD: _("tunda"),
    Action.RESUME: _("lanjutkan"),
    Action.ARCHIVE: _("arsipkan"),
    Action.FORWARD: _("teruskan ke unit"),
    Action.RETURN: _("kembalikan (bukan wewenang)"),
    Action.FOLLOW_UP: _("tindak lanjut"),
    Action.REPLY: _("tanggapi"),
    Action.CLOSE: _("tutup laporan"),
    Action.CLOSE_BY_SYSTEM: _("tutup otomatis"),
    Action.RATE: _("beri penilaian"),
    Action.APPEAL: _("ajukan banding"),
    Action.ATTACH: _("tambah lampiran"),
    Action.NOTE: _("catatan internal"),
    Action.INTERIM: _("jawaban sementara"),
    Action.TRANSFER: _("alihkan ke instansi lain"),
    Action.FLAG: _("teruskan ke inspektorat"),
    Action.MERGE: _("gabungkan laporan ganda"),
    Action.PROPOSE: _("ajukan jawaban untuk ditinjau"),
    Action.REVIEW: _("tinjau jawaban unit"),
    Action.ESCALATE: _("eskalasi keterlambatan"),
    Action.ARCHIVE_BY_SYSTEM: _("arsipkan otomatis"),
    Action.IMPORT: _("impor status dari sistem lain"),
    Action.RED_FLAG: _("tandai bahaya otomatis"),
}


@dataclass(frozen=True)
class Rule:
    event_type: str
    allowed: dict[str, frozenset[str]]
    target: str | None
    # Whether the event appears on the citizen's timeline.
    public: bool = True

    @property
    def sources(self) -> frozenset[str]:
        return frozenset().union(*self.allowed.values())


def _s(*statuses: str) -> frozenset[str]:
    return frozenset(statuses)


HANDLING = _s(S.DISPOSED, S.FORWARDED, S.REPORTER_REPLIED, S.APPEALED)
OPEN = _s(S.RECEIVED, S.ON_HOLD, S.RETURNED, S.DISPOSED, S.FORWARDED, S.FOLLOWED_UP, S.REPORTER_REPLIED, S.APPEALED)
AGENCY_STAGE = _s(S.DISPOSED, S.FORWARDED, S.FOLLOWED_UP, S.REPORTER_REPLIED, S.APPEALED)

TRANSITIONS: dict[Action, Rule] = {
    Action.EDIT: Rule(
        "report.edited",
        {Role.VERIFIER: OPEN, Role.AGENCY_ADMIN: AGENCY_STAGE},
        target=None,
        public=False,
    ),
    # The system disposes only new reports, and only in categories an admin set a routing
    # confidence threshold for (lapor.routing.suggestions.auto_dispose; off by default).
    Action.DISPOSE: Rule(
        "report.disposed",
        {Role.VERIFIER: _s(S.RECEIVED, S.RETURNED), SYSTEM_ROLE: _s(S.RECEIVED)},
        target=S.DISPOSED,
    ),
    Action.HOLD: Rule(
        "report.held",
        {
            Role.VERIFIER: _s(S.RECEIVED, S.RETURNED),
            Role.AGENCY_ADMIN: _s(S.DISPOSED, S.FORWARDED),
            Role.UNIT_OFFICER: _s(S.FORWARDED),
        },
        target=S.ON_HOLD,
    ),
    Action.RESUME: Rule(
        "report.resumed",
        {
            Role.REPORTER: _s(S.ON_HOLD),
            Role.VERIFIER: _s(S.ON_HOLD),
            Role.AGENCY_ADMIN: _s(S.ON_HOLD),
            Role.UNIT_OFFICER: _s(S.ON_HOLD),
        },
        target=None,  # back to the status it was held from
    ),
    Action.ARCHIVE: Rule(
        "report.archived",
        {
            Role.VERIFIER: _s(S.RECEIVED, S.ON_HOLD, S.RETURNED),
            Role.AGENCY_ADMIN: _s(S.DISPOSED, S.ON_HOLD),
        },
        target=S.ARCHIVED,
    ),
    Action.FORWARD: Rule(
        "report.forwarded",
        {Role.AGENCY_ADMIN: _s(S.DISPOSED, S.FORWARDED)},
        target=S.FORWARDED,
    ),
    Action.RETURN: Rule(
        "report.returned",
        {Role.AGENCY_ADMIN: _s(S.DISPOSED, S.FORWARDED)},
        target=S.RETURNED,
    ),
    Action.FOLLOW_UP: Rule(
        "report.followed_up",
        {
            Role.AGENCY_ADMIN: _s(S.DISPOSED, S.FORWARDED, S.REPORTER_REPLIED, S.APPEALED),
            Role.UNIT_OFFICER: _s(S.FORWARDED, S.REPORTER_REPLIED),
        },
        target=S.FOLLOWED_UP,
    ),
    Action.REPLY: Rule(
        "report.reporter_replied",
        {Role.REPORTER: _s(S.FOLLOWED_UP)},
        target=S.REPORTER_REPLIED,
    ),
    Action.CLOSE: Rule(
        "report.closed",
        {
            Role.AGENCY_ADMIN: _s(S.FOLLOWED_UP, S.REPORTER_REPLIED, S.APPEALED),
            Role.VERIFIER: _s(S.FOLLOWED_UP, S.REPORTER_REPLIED, S.APPEALED),
        },
        target=S.COMPLETED,
    ),
    Action.CLOSE_BY_SYSTEM: Rule(
        "report.closed_by_system",
        {SYSTEM_ROLE: _s(S.FOLLOWED_UP)},
        target=S.COMPLETED,
    ),
    Action.RATE: Rule(
        "report.rated",
        {Role.REPORTER: _s(S.FOLLOWED_UP, S.COMPLETED)},
        target=None,
    ),
    Action.APPEAL: Rule(
        "report.appealed",
        {Role.REPORTER: _s(S.FOLLOWED_UP, S.COMPLETED)},
        target=S.APPEALED,
    ),
    Action.ATTACH: Rule(
        "report.attachment_added",
        {
            Role.REPORTER: OPEN,
            Role.VERIFIER: OPEN,
            Role.AGENCY_ADMIN: AGENCY_STAGE,
            Role.UNIT_OFFICER: _s(S.FORWARDED, S.FOLLOWED_UP, S.REPORTER_REPLIED),
        },
        target=None,
    ),
    # Staff-only remarks on any report in scope, closed ones included.
    Action.NOTE: Rule(
        "report.note_added",
        {
            Role.VERIFIER: OPEN | _s(S.COMPLETED, S.ARCHIVED),
            Role.AGENCY_ADMIN: AGENCY_STAGE | _s(S.COMPLETED),
            Role.UNIT_OFFICER: _s(S.FORWARDED, S.FOLLOWED_UP, S.REPORTER_REPLIED),
        },
        target=None,
        public=False,
    ),
    # "We need longer": an answer now and a new expected completion date (CPGRAMS' interim reply).
    Action.INTERIM: Rule(
        "report.interim_answer",
        {Role.AGENCY_ADMIN: HANDLING, Role.UNIT_OFFICER: _s(S.FORWARDED, S.REPORTER_REPLIED)},
        target=None,
    ),
    # Not ours, and we know whose: straight to that agency, counted as a transfer. The national
    # verifier may do the same to intervene when an agency sits on a report.
    Action.TRANSFER: Rule(
        "report.transferred",
        {Role.AGENCY_ADMIN: _s(S.DISPOSED, S.FORWARDED), Role.VERIFIER: _s(S.DISPOSED, S.FORWARDED)},
        target=S.DISPOSED,
    ),
    # A suspected violation (extortion, corruption): the inspectorate's queue.
    Action.FLAG: Rule(
        "report.flagged",
        {Role.VERIFIER: OPEN | _s(S.COMPLETED), Role.AGENCY_ADMIN: AGENCY_STAGE | _s(S.COMPLETED)},
        target=None,
        public=False,
    ),
    # A repeat of an open case: archived as a duplicate, its reporter follows the main case.
    Action.MERGE: Rule(
        "report.merged",
        {Role.VERIFIER: _s(S.RECEIVED, S.ON_HOLD, S.RETURNED)},
        target=S.ARCHIVED,
    ),
    # A unit's draft answer, for agencies that review answers before they are published.
    Action.PROPOSE: Rule(
        "report.answer_proposed",
        {Role.UNIT_OFFICER: _s(S.FORWARDED, S.REPORTER_REPLIED)},
        target=None,
        public=False,
    ),
    # The agency admin sends a draft back (approving publishes it through FOLLOW_UP).
    Action.REVIEW: Rule(
        "report.answer_returned",
        {Role.AGENCY_ADMIN: _s(S.FORWARDED, S.REPORTER_REPLIED)},
        target=None,
        public=False,
    ),
    # Late work goes up a level (the sweep): agency admin, then the coordinator.
    Action.ESCALATE: Rule(
        "report.escalated",
        {SYSTEM_ROLE: _s(S.RECEIVED, S.RETURNED, S.DISPOSED, S.FORWARDED, S.REPORTER_REPLIED, S.APPEALED)},
        target=None,
        public=False,
    ),
    # A held report the reporter never completed, after the configured period.
    Action.ARCHIVE_BY_SYSTEM: Rule(
        "report.archived_by_system",
        {SYSTEM_ROLE: _s(S.ON_HOLD)},
        target=S.ARCHIVED,
    ),
    # A report brought over from another system's export (lapor.channels.intake): the state the
    # export states, applied once by the system right after filing (target computed).
    Action.IMPORT: Rule(
        "report.imported",
        {SYSTEM_ROLE: _s(S.RECEIVED)},
        target=None,
    ),
    # Red flags read in the words at filing: priority, and a copy to the inspectorate for
    # suspected extortion, bribery or corruption (lapor.routing.flags).
    Action.RED_FLAG: Rule(
        "report.red_flagged",
        {SYSTEM_ROLE: OPEN},
        target=None,
        public=False,
    ),
}


def allowed_actions(status: str, role: str) -> list[Action]:
    """Actions a role may take on a report in `status` (scope aside): for menus and docs."""
    return [action for action, rule in TRANSITIONS.items() if status in rule.allowed.get(role, ())]
