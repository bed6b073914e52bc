"""Saved filters: save the current query under a name, reuse it, replace it, delete it."""

from django.urls import reverse

from lapor.web.models import SavedFilter

from ..conftest import html
from .conftest import list_url


def test_save_reuse_and_delete(world, client):
    client.force_login(world.admin_a)
    response = client.post(
        reverse("web:staff_filter_save"), {"name": "Terlambat di PUPR", "query": "tab=terlambat&page=3&status=forwarded"}
    )
    assert response.status_code == 302
    saved = SavedFilter.objects.get(user=world.admin_a)
    assert saved.query == "tab=terlambat&status=forwarded"  # the page number is not kept
    page = html(client.get(list_url()))
    assert "Terlambat di PUPR" in page and "?tab=terlambat&amp;status=forwarded" in page

    client.post(reverse("web:staff_filter_save"), {"name": "Terlambat di PUPR", "query": "tab=semua"})
    assert SavedFilter.objects.get(user=world.admin_a).query == "tab=semua"

    response = client.post(reverse("web:staff_filter_delete", args=[saved.pk]))
    assert response.status_code == 302
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()


def test_saved_filters_are_private(world, client):
    theirs = SavedFilter.objects.create(user=world.admin_b, name="Milik Mataram", query="tab=semua")
    client.force_login(world.admin_a)
    assert "Milik Mataram" not in html(client.get(list_url()))
    assert client.post(reverse("web:staff_filter_delete", args=[theirs.pk])).status_code == 404
    assert SavedFilter.objects.filter(pk=theirs.pk).exists()


def test_a_name_is_required(world, client):
    client.force_login(world.verifier)
    response = client.post(reverse("web:staff_filter_save"), {"name": "", "query": "tab=semua"}, follow=True)
    assert "Beri nama saringan ini." in html(response)
    assert not SavedFilter.objects.exists()


def test_reporters_cannot_save_filters(world, client):
    client.force_login(world.reporter)
    assert client.post(reverse("web:staff_filter_save"), {"name": "x", "query": ""}).status_code == 404
