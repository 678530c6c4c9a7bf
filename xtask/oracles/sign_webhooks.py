"""Signs webhook requests with the vendors' and the specification's own libraries, for
`cargo xtask webhook-vectors`: Standard Webhooks (the `standardwebhooks` package for HMAC;
`cryptography`'s Ed25519 for `v1a`, as the specification lays it out), Stripe (`stripe`'s
`WebhookSignature.generate_signature_header`) and Twilio (`twilio`'s `RequestValidator`). Each
request is checked by the same library before it is written. Fresh secrets and ids every run.

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


def twilio_form():
    token = secrets.token_hex(16)
    url = "https://hooks.example.com/sms/inbound?tenant=7"
    params = {
        "MessageSid": "SM" + secrets.token_hex(16),
        "From": "+15555550123",
        "To": "+15555550100",
        "Body": "Is my parcel on its way? Ünïcode too",
        "NumMedia": "0",
    }
    validator = RequestValidator(token)
    signature = validator.compute_signature(url, params)
    assert validator.validate(url, params, signature)
    return {
        "scheme": "twilio",
        "secret": token,
        "url": url,
        "headers": {
            "x-twilio-signature": signature,
            "content-type": "application/x-www-form-urlencoded",
        },
        "body": urlencode(params),
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
    cases = [standard_hmac(), standard_ed25519(), stripe_style(), twilio_form(), twilio_json()]
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
