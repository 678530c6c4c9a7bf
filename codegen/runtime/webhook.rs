//! Webhooks (cargo feature `webhooks`): checking that a request came from the vendor before it is
//! read. A [`Verifier`] holds one signature scheme and its secrets (several at once, for
//! rotation), a replay window on timestamps, and a body size limit:
//!
//! - [Standard Webhooks](https://www.standardwebhooks.com/): `webhook-id`, `webhook-timestamp` and
//!   `webhook-signature` (`v1,` HMAC-SHA256 with `whsec_` secrets, `v1a,` Ed25519 with `whpk_`
//!   public keys), and ids already seen in the window refused;
//! - Stripe-style `Stripe-Signature: t=…,v1=…` (HMAC-SHA256 of `t.body`, hex);
//! - Twilio's `X-Twilio-Signature` (HMAC-SHA1 of the full URL and the sorted form parameters,
//!   base64; a JSON body is held to the URL's `bodySHA256`);
//! - an HMAC of the body in a header of your naming ([`HmacBody`]).
//!
//! The cryptography is RustCrypto's (`hmac`, `sha1`, `sha2`) and `ed25519-dalek`, and every
//! comparison of signatures is theirs, in constant time. A [`WebhookError`] never holds a secret
//! or a signature.
//!
//! This file is written by the generator, like every other file of the crate.

use base64::Engine;
use hmac::{Hmac, Mac};
use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// Why a webhook request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// A header the scheme needs is not there.
    MissingHeader(&'static str),
    /// A header is there but not in the scheme's form (what is wrong, never its value).
    Malformed(&'static str),
    /// No signature matches the body with any of the secrets.
    BadSignature,
    /// The timestamp is further from now than the window allows.
    Stale {
        /// Seconds between the timestamp and now (negative: in the future).
        age: i64,
    },
    /// A message with this id was verified already within the window.
    Replayed {
        /// The message id.
        id: String,
    },
    /// The body is larger than the verifier takes.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// A secret or key given to the verifier is not in its form (which one, never its value).
    BadSecret(&'static str),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingHeader(name) => write!(f, "the webhook has no `{name}` header"),
            WebhookError::Malformed(what) => write!(f, "the webhook's {what}"),
            WebhookError::BadSignature => {
                write!(f, "no signature of the webhook matches its body")
            }
            WebhookError::Stale { age } => write!(
                f,
                "the webhook's timestamp is {} s {} now, outside the replay window",
                age.unsigned_abs(),
                if *age < 0 { "after" } else { "before" }
            ),
            WebhookError::Replayed { id } => {
                write!(f, "the webhook `{id}` was received already")
            }
            WebhookError::TooLarge { limit } => {
                write!(f, "the webhook's body is over {limit} bytes")
            }
            WebhookError::BadSecret(what) => write!(f, "invalid webhook {what}"),
        }
    }
}

impl std::error::Error for WebhookError {}

/// A hash function of an HMAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// HMAC-SHA1.
    Sha1,
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA512.
    Sha512,
}

/// How a signature is written in its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Hexadecimal digits (either case).
    Hex,
    /// Standard base64.
    Base64,
}

/// An HMAC of the raw body in one header, as many vendors sign: the header's name, the hash,
/// how the signature is written, and a prefix before it (`sha256=`), if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HmacBody {
    /// The header (`X-Hub-Signature-256`).
    pub header: String,
    /// The hash.
    pub algorithm: Algorithm,
    /// How the signature is written.
    pub encoding: Encoding,
    /// Text before the signature (`sha256=`).
    pub prefix: Option<String>,
}

enum Key {
    Hmac(Vec<u8>),
    Ed25519(ed25519_dalek::VerifyingKey),
}

enum Scheme {
    StandardWebhooks,
    Stripe,
    Twilio,
    HmacBody(HmacBody),
}

/// What a verified request said about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The message id, where the scheme has one (Standard Webhooks' `webhook-id`).
    pub id: Option<String>,
    /// The signed timestamp (Unix seconds), where the scheme has one.
    pub timestamp: Option<i64>,
}

