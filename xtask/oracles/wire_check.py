"""The independent half of `cargo xtask wire-check`: openapi-core validates the requests the
generated crate built, and the answers Prism gives to them, against the API description.

  wire_check.py requests IN.jsonl OUT.jsonl
      one line out per request in: {"valid": bool, "errors": [str]}
  wire_check.py samples SAMPLES.jsonl OUT.jsonl
      openapi-core's verdict on each answer the generator sampled from a documented schema (the
      requests are read from requests.jsonl beside SAMPLES.jsonl)
  wire_check.py exchange IN.jsonl OUT.jsonl --spec FILE --port N --seed S
      sends every request of IN whose spec is FILE to the Prism mock server on 127.0.0.1:N:
      as it is (Prism answers with the document's example), with `Prefer: dynamic=true`
      (an answer made from the schema, Prism started with --seed S), and with
      `Prefer: code=C` for each other documented status; one line out per answer, openapi-core's
      verdict on it included

A request line holds: operation, fill, spec (the OpenAPI file), base (the server URL), path (the
operation's path template), statuses
(the documented statuses that are codes), method, url, headers ([name, value] pairs), body
(text), and, when the request could not be built, error.
"""

import json
import sys
import urllib.error
import urllib.parse
import urllib.request
import warnings

# openapi-core says once per document that it cannot check an OAuth 2.0 scheme; the README says it.
warnings.filterwarnings("ignore", message="Unsupported scheme type")

import yaml
from openapi_core import Config, OpenAPI
from openapi_core.casting.schemas.exceptions import CastError
from openapi_core.deserializing.exceptions import DeserializeError
from openapi_core.exceptions import OpenAPIError
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_core.testing import MockRequest, MockResponse

_specs = {}


def spec(path):
    """The document at `path`, read once. Not checked as a whole: real documents have defects
    (Chatwoot's names a path parameter its template lacks) that say nothing of one request."""
    if path not in _specs:
        try:
            # JSON under a vendor's name (`application/vnd.textus+jsonld`) is read as JSON.
            extra = {media: json.loads for media in json_media_types(raw_document(path))}
            config = Config(spec_validator_cls=None, extra_media_type_deserializers=extra)
            _specs[path] = OpenAPI.from_file_path(path, config=config)
        except Exception as error:
            _specs[path] = error
    found = _specs[path]
    if isinstance(found, Exception):
        raise found
    return found


def json_media_types(value):
    """Every media type under a `content` of the document whose name says JSON but is not one
    openapi-core knows."""
    found = set()
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            content = current.get("content")
            if isinstance(content, dict):
                found.update(m for m in content if "json" in m and m != "application/json")
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return found


def header(headers, name):
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def mock_request(line):
    url = urllib.parse.urlsplit(line["url"])
    headers = {}
    for key, value in line["headers"]:
        headers[key] = value
    cookies = {}
    cookie = header(line["headers"], "cookie")
    if cookie:
        for pair in cookie.split(";"):
            name, _, value = pair.strip().partition("=")
            cookies[urllib.parse.unquote(name)] = urllib.parse.unquote(value)
    content_type = header(line["headers"], "content-type") or ""
    return MockRequest(
        host_url=f"{url.scheme}://{url.netloc}",
        method=line["method"],
        path=url.path,
        args=urllib.parse.parse_qsl(url.query, keep_blank_values=True),
        headers=headers,
        cookies=cookies,
        data=line["body"].encode("utf-8") if line["body"] else None,
        content_type=content_type,
    )


def shorten(text, limit=240):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def errors_of(error):
    """What a validation error says: the innermost schema errors with their paths, else its own
    message, each shortened (openapi-core's messages quote the whole value)."""
    found = []
    stack = [error]
    while stack and len(found) < 6:
        current = stack.pop()
        inner = list(getattr(current, "schema_errors", None) or [])
        inner += list(getattr(current, "errors", None) or [])
        if current.__cause__ is not None and current.__cause__ is not current:
            inner.append(current.__cause__)
        if inner:
            stack.extend(reversed(inner))
            continue
        message = getattr(current, "message", None) or str(current)
        path = "/".join(str(p) for p in getattr(current, "absolute_path", []) or [])
        found.append(shorten(f"{path}: {message}" if path else f"{type(current).__name__}: {message}"))
    return found or [shorten(f"{type(error).__name__}: {error}")]


_document_errors = {}


def document_errors(path):
    """What openapi-spec-validator finds wrong in the document as a whole (read once, when a
    request is found invalid: on a large document it takes a while)."""
    if path not in _document_errors:
        found = []
        try:
            with open(path, encoding="utf-8") as f:
                document = yaml.safe_load(f)
            validator = OpenAPIV31SpecValidator if str(document.get("openapi", "")).startswith("3.1") else OpenAPIV30SpecValidator
            for error in validator(document, base_uri=f"file://{path}").iter_errors():
                found.append(shorten(getattr(error, "message", None) or str(error), 400))
                if len(found) > 200:
                    break
        except Exception as error:
            found.append(shorten(f"{type(error).__name__}: {error}"))
        _document_errors[path] = found
    return _document_errors[path]


