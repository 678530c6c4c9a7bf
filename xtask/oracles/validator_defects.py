"""Small reproductions of the openapi-core and Prism defects `cargo xtask wire-check` counts as
validator disagreements (README, "Every operation on the wire"). Each openapi-core case is a
one-operation document and a request valid for it by the OpenAPI specification; openapi-core
fails on each. The Prism cases start Prism (the `PRISM` variable names its program) on a
one-operation document and read what it answers. Run by
`cargo xtask wire-check --validator-defects`, which fails once a case no longer reproduces (a
newer openapi-core fixed it), so that the README's list stays true.
"""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings

warnings.filterwarnings("ignore")

from openapi_core import OpenAPI
from openapi_core.testing import MockRequest


def document(operation):
    return {
        "openapi": "3.1.0",
        "info": {"title": "repro", "version": "1"},
        "servers": [{"url": "https://api.repro.test"}],
        "paths": {"/things": operation},
    }


RANGE = {
    "anyOf": [
        {"type": "object", "properties": {"gt": {"type": "integer"}, "lt": {"type": "integer"}}},
        {"type": "integer"},
    ]
}

CASES = [
    (
        "an optional deepObject query parameter whose schema is an array (Stripe's `expand`), "
        "left out: the request is refused",
        document(
            {
                "get": {
                    "parameters": [
                        {
                            "name": "expand",
                            "in": "query",
                            "style": "deepObject",
                            "explode": True,
                            "schema": {"type": "array", "items": {"type": "string"}},
                        }
                    ],
                    "responses": {"204": {"description": "ok"}},
                }
            }
        ),
        MockRequest("https://api.repro.test", "get", "/things"),
    ),
    (
        "a deepObject query parameter whose schema is a union (anyOf object | integer), sent as "
        "`created[gt]=1`: the request is refused",
        document(
            {
                "get": {
                    "parameters": [
                        {
                            "name": "created",
                            "in": "query",
                            "style": "deepObject",
                            "explode": True,
                            "schema": RANGE,
                        }
                    ],
                    "responses": {"204": {"description": "ok"}},
                }
            }
        ),
        MockRequest("https://api.repro.test", "get", "/things", args=[("created[gt]", "1")]),
    ),
    (
        "a multipart body with a property of `type: [string, null]` (OpenAPI 3.1): openapi-core "
        "raises a TypeError instead of a verdict",
        document(
            {
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "name": {"type": "string"},
                                        "note": {"type": ["string", "null"]},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {"204": {"description": "ok"}},
                }
            }
        ),
        MockRequest(
            "https://api.repro.test",
            "post",
            "/things",
            data=b'--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--\r\n',
            content_type="multipart/form-data; boundary=b",
        ),
    ),
]


# Prism: a schema that refers to itself, and a `pattern`, in an answer without an example.
PRISM_DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "repro", "version": "1"},
    "paths": {
        "/nodes": {
            "get": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Node"}}
                        },
                    }
                }
            }
        }
    },
    "components": {
        "schemas": {
            "Node": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string", "pattern": "^[0-9]+$"},
                    "parent": {"$ref": "#/components/schemas/Node"},
                },
            }
        }
    },
}

PRISM_CASES = [
    (
        "Prism's static answer without a document example ignores `pattern`, and its own --errors "
        "check refuses it",
        None,
        r"response\.body\.id: Response body property id must match pattern",
    ),
    (
        "Prism leaves a schema that refers to itself without its required properties, in its "
        "static and its schema-made answers",
        "dynamic=true",
        # Prism's schema-made answer is random: how deep the node without `id` is varies.
        r"response\.body(\.parent)+: Response body property (parent\.)*parent must have required "
        r"property 'id'",
    ),
]


def prism_cases(prism):
    """Starts Prism on PRISM_DOCUMENT on a loopback port; what each case's answer says."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "repro.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(PRISM_DOCUMENT, f)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [prism, "mock", "--errors", "-h", "127.0.0.1", "-p", str(port), path],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.time() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.time() > deadline:
                        raise SystemExit("Prism did not start on the reproduction")
                    time.sleep(0.2)
            for what, prefer, expected in PRISM_CASES:
                # A schema-made answer is random: up to five answers are asked for.
                for _ in range(5):
                    found = prism_violations(port, prefer)
                    reproduced = any(re.match(expected, f) for f in found)
                    if reproduced:
                        break
                yield what, reproduced, "; ".join(found)[:200]
        finally:
            server.kill()
            server.wait()


def prism_violations(port, prefer):
    """What Prism's own --errors check says of its answer to GET /nodes, one line a violation."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/nodes")
    if prefer:
        request.add_header("Prefer", prefer)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            said = answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as answer:
        said = answer.read().decode("utf-8", "replace")
    problem = json.loads(said) if said.startswith("{") else {}
    return [
        f"{'.'.join(v.get('location', []))}: {v.get('message', '')}"
        for v in problem.get("validation", [])
    ]


def main():
    fixed = 0
    for what, doc, request in CASES:
        try:
            OpenAPI.from_dict(doc).validate_request(request)
            print(f"no longer reproduces (openapi-core accepts it now): {what}")
            fixed += 1
        except Exception as error:
            print(f"reproduced: {what}: {type(error).__name__}: {str(error)[:160]}")
    prism = os.environ.get("PRISM")
    if prism:
        for what, reproduced, said in prism_cases(prism):
            if reproduced:
                print(f"reproduced: {what}: {said}")
            else:
                print(f"no longer reproduces: {what}: {said or 'no violation'}")
                fixed += 1
    sys.exit(1 if fixed else 0)


if __name__ == "__main__":
    main()
