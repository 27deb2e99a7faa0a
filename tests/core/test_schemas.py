"""Every JSON Schema shipped under examples/ is a valid 2020-12 schema, and the example documents
beside it conform to it. With one schema in a folder every *.json there must conform; with several,
a document conforms to the schema whose stem its file name contains (policy.schema.json ->
*policy*.json)."""

import json

import pytest

jsonschema = pytest.importorskip("jsonschema")


def schema_pairs(examples):
    pairs = []
    for schema_path in sorted(examples.rglob("*.schema.json")):
        folder = schema_path.parent
        schemas = sorted(folder.glob("*.schema.json"))
        stem = schema_path.name[: -len(".schema.json")]
        for doc in sorted(folder.glob("*.json")):
            if doc.name.endswith(".schema.json"):
                continue
            if len(schemas) == 1 or stem in doc.name:
                pairs.append((schema_path, doc))
    return pairs


def test_schemas_are_valid(examples):
    schemas = sorted(examples.rglob("*.schema.json"))
    assert schemas, "no schemas found"
    for path in schemas:
        jsonschema.Draft202012Validator.check_schema(json.loads(path.read_text()))


def test_examples_conform(examples):
    pairs = schema_pairs(examples)
    assert pairs
    for schema_path, doc in pairs:
        validator = jsonschema.Draft202012Validator(json.loads(schema_path.read_text()))
        errors = sorted(validator.iter_errors(json.loads(doc.read_text())), key=str)
        assert not errors, f"{doc} does not conform to {schema_path.name}: {errors[0].message}"


def test_schema_rejects_a_typo(examples):
    schema = json.loads((examples / "calendars" / "calendar.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid({"time_zone": "Asia/Shanghai", "hous": {}})
    assert not validator.is_valid({"time_zone": "Asia/Shanghai", "hours": {"mon": ["18:00-9:00"]}})
