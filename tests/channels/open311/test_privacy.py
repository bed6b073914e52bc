"""Who reads what through Open311: confidential reports never in public answers, nobody named,
anonymous reports without a map point, staff-only notes nowhere."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lapor.complaints import handling
from lapor.complaints.attachments import report_attach
from lapor.complaints.models import Report

from ...complaints.flow import PNG_BYTES
from .conftest import moved

PERSON = {"first_name": "Ketut", "last_name": "Arsa", "email": "ketut.arsa@contoh.id", "phone": "081234567891"}
READS = ("v2/requests", "v2/servicerequestupdates")


def listed_ids(o311, **params) -> list[str]:
    return [row["service_request_id"] for row in o311.json(o311.get("v2/requests", params=params))]


def update_ids(o311, **params) -> set[str]:
    return {row["service_request_id"] for row in o311.json(o311.get("v2/servicerequestupdates", params=params))}


def test_confidential_reports_are_not_in_any_public_answer(world, o311, key, other_key, agency_key):
    secret = o311.file(key, **{"attribute[confidential]": "true"})
    public = o311.file(key)
    for tracking in (secret, public):
        moved(world, tracking, "forwarded")
    assert listed_ids(o311) == [public]
    assert update_ids(o311) == {public}
    for path in (f"v2/requests/{secret}", f"v2/tokens/{secret}"):
        assert o311.get(path).status_code == 404
        assert o311.get(path, params={"api_key": other_key}).status_code == 404
    assert listed_ids(o311, api_key=other_key) == [public]
    # The client that filed it, and the agency holding it, still follow it.
    for viewer in (key, agency_key):
        assert set(listed_ids(o311, api_key=viewer)) == {secret, public}
        assert update_ids(o311, api_key=viewer) == {secret, public}
        assert o311.get(f"v2/requests/{secret}", params={"api_key": viewer}).status_code == 200


def test_unverified_reports_wait_for_the_verifier_except_for_their_own_client(world, o311, key, other_key):
    tracking = o311.file(key)
    assert listed_ids(o311) == [] and listed_ids(o311, api_key=other_key) == []
    assert o311.get(f"v2/requests/{tracking}").status_code == 404
    assert listed_ids(o311, api_key=key) == [tracking]
    moved(world, tracking, "disposed")
    assert listed_ids(o311) == [tracking]


def test_an_agency_key_sees_its_agency_s_reports_only(world, o311, key, agency_key):
    ours = o311.file(key, **{"attribute[confidential]": "true"})
    moved(world, ours, "disposed")
    theirs = Report.objects.get(tracking_id=o311.file(key, **{"attribute[confidential]": "true"}))
    from lapor.complaints import services

    services.report_dispose(actor=world.verifier, report=theirs, agency=world.agency_b)
    assert listed_ids(o311, api_key=agency_key) == [ours]


@pytest.mark.parametrize("anonymous", ["true", "false"])
def test_nobody_is_named_in_any_answer(world, o311, key, agency_key, anonymous):
    tracking = o311.file(key, **PERSON, **{"attribute[anonymous]": anonymous})
    moved(world, tracking, "reporter_replied")
    bodies = []
    for viewer in (None, key, agency_key):
        params = {"api_key": viewer} if viewer else {}
        for fmt in ("json", "xml"):
            for path in (*READS, f"v2/requests/{tracking}"):
                response = o311.get(path, fmt, params)
                assert response.status_code == 200
                bodies.append(response.content.decode())
    assert all(tracking in body for body in bodies)
    for body in bodies:
        for trace in ("Ketut", "Arsa", "ketut.arsa", "81234567891"):
            assert trace not in body


def _point(o311, tracking, **params):
    row = o311.json(o311.get(f"v2/requests/{tracking}", params=params))[0]
    return row["lat"], row["long"]


def test_the_public_sees_a_rounded_point_and_none_for_anonymous_reports(world, o311, key, agency_key):
    place = {"lat": "-8.6912345", "long": "115.2234567"}
    named = o311.file(key, **place)
    anonymous = o311.file(key, **place, **{"attribute[anonymous]": "true"})
    for tracking in (named, anonymous):
        moved(world, tracking, "forwarded")
    assert _point(o311, named) == (-8.691, 115.223)
    assert _point(o311, anonymous) == (None, None)
    for viewer in (key, agency_key):
        assert _point(o311, anonymous, api_key=viewer) == (-8.691234, 115.223457)  # stored to 6 decimals, half to even


def test_staff_notes_stay_out_of_notes_and_updates(world, o311, key):
    tracking = o311.file(key)
    report = moved(world, tracking, "forwarded")
    handling.report_note(actor=world.admin_a, report=report, note="Catatan internal: pelapor kerabat kepala dinas.")
    for fmt in ("json", "xml"):
        for path in (*READS, f"v2/requests/{tracking}"):
            assert "kerabat" not in o311.get(path, fmt).content.decode()


def test_media_url_is_the_client_s_link_or_a_public_photo(world, o311, key):
    linked = o311.file(key, media_url="https://foto.contoh.id/lampu.jpg")
    plain = o311.file(key)
    for tracking in (linked, plain):
        report = moved(world, tracking, "forwarded")
    photo = SimpleUploadedFile("rumah-saya.png", PNG_BYTES, content_type="image/png")
    attachment = report_attach(actor=world.admin_a, report=report, upload=photo)
    rows = {row["service_request_id"]: row for row in o311.json(o311.get("v2/requests"))}
    assert rows[linked]["media_url"] == "https://foto.contoh.id/lampu.jpg"
    assert rows[plain]["media_url"] == f"http://testserver/lampiran/{attachment.pk}/"
    assert o311.client.get(f"/lampiran/{attachment.pk}/").status_code == 200  # the public may open it


def test_a_confidential_report_s_photo_is_not_linked(world, o311, key):
    tracking = o311.file(key, **{"attribute[confidential]": "true"})
    report = moved(world, tracking, "forwarded")
    photo = SimpleUploadedFile("foto.png", PNG_BYTES, content_type="image/png")
    report_attach(actor=world.admin_a, report=report, upload=photo)
    (row,) = o311.json(o311.get(f"v2/requests/{tracking}", params={"api_key": key}))
    assert row["media_url"] is None
