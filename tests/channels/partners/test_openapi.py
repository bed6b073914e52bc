"""Every partner operation is in the OpenAPI document, with its schemas and its security."""

from __future__ import annotations

PATHS = {
    "/api/v1/partners/me": {"get"},
    "/api/v1/partners/reports/{external_id}": {"put", "get"},
    "/api/v1/partners/agency/reports/{tracking_id}": {"get"},
    "/api/v1/partners/followups": {"post"},
    "/api/v1/partners/changes": {"get"},
    "/api/v1/partners/sandbox/reports/{external_id}/simulate": {"post"},
}


def test_the_partner_api_is_documented(client, db):
    doc = client.get("/api/v1/openapi.json").json()
    documented = {p: set(ops) for p, ops in doc["paths"].items() if p.startswith("/api/v1/partners")}
    assert documented == PATHS
    schemes = doc["components"]["securitySchemes"]
    for path, methods in PATHS.items():
        for method in methods:
            op = doc["paths"][path][method]
            assert op["tags"] == ["partners"] and op["description"].strip()
            (requirement,) = op["security"]
            assert schemes[next(iter(requirement))] == {"type": "http", "scheme": "bearer"}
            assert {"401", "403", "422"} <= set(op["responses"])
            ok = op["responses"].get("200") or op["responses"]["201"]
            assert "$ref" in str(ok["content"]["application/json"]["schema"])
    push = doc["paths"]["/api/v1/partners/reports/{external_id}"]["put"]
    assert {"200", "201"} <= set(push["responses"])
    body = push["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"text", "region", "is_anonymous", "is_confidential"} <= set(doc["components"]["schemas"][body]["properties"])
    change = doc["components"]["schemas"]["ChangeOut"]["properties"]
    assert {"delivery_id", "event_id", "type", "report", "reporter", "cursor"} <= set(change)
