"""The API's reference endpoints and its error mapping."""

import pytest
from django.test import Client

from lapor.complaints.models import Category

from ..factories import make_agency, make_category, make_region
from .conftest import assert_error


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
    assert response.json() == {
        "status": 404, "code": "not_found", "message": "Wilayah 99.99 tidak dikenal.", "field": None
    }


@pytest.mark.django_db
def test_api_docs_load_no_asset_from_another_host(client: Client):
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "https://" not in html and "http://" not in html


def test_regions_by_level_alone_or_inside_a_parent(world, client: Client):
    make_region("51.71.02", "Denpasar Timur")
    make_region("51.71.02.1001", "Dangin Puri")

    regencies = client.get("/api/v1/regions", {"level": 2}).json()
    assert [r["code"] for r in regencies] == ["51.71", "52.71"]
    assert regencies[0] == {"code": "51.71", "name": "Kota Denpasar", "level": 2, "kind": "kota", "postal_code": ""}
    villages = client.get("/api/v1/regions", {"parent": "51.71", "level": 4}).json()
    assert [r["name"] for r in villages] == ["Dangin Puri", "Sesetan"]
    assert [r["code"] for r in client.get("/api/v1/regions", {"level": 4, "q": "ampenan"}).json()] == ["52.71.01.1001"]
    assert_error(client.get("/api/v1/regions", {"level": 9}), 422, "invalid", field="level")


def test_agencies_search_by_name_kind_and_region(world, client: Client):
    national = make_agency(code="kemenkes", name="Kementerian Kesehatan", short_name="Kemenkes", kind="ministry")
    province = make_agency(code="prov-bali", name="Pemerintah Provinsi Bali", kind="province",
                           region=world.bali_village.parent.parent.parent)
    make_agency(code="tutup", name="Instansi Tutup", is_active=False)

    def codes(**params):
        response = client.get("/api/v1/agencies", params)
        assert response.status_code == 200, response.content
        return [a["code"] for a in response.json()["items"]]

    assert codes() == ["kemenkes", "kota-denpasar", "kota-mataram", "prov-bali"]
    assert codes(q="kesehatan") == codes(q="KEMENKES") == ["kemenkes"]
    assert codes(q="pemerintah bali") == ["prov-bali"]
    assert codes(kind="ministry") == [national.code]
    # A village: the governments above it; a province: the governments inside it.
    assert codes(region=world.bali_village.code) == ["kota-denpasar", "prov-bali"]
    assert codes(region="51") == ["kota-denpasar", "prov-bali"]
    item = client.get("/api/v1/agencies", {"q": "Bali"}).json()["items"][0]
    assert item == {"code": province.code, "name": "Pemerintah Provinsi Bali", "short_name": "", "kind": "province",
                    "kind_label": "Pemerintah Provinsi", "region": "51"}
    assert_error(client.get("/api/v1/agencies", {"kind": "bank"}), 422, "invalid", field="kind")
    assert_error(client.get("/api/v1/agencies", {"limit": 51}), 422, "invalid", field="limit")


def test_agencies_page_with_a_cursor(world, client: Client):
    for n in range(7):
        make_agency(code=f"dinas-{n}", name="Dinas Sama")  # the same name: the id breaks the tie
    seen, cursor = [], None
    while True:
        page = client.get("/api/v1/agencies", {"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen += [a["code"] for a in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert len(seen) == len(set(seen)) == 9


@pytest.mark.django_db
def test_the_openapi_document_describes_every_endpoint(client: Client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path, method in [
        ("/api/v1/auth/register", "post"), ("/api/v1/auth/verify", "post"), ("/api/v1/auth/resend-code", "post"),
        ("/api/v1/auth/token", "post"), ("/api/v1/auth/token", "delete"), ("/api/v1/me", "get"),
        ("/api/v1/reports", "post"), ("/api/v1/reports", "get"), ("/api/v1/reports/similar", "get"),
        ("/api/v1/reports/{tracking_id}", "get"), ("/api/v1/reports/{tracking_id}/attachments", "post"),
        ("/api/v1/reports/{tracking_id}/attachments/{attachment_id}", "get"),
        ("/api/v1/reports/{tracking_id}/reply", "post"), ("/api/v1/reports/{tracking_id}/resume", "post"),
        ("/api/v1/reports/{tracking_id}/rate", "post"), ("/api/v1/reports/{tracking_id}/appeal", "post"),
        ("/api/v1/me/reports", "get"), ("/api/v1/agencies", "get"), ("/api/v1/categories", "get"),
        ("/api/v1/regions", "get"),
    ]:
        assert method in paths.get(path, {}), (method, path)
    post = paths["/api/v1/reports"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in post["parameters"])
    assert {"TokenAuth": []} in post["security"] and {} in post["security"]
    assert "ErrorOut" in schema["components"]["schemas"]
