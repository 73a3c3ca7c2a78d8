"""One OpenAPI 3 document for every API of the project, generated from the code.

``/api/schema/`` is the document (REST API v1 and Open311 GeoReport v2, both
django-ninja); ``/api/docs/`` is a page the project renders from it itself: no
script and nothing from another site.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from helpdesk.api import open311, v1

METHODS = ("get", "post", "put", "patch", "delete")


def openapi_document() -> dict[str, Any]:
    """The REST API's document with Open311's paths and components merged in."""
    document = v1.api.get_openapi_schema(path_prefix="/api/v1")
    georeport = open311.api.get_openapi_schema(path_prefix="/open311")
    document["info"] = {
        "title": "Nidaa APIs",
        "version": "1",
        "description": (
            "REST API v1 for staff and partner agencies (/api/v1/) and Open311 GeoReport v2 "
            "for apps (/open311/). Open311 answers in XML too: replace .json with .xml."
        ),
    }
    for item in georeport["paths"].values():
        for operation in item.values():
            for answer in operation.get("responses", {}).values():
                if "application/json" in answer.get("content", {}):
                    answer["content"]["text/xml"] = {
                        "schema": {
                            "type": "string",
                            "description": "the same data as XML (the path ends in .xml)",
                        }
                    }
    document["paths"].update(georeport["paths"])
    components = document.setdefault("components", {})
    for kind, entries in georeport.get("components", {}).items():
        mine = components.setdefault(kind, {})
        clashes = set(mine) & set(entries)
        if clashes:
            raise RuntimeError(f"OpenAPI components named twice: {sorted(clashes)}")
        mine.update(entries)
    return dict(document)


@require_GET
def api_schema(request: HttpRequest) -> HttpResponse:
    return JsonResponse(openapi_document(), json_dumps_params={"ensure_ascii": False})


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _type_of(document: dict[str, Any], schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type_of(document, option) for option in schema["anyOf"])
    if schema.get("type") == "array":
        return f"[{_type_of(document, schema.get('items', {}))}]"
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    return str(schema.get("type", "any"))


def _fields(document: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(document, schema)
    required = set(schema.get("required", ()))
    return [
        {
            "name": name,
            "type": _type_of(document, spec),
            "required": name in required,
            "description": spec.get("description", ""),
        }
        for name, spec in schema.get("properties", {}).items()
    ]


def _json_schema(answer: dict[str, Any]) -> dict[str, Any]:
    content: dict[str, Any] = answer.get("content", {})
    return dict(content.get("application/json", {}).get("schema", {}))


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body: dict[str, Any] = operation.get("requestBody", {}).get("content", {})
            media_type, body_schema = next(iter(body.items()), ("", dict[str, Any]()))
            found.append(
                {
                    "anchor": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "tag": (operation.get("tags") or [""])[0],
                    "auth": [name for entry in operation.get("security", []) for name in entry],
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "type": _type_of(document, p.get("schema", {})),
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body_type": media_type,
                    "body": _fields(document, body_schema.get("schema", {})) if body else [],
                    "responses": [
                        {
                            "status": status,
                            "description": answer.get("description", ""),
                            "type": _type_of(document, _json_schema(answer)),
                        }
                        for status, answer in operation.get("responses", {}).items()
                    ],
                }
            )
    return found


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    document = openapi_document()
    schemas = [
        {"name": name, "fields": _fields(document, schema)}
        for name, schema in sorted(document["components"]["schemas"].items())
    ]
    return render(
        request,
        "helpdesk/api_docs.html",
        {
            "title": _("Nidaa APIs"),
            "info": document["info"],
            "operations": _operations(document),
            "schemas": schemas,
            "security": document["components"].get("securitySchemes", {}),
        },
    )
