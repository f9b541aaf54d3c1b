"""The OpenAPI 3.1 description of the JSON API (``/data/openapi.json``).

The ``Result`` schema is built from ``opendata.COLUMNS`` and the Table Schema constraints of
the results table, so the API, the files and their schemas cannot drift apart. The tests
validate this document (openapi-spec-validator) and every API answer against it
(openapi-core).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from evaluations import opendata
from evaluations.harvest import api, tables

INDEX_LINKS = ("rounds", "regions", "compare", "openapi", "datapackage")
JSON_TYPES = {"string": "string", "integer": "integer", "number": "number", "datetime": "string"}


def _schema_of_field(spec: dict[str, Any]) -> dict[str, Any]:
    """A Table Schema field as a JSON Schema (2020-12, as OpenAPI 3.1 uses)."""
    constraints = spec.get("constraints", {})
    json_type = JSON_TYPES[spec["type"]]
    schema: dict[str, Any] = {
        "type": json_type if constraints.get("required") else [json_type, "null"],
        "description": spec["description"],
    }
    if spec["type"] == "datetime":
        schema["format"] = "date-time"
    for key in ("minimum", "maximum", "pattern", "enum"):
        if key in constraints:
            schema[key] = constraints[key]
    if "enum" in schema and not constraints.get("required"):
        schema["enum"] = [*schema["enum"], None]
    return schema


def _object(table: tables.Table, *, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    fields = table.fields()
    properties = {f["name"]: _schema_of_field(f) for f in fields}
    properties.update(extra or {})
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _page_of(item: str, *, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    link = {"type": ["string", "null"], "format": "uri"}
    properties: dict[str, Any] = {
        **(extra or {}),
        "count": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "page_size": {"type": "integer", "minimum": 1, "maximum": api.MAX_PAGE_SIZE},
        "pages": {"type": "integer", "minimum": 1},
        "next": link,
        "previous": link,
        "results": {"type": "array", "items": _ref(item)},
    }
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    texts = {
        400: _("Parameter tidak sah."),
        404: _("Tidak ditemukan (atau belum dipublikasikan)."),
    }
    return {str(s): _json(_ref("Error"), texts[s]) for s in statuses}


def _param(
    name: str, where: str, schema: dict[str, Any], description: str, **more: Any
) -> dict[str, Any]:
    return {"name": name, "in": where, "schema": schema, "description": description, **more}


def description(*, base_url: str) -> dict[str, Any]:
    """The OpenAPI document; ``base_url`` is the portal's absolute root."""
    licence = opendata.licence()
    page = _param(
        "page", "query", {"type": "integer", "minimum": 1, "default": 1}, _("Nomor halaman.")
    )
    page_size = _param(
        "page_size",
        "query",
        {
            "type": "integer",
            "minimum": 1,
            "maximum": api.MAX_PAGE_SIZE,
            "default": api.DEFAULT_PAGE_SIZE,
        },
        _("Jumlah butir per halaman."),
    )
    slug = {"type": "string", "pattern": tables.SLUG_PATTERN}
    link = {"type": "string", "format": "uri"}
    region: dict[str, Any] = {
        "type": "object",
        "properties": {
            "code": {"type": "string", "pattern": tables.REGION_CODE_PATTERN},
            "name": {"type": "string"},
            "slug": slug,
            "kind": {"type": "string", "enum": ["kota", "kabupaten"]},
            "province_code": {"type": "string", "pattern": tables.PROVINCE_CODE_PATTERN},
            "province_name": {"type": "string"},
        },
        "required": ["code", "name", "slug", "kind", "province_code", "province_name"],
        "additionalProperties": False,
    }
    round_links = {
        "type": "object",
        "properties": {"rankings": link, "page": link, "datapackage": link},
        "required": ["rankings", "page", "datapackage"],
        "additionalProperties": False,
    }
    schemas = {
        "Result": _object(tables.RESULTS),
        "Round": _object(tables.TABLES_BY_NAME["rounds"], extra={"links": round_links}),
        "Region": _object(tables.TABLES_BY_NAME["regions"]),
        "RegionSummary": region,
        "RoundPage": _page_of("Round"),
        "RegionPage": _page_of("Region"),
        "RankingPage": _page_of("Result", extra={"round": slug}),
        "RegionHistory": {
            "type": "object",
            "properties": {
                "region": _ref("RegionSummary"),
                "results": {"type": "array", "items": _ref("Result")},
            },
            "required": ["region", "results"],
            "additionalProperties": False,
        },
        "Comparison": {
            "type": "object",
            "properties": {
                "round": slug,
                "regions": {
                    "type": "array",
                    "minItems": api.COMPARE_MIN,
                    "maxItems": api.COMPARE_MAX,
                    "items": {
                        "type": "object",
                        "properties": {
                            **region["properties"],
                            "result": {"oneOf": [_ref("Result"), {"type": "null"}]},
                        },
                        "required": [*region["required"], "result"],
                        "additionalProperties": False,
                    },
                },
                "history": {"type": "array", "items": _ref("Result")},
            },
            "required": ["round", "regions", "history"],
            "additionalProperties": False,
        },
        "Index": {
            "type": "object",
            "properties": dict.fromkeys(INDEX_LINKS, link),
            "required": list(INDEX_LINKS),
        },
        "Error": {
            "type": "object",
            "properties": {
                "error": {
                    "type": "object",
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                    "required": ["code", "message"],
                }
            },
            "required": ["error"],
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": _("API data terbuka %(portal)s") % {"portal": settings.PORTAL_NAME},
            "version": "1.0.0",
            "summary": _("Hasil evaluasi smart city yang dipublikasikan, hanya-baca."),
            "description": _(
                "Putaran terpublikasi, peringkat sebuah putaran, riwayat sebuah wilayah dan "
                "perbandingan wilayah. Hanya hasil yang dipublikasikan. Objek hasil memakai "
                "nama kolom yang sama dengan berkas CSV/XLSX/JSON (lihat datapackage.json). "
                "Tanpa autentikasi; CORS terbuka untuk GET dan HEAD; ETag dan Last-Modified "
                "untuk permintaan bersyarat. %(credit)s"
            )
            % {"credit": opendata.credit()},
            "license": {"name": licence["name"], "url": licence["url"]},
        },
        "servers": [{"url": base_url.rstrip("/") + "/api/v1"}],
        "externalDocs": {
            "description": _("Data Package (Frictionless) dengan Table Schema"),
            "url": base_url.rstrip("/") + "/data/datapackage.json",
        },
        "paths": {
            "/": {
                "get": {
                    "operationId": "index",
                    "summary": _("Tautan ke sumber daya API"),
                    "responses": {"200": _json(_ref("Index"), _("Tautan."))},
                }
            },
            "/rounds/": {
                "get": {
                    "operationId": "listRounds",
                    "summary": _("Putaran terpublikasi, terbaru dahulu"),
                    "parameters": [page, page_size],
                    "responses": {
                        "200": _json(_ref("RoundPage"), _("Satu halaman putaran.")),
                        **_errors(400, 404),
                    },
                }
            },
            "/rounds/{slug}/rankings/": {
                "get": {
                    "operationId": "roundRankings",
                    "summary": _("Peringkat sebuah putaran terpublikasi, urutan nasional"),
                    "parameters": [
                        _param("slug", "path", slug, _("Slug putaran."), required=True),
                        _param(
                            "province",
                            "query",
                            {"type": "string", "pattern": tables.PROVINCE_CODE_PATTERN},
                            _("Hanya wilayah provinsi ini (kode dua angka)."),
                        ),
                        page,
                        page_size,
                    ],
                    "responses": {
                        "200": _json(_ref("RankingPage"), _("Satu halaman hasil.")),
                        **_errors(400, 404),
                    },
                }
            },
            "/regions/": {
                "get": {
                    "operationId": "listRegions",
                    "summary": _("Wilayah dengan profil publik, urut kode"),
                    "parameters": [page, page_size],
                    "responses": {
                        "200": _json(_ref("RegionPage"), _("Satu halaman wilayah.")),
                        **_errors(400, 404),
                    },
                }
            },
            "/regions/{slug}/history/": {
                "get": {
                    "operationId": "regionHistory",
                    "summary": _("Hasil terpublikasi sebuah wilayah, putaran terlama dahulu"),
                    "parameters": [_param("slug", "path", slug, _("Slug wilayah."), required=True)],
                    "responses": {
                        "200": _json(_ref("RegionHistory"), _("Wilayah dan hasilnya.")),
                        **_errors(404),
                    },
                }
            },
            "/compare/": {
                "get": {
                    "operationId": "compareRegions",
                    "summary": _("Perbandingan dua sampai empat wilayah"),
                    "parameters": [
                        _param(
                            "regions",
                            "query",
                            {
                                "type": "array",
                                "items": slug,
                                "minItems": api.COMPARE_MIN,
                                "maxItems": api.COMPARE_MAX,
                            },
                            _("Slug wilayah, diulang: regions=a&regions=b."),
                            required=True,
                            style="form",
                            explode=True,
                        ),
                        _param(
                            "round",
                            "query",
                            slug,
                            _("Slug putaran; bawaan: putaran terpublikasi terbaru."),
                        ),
                    ],
                    "responses": {
                        "200": _json(_ref("Comparison"), _("Perbandingan.")),
                        **_errors(400, 404),
                    },
                }
            },
        },
        "components": {"schemas": schemas},
    }