def causes(error):
    seen = []
    while error is not None and error not in seen:
        seen.append(error)
        error = error.__cause__ or error.__context__
    return seen


def deep_object_beyond_the_specification(error, line):
    """openapi-core could not read a `deepObject` value: one the request leaves out (it fails on
    an absent optional one), or one that nests an object or an array (`a[b][c]=…`, `a[]=…`, as
    Stripe's documents use), which OpenAPI defines `deepObject` for an object of plain values
    only, so no validator can judge it against the specification."""
    chain = causes(error)
    encoded = urllib.parse.unquote(line["url"].partition("?")[2] + "&" + line["body"])
    nested = [p.split("=", 1)[0] for p in encoded.split("&") if p.split("=", 1)[0].count("[") > 1]
    if nested and any(isinstance(c, CastError) for c in chain):
        return (
            f"openapi-core reads `{nested[0]}` as a plain value: a deepObject that nests an object "
            "or an array, which OpenAPI leaves undefined for deepObject"
        )
    for cause in chain:
        if not isinstance(cause, DeserializeError) or len(cause.args) < 2:
            continue
        style, name = cause.args[0], cause.args[1]
        if style != "deepObject":
            continue
        encoded = urllib.parse.unquote(line["url"].partition("?")[2] + "&" + line["body"])
        pairs = [pair.split("=", 1)[0] for pair in encoded.split("&")]
        if not any(pair == name or pair.startswith(f"{name}[") for pair in pairs):
            return (
                f"openapi-core fails on the optional deepObject parameter `{name}` (an array or a "
                "union), which the request leaves out"
            )
        if f"{name}[]" in encoded or any(
            pair.startswith(f"{name}[") and pair.split("=", 1)[0].count("[") > 1
            for pair in encoded.split("&")
        ):
            return (
                f"openapi-core cannot read `{name}` in the deepObject style: it nests an object "
                "or an array, which OpenAPI leaves undefined for deepObject"
            )
        sent = "&".join(p for p in encoded.split("&") if p.startswith(f"{name}["))
        return (
            f"openapi-core cannot read `{name}` in the deepObject style, sent as `{shorten(sent, 120)}` "
            "(its schema is a union, which openapi-core's deepObject reader does not take)"
        )
    return None


def validate_request(line):
    if line.get("error"):
        return {"valid": False, "errors": [f"not built: {line['error']}"]}
    try:
        spec(line["spec"]).validate_request(mock_request(line))
        return {"valid": True, "errors": []}
    except OpenAPIError as error:
        undefined = deep_object_beyond_the_specification(error, line)
        if undefined:
            return {"valid": None, "validator_failed": [undefined], "errors": []}
        errors = errors_of(error)
    except Exception as error:
        # Not a verdict: openapi-core itself failed on this request (a defect of the validator).
        return {"valid": None, "validator_failed": errors_of(error), "errors": []}
    verdict = {"valid": False, "errors": errors}
    # Where the document itself makes a valid request impossible, it is the document's defect:
    # a schema that allows no value, or an operation the spec validator finds broken.
    defects = [e for e in errors if e.endswith("is not one of []")]
    operation = f"for '{line['method'].lower()}' operation in '{line['path']}'"
    defects += [e for e in document_errors(line["spec"]) if operation in e]
    if defects:
        verdict["document_defect"] = defects
    return verdict


def validate_answer(line, status, headers, body):
    content_type = headers.get("content-type", "")
    response = MockResponse(
        body, status_code=status, headers=headers, content_type=content_type.split(";")[0]
    )
    try:
        spec(line["spec"]).validate_response(mock_request(line), response)
        return True, []
    except Exception as error:
        return False, errors_of(error)


def send(line, port, prefer):
    url = urllib.parse.urlsplit(line["url"])
    base_path = urllib.parse.urlsplit(line["base"]).path.rstrip("/")
    path = url.path[len(base_path):] if base_path and url.path.startswith(base_path) else url.path
    target = f"http://127.0.0.1:{port}{path}" + (f"?{url.query}" if url.query else "")
    headers = {k: v for k, v in line["headers"]}
    if prefer:
        headers["Prefer"] = prefer
    data = line["body"].encode("utf-8") if line["body"] else None
    request = urllib.request.Request(target, data=data, method=line["method"], headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, dict(answer.headers.items()), answer.read()
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers.items()), answer.read()


