"""The API's reference endpoints and its error mapping."""

import pytest
from django.test import Client

from lapor.complaints.models import Category

from ..factories import make_category


@pytest.mark.django_db
def test_health_reports_the_database(client: Client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_openapi_document_is_served(client: Client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/categories" in response.json()["paths"]


def test_category_tree_nests_children_and_hides_inactive(world, client: Client):
    parent = make_category(code="kependudukan", name="Kependudukan")
    make_category(code="kependudukan-ktp", name="KTP Elektronik", parent=parent)
    make_category(code="lama", name="Topik lama", is_active=False)

    tree = client.get("/api/v1/categories").json()

    node = next(n for n in tree if n["code"] == "kependudukan")
    assert [c["code"] for c in node["children"]] == ["kependudukan-ktp"]
    assert not any(n["code"] == "lama" for n in tree)
    assert Category.objects.count() == 4  # world has one more


def test_region_pickers_walk_down_the_tree(world, client: Client):
    provinces = client.get("/api/v1/regions").json()
    assert {p["code"] for p in provinces} == {"51", "52"}
    cities = client.get("/api/v1/regions", {"parent": "51"}).json()
    assert [c["name"] for c in cities] == ["Kota Denpasar"]


def test_unknown_parent_region_is_a_clear_404(world, client: Client):
    response = client.get("/api/v1/regions", {"parent": "99.99"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Wilayah 99.99 tidak dikenal.", "code": "not_found"}


@pytest.mark.django_db
def test_api_docs_load_no_asset_from_another_host(client: Client):
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "https://" not in html and "http://" not in html