/// Checks webhook requests of one scheme against its secrets.
pub struct Verifier {
    scheme: Scheme,
    keys: Vec<Key>,
    window: Duration,
    max_body: usize,
    /// Ids verified within the window, with their timestamps.
    seen: Mutex<HashMap<String, i64>>,
}

impl fmt::Debug for Verifier {
    /// Secrets and keys are not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match &self.scheme {
            Scheme::StandardWebhooks => "Standard Webhooks".to_owned(),
            Scheme::Stripe => "Stripe".to_owned(),
            Scheme::Twilio => "Twilio".to_owned(),
            Scheme::HmacBody(h) => format!("HMAC of the body in `{}`", h.header),
        };
        f.debug_struct("Verifier")
            .field("scheme", &scheme)
            .field("keys", &self.keys.len())
            .field("window", &self.window)
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

/// Decodes base64 with or without its padding.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let unpadded = text.trim_end_matches('=');
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(unpadded)
        .ok()
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

impl Verifier {
    fn new(scheme: Scheme, keys: Vec<Key>) -> Result<Verifier, WebhookError> {
        if keys.is_empty() {
            return Err(WebhookError::BadSecret("secret: none given"));
        }
        Ok(Verifier {
            scheme,
            keys,
            window: Duration::from_secs(300),
            max_body: 1 << 20,
            seen: Mutex::new(HashMap::new()),
        })
    }

    /// Standard Webhooks, with any of `secrets`: `whsec_…` (base64, HMAC-SHA256) or `whpk_…`
    /// (an Ed25519 public key, base64).
    pub fn standard_webhooks(secrets: &[&str]) -> Result<Verifier, WebhookError> {
        let keys = secrets
            .iter()
            .map(|secret| {
                if let Some(public) = secret.strip_prefix("whpk_") {
                    let bytes: [u8; 32] = base64_decode(public)
                        .and_then(|b| b.try_into().ok())
                        .ok_or(WebhookError::BadSecret(
                            "public key: not 32 bytes of base64",
                        ))?;
                    let key = ed25519_dalek::VerifyingKey::from_bytes(&bytes)
                        .map_err(|_| WebhookError::BadSecret("public key: not an Ed25519 key"))?;
                    return Ok(Key::Ed25519(key));
                }
                let text = secret.strip_prefix("whsec_").unwrap_or(secret);
                match base64_decode(text) {
                    Some(bytes) if !bytes.is_empty() => Ok(Key::Hmac(bytes)),
                    _ => Err(WebhookError::BadSecret("secret: not base64")),
                }
            })
            .collect::<Result<Vec<Key>, WebhookError>>()?;
        Verifier::new(Scheme::StandardWebhooks, keys)
    }

    /// Stripe-style `Stripe-Signature: t=…,v1=…` headers, with any of `secrets` (used as
    /// they are, `whsec_` prefix included).
    pub fn stripe(secrets: &[&str]) -> Result<Verifier, WebhookError> {
        Verifier::new(Scheme::Stripe, hmac_keys(secrets)?)
    }

    /// Twilio's `X-Twilio-Signature`, with any of the account's auth tokens.
    pub fn twilio(auth_tokens: &[&str]) -> Result<Verifier, WebhookError> {
        Verifier::new(Scheme::Twilio, hmac_keys(auth_tokens)?)
    }

    /// An HMAC of the body in a header, with any of `secrets`.
    pub fn hmac_body(how: HmacBody, secrets: &[&str]) -> Result<Verifier, WebhookError> {
        Verifier::new(Scheme::HmacBody(how), hmac_keys(secrets)?)
    }

    /// How far a timestamp may be from now (five minutes by default).
    pub fn with_window(mut self, window: Duration) -> Verifier {
        self.window = window;
        self
    }

    /// The largest body taken, in bytes (1 MiB by default).
    pub fn with_max_body(mut self, bytes: usize) -> Verifier {
        self.max_body = bytes;
        self
    }

