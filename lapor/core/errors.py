"""Domain errors: services raise these; the web and the API map them to HTTP status codes."""


class DomainError(Exception):
    """A rule of the domain refused the request. The message is for the user."""

    http_status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        # The input field at fault, so forms and API clients can point at it.
        self.field = field
        if code:
            self.code = code

    def __str__(self) -> str:  # lazy translations become text here
        return str(self.message)


class InvalidInput(DomainError):
    http_status = 400
    code = "invalid"


class PermissionDenied(DomainError):
    http_status = 403
    code = "forbidden"


class NotFound(DomainError):
    http_status = 404
    code = "not_found"


class Conflict(DomainError):
    """The request does not fit the object's current state (e.g. a forbidden transition)."""

    http_status = 409
    code = "conflict"


class TooManyRequests(DomainError):
    http_status = 429
    code = "rate_limited"
