"""A small JSON Schema checker for the subset docs/schemas uses (type, properties, required,
additionalProperties, items, enum, const, oneOf, $ref); ``jsonschema`` is used too when installed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas"
_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def load(name: str) -> dict[str, Any]:
    """The schema ``docs/schemas/NAME.schema.json``."""
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def _is(value: Any, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, _TYPES[kind])


def errors(value: Any, schema: dict[str, Any], root: dict[str, Any], where: str = "$") -> list[str]:
    """What is wrong with ``value`` (empty: valid)."""
    if "$ref" in schema:
        ref = schema["$ref"]
        if ref.startswith("#/$defs/"):
            return errors(value, root["$defs"][ref.split("/")[-1]], root, where)
        other = load(ref.removesuffix(".schema.json"))
        return errors(value, other, other, where)
    out: list[str] = []
    if "const" in schema and value != schema["const"]:
        out.append(f"{where}: {value!r} != {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where}: {value!r} not in {schema['enum']}")
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if not errors(value, s, root, where)]
        if len(matching) != 1:
            out.append(f"{where}: {value!r} matches {len(matching)} of oneOf")
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_is(value, k) for k in kinds):
            return out + [f"{where}: {value!r} is not {kinds}"]
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                out.append(f"{where}: missing {key}")
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                out += errors(item, props[key], root, f"{where}.{key}")
            elif extra is False:
                out.append(f"{where}: unexpected {key}")
            elif isinstance(extra, dict):
                out += errors(item, extra, root, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            out += errors(item, schema["items"], root, f"{where}[{i}]")
    return out


def validate(value: Any, name: str) -> None:
    """Assert ``value`` follows ``docs/schemas/NAME.schema.json``."""
    schema = load(name)
    problems = errors(value, schema, schema)
    assert not problems, "\n".join(problems[:20])
    try:
        import jsonschema  # type: ignore[import-untyped]
    except ImportError:
        return
    registry_schemas = {p.name: json.loads(p.read_text()) for p in SCHEMAS.glob("*.schema.json")}
    from referencing import Registry, Resource  # type: ignore[import-not-found]

    registry = Registry().with_resources((k, Resource.from_contents(v)) for k, v in registry_schemas.items())
    jsonschema.validate(value, schema, registry=registry)