    /// Checks a request: `url` is the full URL the vendor requested (Twilio signs it; the other
    /// schemes do not read it), with its headers and body.
    pub fn verify(
        &self,
        url: &str,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<Verified, WebhookError> {
        self.verify_at(url, headers, body, SystemTime::now())
    }

    /// [`Verifier::verify`] as of `now`.
    pub fn verify_at(
        &self,
        url: &str,
        headers: &http::HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Verified, WebhookError> {
        if body.len() > self.max_body {
            return Err(WebhookError::TooLarge {
                limit: self.max_body,
            });
        }
        let now = match now.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(_) => 0,
        };
        match &self.scheme {
            Scheme::StandardWebhooks => self.standard(headers, body, now),
            Scheme::Stripe => self.stripe_style(headers, body, now),
            Scheme::Twilio => self.twilio_style(url, headers, body),
            Scheme::HmacBody(how) => self.body_hmac(how, headers, body),
        }
    }

    fn check_time(&self, timestamp: i64, now: i64) -> Result<(), WebhookError> {
        let age = now.saturating_sub(timestamp);
        let window = i64::try_from(self.window.as_secs()).unwrap_or(i64::MAX);
        if age.unsigned_abs() > window.unsigned_abs() {
            return Err(WebhookError::Stale { age });
        }
        Ok(())
    }

    fn standard(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        now: i64,
    ) -> Result<Verified, WebhookError> {
        let id = header(headers, "webhook-id")?;
        let timestamp = header(headers, "webhook-timestamp")?;
        let signatures = header(headers, "webhook-signature")?;
        let seconds: i64 = timestamp
            .trim()
            .parse()
            .map_err(|_| WebhookError::Malformed("`webhook-timestamp` is not whole seconds"))?;
        self.check_time(seconds, now)?;
        let mut signed = Vec::with_capacity(id.len() + timestamp.len() + body.len() + 2);
        signed.extend_from_slice(id.as_bytes());
        signed.push(b'.');
        signed.extend_from_slice(timestamp.trim().as_bytes());
        signed.push(b'.');
        signed.extend_from_slice(body);
        let matched = signatures.split(' ').any(|entry| {
            let Some((version, signature)) = entry.split_once(',') else {
                return false;
            };
            let Some(signature) = base64_decode(signature) else {
                return false;
            };
            self.keys.iter().any(|key| match (version, key) {
                ("v1", Key::Hmac(secret)) => {
                    hmac_matches(Algorithm::Sha256, secret, &signed, &signature)
                }
                ("v1a", Key::Ed25519(public)) => ed25519_dalek::Signature::from_slice(&signature)
                    .is_ok_and(|s| public.verify_strict(&signed, &s).is_ok()),
                _ => false,
            })
        });
        if !matched {
            return Err(WebhookError::BadSignature);
        }
        self.remember(id, seconds, now)?;
        Ok(Verified {
            id: Some(id.to_owned()),
            timestamp: Some(seconds),
        })
    }

    /// Refuses an id verified before within the window, and remembers this one.
    fn remember(&self, id: &str, timestamp: i64, now: i64) -> Result<(), WebhookError> {
        let window = i64::try_from(self.window.as_secs()).unwrap_or(i64::MAX);
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.retain(|_, at| now.saturating_sub(*at) <= window);
        if seen.contains_key(id) {
            return Err(WebhookError::Replayed { id: id.to_owned() });
        }
        seen.insert(id.to_owned(), timestamp);
        Ok(())
    }

    fn stripe_style(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        now: i64,
    ) -> Result<Verified, WebhookError> {
        let value = header(headers, "stripe-signature")?;
        let mut timestamp = None;
        let mut signatures = Vec::new();
        for item in value.split(',') {
            match item.trim().split_once('=') {
                Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
                Some(("v1", signature)) => signatures.extend(hex_decode(signature)),
                _ => {}
            }
        }
        let timestamp = timestamp.ok_or(WebhookError::Malformed(
            "`Stripe-Signature` has no timestamp `t=`",
        ))?;
        self.check_time(timestamp, now)?;
        let mut signed = format!("{timestamp}.").into_bytes();
        signed.extend_from_slice(body);
        self.any_hmac(Algorithm::Sha256, &signed, &signatures)?;
        Ok(Verified {
            id: None,
            timestamp: Some(timestamp),
        })
    }

    fn twilio_style(
        &self,
        url: &str,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<Verified, WebhookError> {
        let signature = base64_decode(header(headers, "x-twilio-signature")?).ok_or(
            WebhookError::Malformed("`X-Twilio-Signature` is not base64"),
        )?;
        let form = headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let mut signed = url.to_owned();
        if form {
            // Each name once, in order, then each of its values once, in order.
            let mut params: Vec<(String, String)> = form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            params.sort();
            params.dedup();
            for (name, value) in params {
                signed.push_str(&name);
                signed.push_str(&value);
            }
        } else if let Some(hash) = url
            .split_once('?')
            .and_then(|(_, query)| {
                form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "bodySHA256")
            })
            .map(|(_, v)| v.into_owned())
        {
            // A JSON body: the URL is signed, and carries the body's SHA-256.
            use sha2::Digest;
            let digest = sha2::Sha256::digest(body);
            let expected = hex_decode(&hash)
                .ok_or(WebhookError::Malformed("`bodySHA256` is not hexadecimal"))?;
            if expected.as_slice() != digest.as_slice() {
                return Err(WebhookError::BadSignature);
            }
        }
        self.any_hmac(Algorithm::Sha1, signed.as_bytes(), &[signature])?;
        Ok(Verified {
            id: None,
            timestamp: None,
        })
    }

    fn body_hmac(
        &self,
        how: &HmacBody,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<Verified, WebhookError> {
        let value = headers
            .get(how.header.as_str())
            .ok_or(WebhookError::MissingHeader("the signature header"))?
            .to_str()
            .map_err(|_| WebhookError::Malformed("signature header is not text"))?
            .trim();
        let value = match &how.prefix {
            Some(prefix) => value
                .strip_prefix(prefix.as_str())
                .ok_or(WebhookError::Malformed("signature lacks its prefix"))?,
            None => value,
        };
        let signature = match how.encoding {
            Encoding::Hex => hex_decode(value),
            Encoding::Base64 => base64_decode(value),
        }
        .ok_or(WebhookError::Malformed("signature is not in its encoding"))?;
        self.any_hmac(how.algorithm, body, &[signature])?;
        Ok(Verified {
            id: None,
            timestamp: None,
        })
    }

    /// Whether one of `signatures` is the HMAC of `signed` with one of the secrets.
    fn any_hmac(
        &self,
        algorithm: Algorithm,
        signed: &[u8],
        signatures: &[Vec<u8>],
    ) -> Result<(), WebhookError> {
        let matched = self.keys.iter().any(|key| match key {
            Key::Hmac(secret) => signatures
                .iter()
                .any(|s| hmac_matches(algorithm, secret, signed, s)),
            Key::Ed25519(_) => false,
        });
        if matched {
            Ok(())
        } else {
            Err(WebhookError::BadSignature)
        }
    }
}

fn hmac_keys(secrets: &[&str]) -> Result<Vec<Key>, WebhookError> {
    secrets
        .iter()
        .map(|s| match s.is_empty() {
            true => Err(WebhookError::BadSecret("secret: empty")),
            false => Ok(Key::Hmac(s.as_bytes().to_vec())),
        })
        .collect()
}

/// Whether `signature` is the HMAC of `signed` with `secret` (compared in constant time).
fn hmac_matches(algorithm: Algorithm, secret: &[u8], signed: &[u8], signature: &[u8]) -> bool {
    fn check<M: Mac + hmac::digest::KeyInit>(
        secret: &[u8],
        signed: &[u8],
        signature: &[u8],
    ) -> bool {
        match <M as hmac::digest::KeyInit>::new_from_slice(secret) {
            Ok(mut mac) => {
                mac.update(signed);
                mac.verify_slice(signature).is_ok()
            }
            Err(_) => false,
        }
    }
    match algorithm {
        Algorithm::Sha1 => check::<Hmac<sha1::Sha1>>(secret, signed, signature),
        Algorithm::Sha256 => check::<Hmac<sha2::Sha256>>(secret, signed, signature),
        Algorithm::Sha512 => check::<Hmac<sha2::Sha512>>(secret, signed, signature),
    }
}

fn header<'h>(headers: &'h http::HeaderMap, name: &'static str) -> Result<&'h str, WebhookError> {
    headers
        .get(name)
        .ok_or(WebhookError::MissingHeader(name))?
        .to_str()
        .map_err(|_| WebhookError::Malformed("header is not text"))
}
