"""Small reproductions of the openapi-core defects `cargo xtask wire-check` counts as validator
disagreements (README, "Every operation on the wire"). Each case is a one-operation document and
a request valid for it by the OpenAPI specification; openapi-core fails on each. Run by
`cargo xtask wire-check --validator-defects`, which fails once a case no longer reproduces (a
newer openapi-core fixed it), so that the README's list stays true.
"""

import sys
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


def main():
    fixed = 0
    for what, doc, request in CASES:
        try:
            OpenAPI.from_dict(doc).validate_request(request)
            print(f"no longer reproduces (openapi-core accepts it now): {what}")
            fixed += 1
        except Exception as error:
            print(f"reproduced: {what}: {type(error).__name__}: {str(error)[:160]}")
    sys.exit(1 if fixed else 0)


if __name__ == "__main__":
    main()
