#!/usr/bin/env python3
"""Validate one JSON document against one of tune's schemas in docs/schema.

usage: ci_validate_json.py SCHEMA_DIR NAME DOCUMENT
NAME is a schema's file name without .schema.json (plan, apply, ...); DOCUMENT
a file, or - for stdin. Exit 0 when valid, 1 with one line per error when not,
2 when the schema or document cannot be read.

The schemas reference each other by relative file name (common.schema.json),
so they are all loaded up front and resolved from memory: nothing is fetched.
Works with Debian 12's python3-jsonschema (4.10, RefResolver) and with later
releases (the `referencing` registry).
"""
import json
import pathlib
import sys

import jsonschema


def load_schemas(directory):
    schemas = {}
    for path in sorted(pathlib.Path(directory).glob("*.schema.json")):
        schemas[path.name] = json.loads(path.read_text())
    return schemas


def make_validator(schemas, name):
    schema = schemas[name]
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    try:
        from referencing import Registry, Resource
    except ImportError:  # jsonschema < 4.18
        resolver = jsonschema.RefResolver(base_uri=name, referrer=schema, store=dict(schemas))
        return cls(schema, resolver=resolver)
    registry = Registry().with_resources((key, Resource.from_contents(value)) for key, value in schemas.items())
    return cls(schema, registry=registry)


def main(argv):
    if len(argv) != 4:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    directory, name, document = argv[1], argv[2] + ".schema.json", argv[3]
    try:
        schemas = load_schemas(directory)
        if name not in schemas:
            print(f"{directory}: no schema {name}", file=sys.stderr)
            return 2
        text = sys.stdin.read() if document == "-" else pathlib.Path(document).read_text()
        instance = json.loads(text)
        validator = make_validator(schemas, name)
    except (OSError, ValueError, jsonschema.SchemaError) as error:
        print(f"{document}: {error}".splitlines()[0], file=sys.stderr)
        return 2
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    for error in errors:
        where = "/".join(str(part) for part in error.absolute_path) or "(top)"
        print(f"{document}: {where}: {error.message}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
