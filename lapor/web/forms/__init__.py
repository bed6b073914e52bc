"""The portal's forms (Django forms, Indonesian labels); rules stay in the services."""

from .accounts import LoginForm, RegisterForm, ResendForm, VerifyForm
from .base import PortalForm
from .feed import FeedFilterForm
from .submit import SubmitForm, initial_from
from .track import ACTION_FORMS, AppealForm, AttachForm, RateForm, ReplyForm, ResumeForm, TrackForm

__all__ = [
    "ACTION_FORMS",
    "AppealForm",
    "AttachForm",
    "FeedFilterForm",
    "LoginForm",
    "PortalForm",
    "RateForm",
    "RegisterForm",
    "ReplyForm",
    "ResendForm",
    "ResumeForm",
    "SubmitForm",
    "TrackForm",
    "VerifyForm",
    "initial_from",
]
