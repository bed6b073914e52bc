"""An officer's saved list filters: save under a name (replacing one of the same name), delete."""

from __future__ import annotations

from django.db import transaction
from django.http import QueryDict

from lapor.accounts.models import User

from .models import SavedFilter

MAX_SAVED_FILTERS = 50


def clean_query(query: str) -> str:
    """The query string without the page number (a saved filter starts on page one)."""
    params = QueryDict(query or "", mutable=True)
    params.pop("page", None)
    return params.urlencode()[:1000]


def saved_filter_save(*, user: User, name: str, query: str) -> tuple[SavedFilter, bool]:
    """Save `query` as `name` for `user`; an existing filter of that name is replaced."""
    with transaction.atomic():
        saved, created = SavedFilter.objects.update_or_create(
            user=user, name=name.strip()[:80], defaults={"query": clean_query(query)}
        )
        # Keep the list short: the oldest beyond the limit go.
        extra = SavedFilter.objects.filter(user=user).order_by("-created_at", "-pk").values_list("pk", flat=True)[
            MAX_SAVED_FILTERS:
        ]
        SavedFilter.objects.filter(pk__in=list(extra)).delete()
    return saved, created


def saved_filter_delete(*, user: User, pk: int) -> bool:
    deleted, _rows = SavedFilter.objects.filter(user=user, pk=pk).delete()
    return bool(deleted)
