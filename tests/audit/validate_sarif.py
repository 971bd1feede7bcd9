#!/usr/bin/env python3
"""Validate SARIF documents against the SARIF 2.1.0 JSON schema.

usage: validate_sarif.py SCHEMA DOCUMENT...
SCHEMA is tests/fixtures/sarif/sarif-schema-2.1.0.json; a DOCUMENT is a file,
or - for stdin. Exit 0 when every document is valid, 1 with one line per
error when one is not, 2 when the schema or a document cannot be read.

The validator class follows the schema's own "$schema" (the copy in
tests/fixtures declares draft 2020-12), so the check is the one the schema's
authors meant. Works with Debian 12's python3-jsonschema (4.10).
"""
import json
import pathlib
import sys

import jsonschema


def read(name):
    return json.loads(sys.stdin.read() if name == "-" else pathlib.Path(name).read_text(encoding="utf-8"))


def main(argv):
    if len(argv) < 3:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    try:
        schema = read(argv[1])
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        validator = cls(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as error:
        print(f"{argv[1]}: {error}".splitlines()[0], file=sys.stderr)
        return 2
    status = 0
    for name in argv[2:]:
        try:
            document = read(name)
        except (OSError, ValueError) as error:
            print(f"{name}: {error}".splitlines()[0], file=sys.stderr)
            return 2
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        for error in errors:
            where = "/".join(str(part) for part in error.absolute_path) or "(top)"
            print(f"{name}: {where}: {error.message}", file=sys.stderr)
        if errors:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
