from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .services import find_user_by_identifier


class EmailOrPhoneBackend(ModelBackend):
    """Log in with a username, an e-mail address or a phone number (any common spelling)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = find_user_by_identifier(username)
        if user is None:
            # Spend the same time as a real check, so timing does not reveal accounts.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
