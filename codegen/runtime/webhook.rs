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

use crate::event::EventError;
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

/// A verified request's event, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Received<E> {
    /// The event.
    pub event: E,
    /// What the request said about itself.
    pub verified: Verified,
}

/// Why a webhook request was not received.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReceiveError {
    /// The request failed verification: nothing of it was read.
    Refused(WebhookError),
    /// The request is verified, and its payload does not decode as its event.
    Undecodable(EventError),
}

impl fmt::Display for ReceiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiveError::Refused(e) => write!(f, "refused: {e}"),
            ReceiveError::Undecodable(e) => write!(f, "verified, but {e}"),
        }
    }
}

impl std::error::Error for ReceiveError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReceiveError::Refused(e) => Some(e),
            ReceiveError::Undecodable(e) => Some(e),
        }
    }
}

/// Checks webhook requests of one scheme against its secrets.
pub struct Verifier {
    scheme: Scheme,
    keys: Vec<Key>,
    window: Duration,
    max_body: usize,
    /// The scheme and host the vendor requests, when the server sees another.
    public_url: Option<String>,
    /// The messages (id and timestamp) verified within the window.
    seen: Mutex<HashMap<(String, i64), ()>>,
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

/// Decodes standard base64, with or without its padding.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let config = base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent);
    base64::engine::GeneralPurpose::new(&base64::alphabet::STANDARD, config)
        .decode(text)
        .ok()
}

/// Decodes hexadecimal digits (either case), two a byte, nothing else.
fn hex_decode(text: &str) -> Option<Vec<u8>> {
    let digit = |b: u8| (b as char).to_digit(16);
    let bytes = text.as_bytes();
    if bytes.len() % 2 != 0 {
        return None;
    }
    bytes
        .chunks(2)
        .map(|pair| Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8))
        .collect()
}

