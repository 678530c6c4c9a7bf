"""Signs webhook requests with the vendors' and the specification's own libraries, for
`cargo xtask webhook-vectors`: Standard Webhooks (the `standardwebhooks` package for HMAC; for
`v1a`, which that package does not sign, `cryptography`'s Ed25519 over the content this script
lays out as the specification says), Stripe (`stripe`'s
`WebhookSignature.generate_signature_header`) and Twilio (`twilio`'s `RequestValidator`, with
repeated form names, the URL's port, and a shared key's HMAC-SHA256). Each request is checked by
the same library before it is written. Fresh secrets and ids every run.

Usage: python3 sign_webhooks.py OUT.json
"""

import base64
import json
import secrets
import sys
import time
from datetime import datetime, timezone
from importlib.metadata import version
from urllib.parse import urlencode

import standardwebhooks
import stripe
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from twilio.request_validator import RequestValidator

NOW = int(time.time())
INBOUND = json.dumps(
    {
        "type": "message.received",
        "accountId": "acc_123",
        "data": {
            "id": "msg_" + secrets.token_hex(6),
            "conversation": {"id": "conv_9"},
            "contact": {"mobile": {"number": "+15555550123"}},
            "message": "Is my parcel on its way? Ünïcode too",
            "created": "2024-05-15T10:00:00Z",
        },
    },
    ensure_ascii=False,
)


def standard_hmac():
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    msg_id = "msg_" + secrets.token_hex(8)
    signature = standardwebhooks.Webhook(secret).sign(
        msg_id, datetime.fromtimestamp(NOW, tz=timezone.utc), INBOUND
    )
    headers = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(NOW),
        "webhook-signature": signature,
        "content-type": "application/json",
    }
    standardwebhooks.Webhook(secret).verify(INBOUND, headers)
    return {"scheme": "standard-webhooks", "secret": secret, "headers": headers}


def standard_ed25519():
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    msg_id = "msg_" + secrets.token_hex(8)
    signed = f"{msg_id}.{NOW}.{INBOUND}".encode()
    signature = base64.b64encode(private.sign(signed)).decode()
    private.public_key().verify(base64.b64decode(signature), signed)
    headers = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(NOW),
        "webhook-signature": "v1a," + signature,
        "content-type": "application/json",
    }
    return {
        "scheme": "standard-webhooks",
        "secret": "whpk_" + base64.b64encode(public).decode(),
        "headers": headers,
    }


def stripe_style():
    secret = "whsec_" + secrets.token_hex(16)
    header = stripe.WebhookSignature.generate_signature_header(INBOUND, secret, NOW)
    stripe.WebhookSignature.verify_header(INBOUND, header, secret, tolerance=None)
    return {
        "scheme": "stripe",
        "secret": secret,
        "headers": {"stripe-signature": header, "content-type": "application/json"},
    }


class FormParams:
    """Form parameters with repeated names, as a web framework's MultiDict hands them to
    `RequestValidator` (which reads `getlist`)."""

    def __init__(self, pairs):
        self.pairs = pairs

    def __iter__(self):
        return iter(name for name, _ in self.pairs)

    def getlist(self, name):
        return [value for n, value in self.pairs if n == name]


def twilio_form(algorithm=None):
    token = secrets.token_hex(16)
    # Twilio signs the URL with or without its port; the receiver sees it without.
    signed_url = "https://hooks.example.com:443/sms/inbound?tenant=7"
    url = "https://hooks.example.com/sms/inbound?tenant=7"
    pairs = [
        ("MessageSid", "SM" + secrets.token_hex(16)),
        ("From", "+15555550123"),
        ("To", "+15555550100"),
        ("Body", "Is my parcel on its way? Ünïcode too"),
        ("NumMedia", "2"),
        ("MediaUrl", "https://media.example.com/b.jpg"),
        ("MediaUrl", "https://media.example.com/a.jpg"),
        ("Tag", "x"),
        ("Tag", "x"),
    ]
    validator = RequestValidator(token)
    signature = validator.compute_signature(signed_url, FormParams(pairs), algorithm)
    assert validator.validate(url, FormParams(pairs), signature, algorithm)
    headers = {
        "x-twilio-signature": signature,
        "content-type": "application/x-www-form-urlencoded",
    }
    if algorithm:
        headers["x-twilio-webhooks-signature-settings"] = (
            "key=webhooks_sharedkey_test,algorithm=" + algorithm
        )
    return {
        "scheme": "twilio",
        "secret": token,
        "url": url,
        "headers": headers,
        "body": urlencode(pairs),
    }


def twilio_json():
    token = secrets.token_hex(16)
    validator = RequestValidator(token)
    url = "https://hooks.example.com/events?bodySHA256=" + validator.compute_hash(INBOUND)
    signature = validator.compute_signature(url, {})
    assert validator.validate(url, INBOUND, signature)
    return {
        "scheme": "twilio",
        "secret": token,
        "url": url,
        "headers": {"x-twilio-signature": signature, "content-type": "application/json"},
    }


def main():
    cases = [
        standard_hmac(),
        standard_ed25519(),
        stripe_style(),
        twilio_form(),
        twilio_form("HMAC_SHA256"),
        twilio_json(),
    ]
    for case in cases:
        case.setdefault("url", "https://hooks.example.com/webhooks")
        case.setdefault("body", INBOUND)
        case["now"] = NOW
    out = {
        "regenerate": "cargo xtask webhook-vectors --write",
        "signed_by": {
            name: version(name) for name in ["standardwebhooks", "stripe", "twilio", "cryptography"]
        },
        "cases": cases,
    }
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        json.dump(out, f, indent=2, ensure_ascii=False)
        f.write("\n")


main()
