"""Who is acting: a user in a role, an accountless reporter proven by a secret, or the system.

Services take an `Actor` (or a `User`, turned into one) so that the web, the API, channel
adapters and periodic jobs are checked by the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Role, User

SYSTEM_ROLE = "system"


@dataclass(frozen=True)
class Actor:
    role: str
    user: User | None = None
    # For an accountless reporter: the report whose secret they presented.
    proven_report_id: int | None = None

    @classmethod
    def of(cls, who: "Actor | User | None") -> "Actor":
        if isinstance(who, Actor):
            return who
        if who is None or not getattr(who, "is_authenticated", False):
            return cls(role="anonymous")
        return cls(role=who.role, user=who)

    @classmethod
    def system(cls) -> "Actor":
        return cls(role=SYSTEM_ROLE)

    @classmethod
    def reporter_with_secret(cls, report_id: int) -> "Actor":
        """An accountless reporter whose secret for `report_id` was already checked."""
        return cls(role=Role.REPORTER, proven_report_id=report_id)

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user else None

    @property
    def agency_id(self) -> int | None:
        return self.user.agency_id if self.user else None

    @property
    def unit_id(self) -> int | None:
        return self.user.unit_id if self.user else None

    def is_reporter_of(self, report) -> bool:
        if self.role != Role.REPORTER:
            return False
        if self.proven_report_id is not None:
            return self.proven_report_id == report.pk
        return self.user is not None and report.reporter_id == self.user.pk

    def __str__(self) -> str:
        return self.user.username if self.user else self.role