/// The most signatures one request may offer: each is compared, and a sender has one per
/// secret it is rotating through.
const MAX_SIGNATURES: usize = 16;

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
            public_url: None,
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

    /// Verifies a request, then reads its event with `decode`: a module's
    /// `webhooks::Event::from_body`, or `|headers, body| Event::decode(kind, headers, body)`
    /// when the URL tells the event. Nothing is decoded from a request that fails verification.
    pub fn receive<E>(
        &self,
        url: &str,
        headers: &http::HeaderMap,
        body: &[u8],
        decode: impl FnOnce(&http::HeaderMap, &[u8]) -> Result<E, EventError>,
    ) -> Result<Received<E>, ReceiveError> {
        self.receive_at(url, headers, body, SystemTime::now(), decode)
    }

    /// [`Verifier::receive`] as of `now`.
    pub fn receive_at<E>(
        &self,
        url: &str,
        headers: &http::HeaderMap,
        body: &[u8],
        now: SystemTime,
        decode: impl FnOnce(&http::HeaderMap, &[u8]) -> Result<E, EventError>,
    ) -> Result<Received<E>, ReceiveError> {
        let verified = self
            .verify_at(url, headers, body, now)
            .map_err(ReceiveError::Refused)?;
        let event = decode(headers, body).map_err(ReceiveError::Undecodable)?;
        Ok(Received { event, verified })
    }

    /// [`Verifier::receive`] of a request whose body is in memory; `url` is the full URL the
    /// vendor requested (the request's own URI is only the path a server sees).
    pub fn receive_request<B: AsRef<[u8]>, E>(
        &self,
        url: &str,
        request: &http::Request<B>,
        decode: impl FnOnce(&http::HeaderMap, &[u8]) -> Result<E, EventError>,
    ) -> Result<Received<E>, ReceiveError> {
        self.receive(url, request.headers(), request.body().as_ref(), decode)
    }

    /// The largest body taken, in bytes.
    pub fn max_body(&self) -> usize {
        self.max_body
    }

    /// The scheme and host the vendor sends requests to (`https://example.com`), where your
    /// server sees another (behind a proxy): Twilio signs the full URL it requested, and the
    /// axum extractor makes it from this and the request's path. Without it, the extractor
    /// takes `https://` and the request's `Host` header. Under axum's `Router::nest` the path a
    /// handler sees lacks the nest's prefix: end the base with it (`https://example.com/hooks`).
    pub fn with_public_url(mut self, base: &str) -> Verifier {
        self.public_url = Some(base.trim_end_matches('/').to_owned());
        self
    }

    /// The full URL the vendor requested, as the extractor makes it (see
    /// [`Verifier::with_public_url`]).
    pub fn url_of(&self, parts: &http::request::Parts) -> String {
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let base = match &self.public_url {
            Some(base) => base.clone(),
            None => {
                let host = parts
                    .headers
                    .get(http::header::HOST)
                    .and_then(|h| h.to_str().ok())
                    .or_else(|| parts.uri.authority().map(|a| a.as_str()))
                    .unwrap_or_default();
                format!("https://{host}")
            }
        };
        format!("{base}{path}")
    }

    /// The replay window in whole seconds.
    fn window_seconds(&self) -> i64 {
        i64::try_from(self.window.as_secs()).unwrap_or(i64::MAX)
    }

    fn check_time(&self, timestamp: i64, now: i64) -> Result<(), WebhookError> {
        let age = now.saturating_sub(timestamp);
        let window = self.window_seconds();
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
        let mut v1 = Vec::new();
        let mut v1a = Vec::new();
        for entry in signatures.split(' ').filter(|e| !e.is_empty()) {
            match entry.split_once(',') {
                Some(("v1", signature)) => v1.extend(base64_decode(signature)),
                Some(("v1a", signature)) => v1a.extend(
                    base64_decode(signature)
                        .and_then(|s| ed25519_dalek::Signature::from_slice(&s).ok()),
                ),
                _ => {}
            }
        }
        if v1.len() + v1a.len() > MAX_SIGNATURES {
            return Err(WebhookError::Malformed("signatures are too many"));
        }
        let matched = self.keys.iter().any(|key| match key {
            Key::Hmac(secret) => hmac_matches(Algorithm::Sha256, secret, &signed, &v1),
            Key::Ed25519(public) => v1a.iter().any(|s| public.verify_strict(&signed, s).is_ok()),
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

    /// Refuses a message verified before within the window (its id with the same timestamp: a
    /// sender's own retry of a message carries a new timestamp, and passes), and remembers this
    /// one.
    fn remember(&self, id: &str, timestamp: i64, now: i64) -> Result<(), WebhookError> {
        let window = self.window_seconds();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.retain(|(_, at), _| now.saturating_sub(*at) <= window);
        if seen.insert((id.to_owned(), timestamp), ()).is_some() {
            return Err(WebhookError::Replayed { id: id.to_owned() });
        }
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
        // A shared key's signature says its algorithm; the auth token's is HMAC-SHA1.
        let algorithm = match headers
            .get("x-twilio-webhooks-signature-settings")
            .and_then(|v| v.to_str().ok())
            .into_iter()
            .flat_map(|v| v.split(','))
            .filter_map(|part| part.split_once('='))
            .find(|(name, _)| name.trim() == "algorithm")
            .map(|(_, value)| value.trim().to_ascii_uppercase())
            .as_deref()
        {
            None | Some("HMAC_SHA1") => Algorithm::Sha1,
            Some("HMAC_SHA256") => Algorithm::Sha256,
            Some(_) => {
                return Err(WebhookError::Malformed(
                    "signature algorithm is not supported",
                ))
            }
        };
        let body_hash = url.split_once('?').and_then(|(_, query)| {
            form_urlencoded::parse(query.as_bytes())
                .find(|(k, _)| k == "bodySHA256")
                .map(|(_, v)| v.into_owned())
        });
        let form = headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("application/x-www-form-urlencoded")
            });
        let mut params: Vec<(String, String)> = Vec::new();
        if let Some(hash) = body_hash {
            // The URL is signed and carries the body's SHA-256, whatever the body's type.
            use sha2::Digest;
            let digest = sha2::Sha256::digest(body);
            let expected = hex_decode(&hash)
                .ok_or(WebhookError::Malformed("`bodySHA256` is not hexadecimal"))?;
            if expected.as_slice() != digest.as_slice() {
                return Err(WebhookError::BadSignature);
            }
        } else if form {
            // Each name once, in order, then each of its values once, in order.
            params = form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            params.sort();
            params.dedup();
        } else if !body.is_empty() {
            // Nothing would cover the body.
            return Err(WebhookError::Malformed(
                "body is neither a form nor covered by `bodySHA256`",
            ));
        }
        // Twilio signs the URL with or without its port: either is taken.
        let signatures = [signature];
        for url in twilio_urls(url) {
            let mut signed = url;
            for (name, value) in &params {
                signed.push_str(name);
                signed.push_str(value);
            }
            if self
                .any_hmac(algorithm, signed.as_bytes(), &signatures)
                .is_ok()
            {
                return Ok(Verified {
                    id: None,
                    timestamp: None,
                });
            }
        }
        Err(WebhookError::BadSignature)
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

    /// Whether one of `signatures` is the HMAC of `signed` with one of the secrets: each
    /// secret's HMAC is computed once and compared with every signature of its length.
    fn any_hmac(
        &self,
        algorithm: Algorithm,
        signed: &[u8],
        signatures: &[Vec<u8>],
    ) -> Result<(), WebhookError> {
        if signatures.len() > MAX_SIGNATURES {
            return Err(WebhookError::Malformed("signatures are too many"));
        }
        let matched = self.keys.iter().any(|key| match key {
            Key::Hmac(secret) => hmac_matches(algorithm, secret, signed, signatures),
            Key::Ed25519(_) => false,
        });
        if matched {
            Ok(())
        } else {
            Err(WebhookError::BadSignature)
        }
    }
}

/// The URL without its port and with it (the scheme's default when it has none), as Twilio's
/// validators try both.
fn twilio_urls(url: &str) -> Vec<String> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return vec![url.to_owned()];
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    };
    let default = if scheme.eq_ignore_ascii_case("https") {
        443
    } else {
        80
    };
    let with_port = if host.len() == authority.len() {
        format!("{scheme}://{host}:{default}{tail}")
    } else {
        url.to_owned()
    };
    vec![format!("{scheme}://{host}{tail}"), with_port]
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