def exchange(lines, out, spec_path, port, seed):
    for index, line in enumerate(lines):
        if line["spec"] != spec_path or line.get("error"):
            continue
        success = [s for s in line["statuses"] if s.startswith("2")]
        variants = [("example", None, success[0] if success else None)]
        variants.append((f"dynamic, seed {seed}", "dynamic=true", success[0] if success else None))
        for status in line["statuses"]:
            if success and status == success[0]:
                continue
            variants.append((f"status {status}", f"code={status}", status))
        for variant, prefer, asked in variants:
            try:
                status, headers, body = send(line, port, prefer)
            except Exception as error:
                record = {
                    "request": index,
                    "operation": line["operation"],
                    "variant": variant,
                    "transport": str(error),
                }
                out.write(json.dumps(record) + "\n")
                continue
            headers = {k.lower(): v for k, v in headers.items()}
            record = {
                "request": index,
                "operation": line["operation"],
                "variant": variant,
                "asked": asked,
                "status": status,
                "headers": sorted(headers.items()),
                "body": body.decode("utf-8", errors="replace"),
            }
            problem = prism_problem(status, headers, body)
            if problem and status == 422 and asked != "422":
                record["prism_refused"] = problem["violations"]
            elif problem and status == 500 and problem["kind"] == "VIOLATIONS":
                # With --errors, Prism checks its own answer against the schema: the document's
                # example contradicts it, or what Prism made without one does.
                wanted = asked or "200"
                given = prefer != "dynamic=true" and has_example(line, wanted)
                key = "document_example_invalid" if given else "prism_made_invalid"
                record[key] = problem["violations"]
            elif problem and status == 500:
                record["prism_failed"] = problem["violations"]
            else:
                valid, errors = validate_answer(line, status, headers, body)
                record["answer_valid"] = valid
                record["answer_errors"] = errors
            out.write(json.dumps(record) + "\n")


_raw = {}


def raw_document(path):
    if path not in _raw:
        with open(path, encoding="utf-8") as f:
            _raw[path] = yaml.safe_load(f)
    return _raw[path]


def local(document, value):
    """`value`, or what its local `$ref` points to."""
    for _ in range(16):
        if not isinstance(value, dict) or not str(value.get("$ref", "")).startswith("#/"):
            return value
        target = document
        for token in value["$ref"][2:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            target = target.get(token, {}) if isinstance(target, dict) else {}
        value = target
    return value


def has_example(line, status):
    """Whether the document gives an example of the operation's answer of that status (the one
    Prism answers with by default)."""
    document = raw_document(line["spec"])
    item = local(document, document.get("paths", {}).get(line["path"], {}))
    responses = local(document, item.get(line["method"].lower(), {})).get("responses", {})
    response = local(document, responses.get(status) or responses.get(int(status), {}) or {})
    for media in (response.get("content") or {}).values():
        if "example" in media or "examples" in media:
            return True
    return False


def answer_media(line, status):
    """The media type a JSON answer of that status is documented in (`application/json` if
    none says `json`)."""
    document = raw_document(line["spec"])
    item = local(document, document.get("paths", {}).get(line["path"], {}))
    responses = local(document, item.get(line["method"].lower(), {})).get("responses", {})
    response = local(document, responses.get(status) or responses.get(f"{status[0]}XX") or {})
    for media in response.get("content") or {}:
        if "json" in media:
            return media
    return "application/json"


def samples(lines, sampled, out):
    """Judges each sampled answer (an example the generator made from the answer's schema)."""
    for sample in sampled:
        line = lines[sample["request"]]
        status = int(sample["status"])
        media = answer_media(line, sample["status"])
        headers = {"content-type": media}
        body = sample["body"].encode("utf-8")
        valid, errors = validate_answer(line, status, headers, body)
        record = {
            "request": sample["request"],
            "operation": sample["operation"],
            "variant": "sampled",
            "asked": sample["status"],
            "status": status,
            "headers": sorted(headers.items()),
            "body": sample["body"],
            "answer_valid": valid,
            "answer_errors": errors,
        }
        out.write(json.dumps(record) + "\n")


def prism_problem(status, headers, body):
    """Prism's own problem answer (`application/problem+json` with a type under its errors page):
    its kind and what it names, or None for an answer made from the document."""
    if status not in (422, 500) or "problem+json" not in headers.get("content-type", ""):
        return None
    try:
        problem = json.loads(body)
    except ValueError:
        return None
    kind = str(problem.get("type", "")).rsplit("#", 1)[-1]
    found = problem.get("validation") or []
    messages = [
        shorten(f"{'.'.join(str(p) for p in v.get('location', []))}: {v.get('message', '')}")
        for v in found
    ]
    title = str(problem.get("title") or problem.get("detail") or "refused").splitlines()[0]
    return {"kind": kind, "violations": messages[:6] or [shorten(title)]}


def main(argv):
    command, source, target = argv[1], argv[2], argv[3]
    with open(source, encoding="utf-8") as f:
        lines = [json.loads(l) for l in f if l.strip()]
    with open(target, "w", encoding="utf-8") as out:
        if command == "requests":
            for line in lines:
                out.write(json.dumps(validate_request(line)) + "\n")
        elif command == "samples":
            requests = source.replace("samples.jsonl", "requests.jsonl")
            with open(requests, encoding="utf-8") as f:
                built = [json.loads(l) for l in f if l.strip()]
            samples(built, lines, out)
        elif command == "exchange":
            options = dict(zip(argv[4::2], argv[5::2]))
            exchange(lines, out, options["--spec"], int(options["--port"]), options["--seed"])
        else:
            raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv)
