"""Template context every page shares."""

from django.utils.functional import SimpleLazyObject


def notices(request):
    """The unread notice count for the header, counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from lapor.notifications.services import unread_notice_count

    return {"unread_notices": SimpleLazyObject(lambda: unread_notice_count(user))}