/// Whether one of `signatures` is the HMAC of `signed` with `secret`: the HMAC is computed
/// once, and each signature of its length compared with it in constant time.
fn hmac_matches(
    algorithm: Algorithm,
    secret: &[u8],
    signed: &[u8],
    signatures: &[Vec<u8>],
) -> bool {
    fn check<M: Mac + hmac::digest::KeyInit + Clone>(
        secret: &[u8],
        signed: &[u8],
        signatures: &[Vec<u8>],
    ) -> bool {
        let Ok(mut mac) = <M as hmac::digest::KeyInit>::new_from_slice(secret) else {
            return false;
        };
        mac.update(signed);
        let length = <M as hmac::digest::OutputSizeUser>::output_size();
        signatures
            .iter()
            .filter(|s| s.len() == length)
            .any(|s| mac.clone().verify_slice(s).is_ok())
    }
    match algorithm {
        Algorithm::Sha1 => check::<Hmac<sha1::Sha1>>(secret, signed, signatures),
        Algorithm::Sha256 => check::<Hmac<sha2::Sha256>>(secret, signed, signatures),
        Algorithm::Sha512 => check::<Hmac<sha2::Sha512>>(secret, signed, signatures),
    }
}

fn header<'h>(headers: &'h http::HeaderMap, name: &'static str) -> Result<&'h str, WebhookError> {
    headers
        .get(name)
        .ok_or(WebhookError::MissingHeader(name))?
        .to_str()
        .map_err(|_| WebhookError::Malformed("header is not text"))
}

/// An axum extractor of verified webhook requests (cargo feature `axum`).
///
/// A route whose state gives an `Arc<Verifier>` (`FromRef`) takes a [`VerifiedWebhook`] and
/// reads its event from it; a request that fails verification never reaches the handler, and
/// is answered `400` (a header missing or malformed, a body that could not be read), `401` (no
/// signature matches, a stale timestamp, a replayed id) or `413` (a body over the verifier's
/// limit).
///
/// [`VerifiedWebhook`]: extract::VerifiedWebhook
#[cfg(feature = "axum")]
pub mod extract {
    use super::{Verified, Verifier, WebhookError};
    use axum_core::extract::{FromRef, FromRequest, Request};
    use axum_core::response::{IntoResponse, Response};
    use http_body_util::BodyExt;
    use std::sync::Arc;

    /// A webhook request that passed verification: read its event from `headers` and `body`
    /// (a module's `webhooks::Event::from_body`, or `Event::decode` with the event's kind). Its
    /// `Debug` shows the headers' names, not the signature's value.
    #[derive(Clone)]
    pub struct VerifiedWebhook {
        /// The request's headers.
        pub headers: http::HeaderMap,
        /// The request's body.
        pub body: Vec<u8>,
        /// What the request said about itself.
        pub verified: Verified,
    }

    impl std::fmt::Debug for VerifiedWebhook {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("VerifiedWebhook")
                .field("headers", &crate::event::header_names(&self.headers))
                .field("body", &format_args!("{} bytes", self.body.len()))
                .field("verified", &self.verified)
                .finish()
        }
    }

    /// Why a request was refused, answered with its status and the error's text (which never
    /// holds a secret or a signature).
    #[derive(Debug)]
    pub struct Rejection(pub WebhookError);

    impl IntoResponse for Rejection {
        fn into_response(self) -> Response {
            let status = match self.0 {
                WebhookError::TooLarge { .. } => http::StatusCode::PAYLOAD_TOO_LARGE,
                WebhookError::MissingHeader(_) | WebhookError::Malformed(_) => {
                    http::StatusCode::BAD_REQUEST
                }
                _ => http::StatusCode::UNAUTHORIZED,
            };
            (status, self.0.to_string()).into_response()
        }
    }

    impl<S: Send + Sync> FromRequest<S> for VerifiedWebhook
    where
        Arc<Verifier>: FromRef<S>,
    {
        type Rejection = Rejection;

        async fn from_request(request: Request, state: &S) -> Result<Self, Rejection> {
            let verifier = Arc::<Verifier>::from_ref(state);
            let (parts, body) = request.into_parts();
            let limit = verifier.max_body();
            let body = http_body_util::Limited::new(body, limit)
                .collect()
                .await
                .map_err(|e| match e.is::<http_body_util::LengthLimitError>() {
                    true => Rejection(WebhookError::TooLarge { limit }),
                    false => Rejection(WebhookError::Malformed("body could not be read")),
                })?
                .to_bytes();
            let url = verifier.url_of(&parts);
            let verified = verifier
                .verify(&url, &parts.headers, &body)
                .map_err(Rejection)?;
            Ok(VerifiedWebhook {
                headers: parts.headers,
                body: body.to_vec(),
                verified,
            })
        }
    }
}
