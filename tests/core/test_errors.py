"""The DomainError family maps onto HTTP status codes and carries a message for the user."""

import pytest

from lapor.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [(InvalidInput, 400, "invalid"), (PermissionDenied, 403, "forbidden"), (NotFound, 404, "not_found"),
     (Conflict, 409, "conflict")],
)
def test_each_domain_error_has_its_http_status_and_code(error, status, code):
    raised = error("Laporan tidak ditemukan.")
    assert isinstance(raised, DomainError)
    assert (raised.http_status, raised.code, str(raised), raised.message) == (
        status, code, "Laporan tidak ditemukan.", "Laporan tidak ditemukan."
    )


def test_a_specific_code_can_be_given():
    assert Conflict("Batas pengalihan tercapai.", code="transfer_limit").code == "transfer_limit"
    assert Conflict("x").code == "conflict"
