"""The Django admin: versions compared side by side and switched; category thresholds set."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from lapor.routing.models import CategoryRouting, RoutingModel

from ..factories import make_user
from .conftest import train


@pytest.fixture
def superuser(db):
    return make_user("sysadmin", is_staff=True, is_superuser=True)


def test_versions_are_listed_with_their_figures_and_one_is_switched(client, world, superuser):
    first = train({"jalan": "a", "listrik": "b"}, name="agency")
    second = train({"jalan": "a", "listrik": "b", "sekolah": "c"}, name="agency", activate=False)
    client.force_login(superuser)
    url = reverse("admin:routing_routingmodel_changelist")
    page = client.get(url).content.decode()
    body = page[page.find("result_list"):]
    assert "agency" in body and "top-3" in body.lower()
    answer = client.post(url, {"action": "activate", "_selected_action": [second.pk]})
    assert answer.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.is_active and not first.is_active
    assert client.get(reverse("admin:routing_routingmodel_change", args=[second.pk])).status_code == 200


def test_a_category_threshold_is_set_in_the_admin_and_checked(client, world, superuser):
    client.force_login(superuser)
    url = reverse("admin:routing_categoryrouting_add")
    refused = client.post(url, {"category": world.category.pk, "auto_dispose_threshold": "0.2"})
    assert refused.status_code == 200 and not CategoryRouting.objects.exists()  # below one half: refused
    client.post(url, {"category": world.category.pk, "auto_dispose_threshold": "0.9"})
    assert CategoryRouting.objects.get().auto_dispose_threshold == Decimal("0.900")
    assert RoutingModel.objects.count() == 0
