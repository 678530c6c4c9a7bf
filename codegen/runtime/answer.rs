//! Answers: reading a status, its headers and its body into the operation's types, the
//! [`ApiError`] of an answer that is not a success, the whole [`Answer`] (status, headers, body),
//! and what a server says about when to try again (`Retry-After`, rate-limit reset headers).
//!
//! This file is written by the generator, like every other file of the crate.

use crate::request::RequestError;
use serde::de::DeserializeOwned;
use std::fmt;
use std::time::{Duration, SystemTime};

/// A whole answer: its status and headers beside the decoded body.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer<T> {
    /// The HTTP status.
    pub status: u16,
    /// The headers as received. The headers an API description declares are read typed by
    /// the operation's `Headers` (`Headers::from(&answer.headers)`).
    pub headers: http::HeaderMap,
    /// The decoded body.
    pub body: T,
    /// How many times the request was sent before this answer came (1 when it was not retried).
    pub attempts: u32,
}

impl<T> Answer<T> {
    /// How long the server asks to wait before the next request (`Retry-After`, in seconds or
    /// as an HTTP date), if it says.
    pub fn retry_after(&self) -> Option<Duration> {
        retry_after(&self.headers, SystemTime::now())
    }
}

/// Why a request did not give its success response.
#[derive(Debug)]
#[non_exhaustive]
pub enum ApiError<E> {
    /// The request could not be built.
    Request(RequestError),
    /// The request got no answer (connection, TLS, timeout, …).
    Transport {
        /// What went wrong.
        error: Box<dyn std::error::Error + Send + Sync>,
        /// How many times the request was tried.
        attempts: u32,
    },
    /// The server answered with a status that is not 2xx; the body is the documented error type.
    Status {
        /// The HTTP status.
        status: u16,
        /// The headers as received (`Retry-After`, request ids, rate limits); boxed, so the error
        /// stays small.
        headers: Box<http::HeaderMap>,
        /// The decoded error body: the documented error type, or the operation's `Error` enum by
        /// status, which keeps the bytes of a status the description does not list.
        body: E,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// No token could be had from the token endpoint of the operation's client-credentials
    /// flow (before the request was sent, or before it could be sent again after a `401`).
    Token {
        /// Why.
        error: crate::oauth::TokenError,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// The body did not decode as the documented type; the raw bytes are kept.
    Decode {
        /// The HTTP status.
        status: u16,
        /// The headers as received.
        headers: Box<http::HeaderMap>,
        /// Where in the body the value that did not decode is (`data[0].id`; `.` for the whole
        /// body).
        path: String,
        /// What was wrong with it.
        error: serde_json::Error,
        /// The body as received.
        body: Vec<u8>,
        /// How many times the request was sent.
        attempts: u32,
    },
}

impl<E> ApiError<E> {
    /// The status the server answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } | ApiError::Decode { status, .. } => Some(*status),
            ApiError::Request(_) | ApiError::Transport { .. } | ApiError::Token { .. } => None,
        }
    }

    /// The headers of the answer, if the server answered.
    pub fn headers(&self) -> Option<&http::HeaderMap> {
        match self {
            ApiError::Status { headers, .. } | ApiError::Decode { headers, .. } => Some(headers),
            ApiError::Request(_) | ApiError::Transport { .. } | ApiError::Token { .. } => None,
        }
    }

    /// How many times the request was sent (0 when it could not be built).
    pub fn attempts(&self) -> u32 {
        match self {
            ApiError::Request(_) => 0,
            ApiError::Token { attempts, .. }
            | ApiError::Transport { attempts, .. }
            | ApiError::Status { attempts, .. }
            | ApiError::Decode { attempts, .. } => *attempts,
        }
    }

    /// How long the server asks to wait before trying again: its `Retry-After` (seconds or an
    /// HTTP date) and, on a `429`, the common rate-limit reset headers.
    pub fn retry_after(&self) -> Option<Duration> {
        let (status, headers) = (self.status()?, self.headers()?);
        server_delay(status, headers, SystemTime::now())
    }

    /// The same error, counted as the answer to attempt `attempts`.
    #[cfg(feature = "client")]
    pub(crate) fn with_attempts(mut self, count: u32) -> Self {
        match &mut self {
            ApiError::Request(_) => {}
            ApiError::Token { attempts, .. }
            | ApiError::Transport { attempts, .. }
            | ApiError::Status { attempts, .. }
            | ApiError::Decode { attempts, .. } => *attempts = count,
        }
        self
    }
}

impl<E: fmt::Debug> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Request(e) => write!(f, "{e}"),
            ApiError::Token { error, .. } => write!(f, "{error}"),
            ApiError::Transport { error, .. } => write!(f, "the request got no answer: {error}"),
            ApiError::Status { status, body, .. } => {
                write!(f, "the server answered {status}: {body:?}")
            }
            ApiError::Decode {
                status,
                path,
                error,
                body,
                ..
            } => {
                write!(f, "the {status} answer does not decode")?;
                if path != "." {
                    write!(f, " at `{path}`")?;
                }
                write!(f, " ({error}); {} bytes kept", body.len())
            }
        }?;
        match self.attempts() {
            0 | 1 => Ok(()),
            n => write!(f, " (after {n} attempts)"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for ApiError<E> {}

impl<E> From<RequestError> for ApiError<E> {
    fn from(e: RequestError) -> Self {
        ApiError::Request(e)
    }
}

#[doc(hidden)]
/// Why a body did not decode: where in it, and what was wrong.
#[derive(Debug)]
pub struct BodyError {
    pub(crate) path: String,
    pub(crate) error: serde_json::Error,
}

#[doc(hidden)]
/// Reads an answer: a 2xx with `success`, any other with `error`; a body that does not decode
/// is [`ApiError::Decode`], with the status, the headers and the bytes.
pub fn decode_with<R, E>(
    status: u16,
    headers: &http::HeaderMap,
    body: &[u8],
    success: impl FnOnce(u16, &[u8]) -> Result<R, BodyError>,
    error: impl FnOnce(u16, &[u8]) -> Result<E, BodyError>,
) -> Result<R, ApiError<E>> {
    let failed = |e: BodyError| ApiError::Decode {
        status,
        headers: Box::new(headers.clone()),
        path: e.path,
        error: e.error,
        body: body.to_vec(),
        attempts: 1,
    };
    if (200..300).contains(&status) {
        return success(status, body).map_err(failed);
    }
    match error(status, body) {
        Ok(decoded) => Err(ApiError::Status {
            status,
            headers: Box::new(headers.clone()),
            body: decoded,
            attempts: 1,
        }),
        Err(e) => Err(failed(e)),
    }
}

#[doc(hidden)]
/// Decodes a JSON body; the error names the path of the value that did not decode.
pub fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, BodyError> {
    let reader = &mut serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut *reader).map_err(|e| BodyError {
        path: e.path().to_string(),
        error: e.into_inner(),
    })?;
    // Nothing but whitespace may follow the value, as `serde_json::from_slice` requires.
    reader.end().map_err(|error| BodyError {
        path: ".".to_owned(),
        error,
    })?;
    Ok(value)
}

#[doc(hidden)]
/// Reads an error answer of an operation whose API description documents no error body: its
/// JSON when it is JSON, else its text as a JSON string, and `null` when it is empty, so that an
/// error's status is never lost to a body nobody described (a bare `429`, a proxy's HTML page).
pub fn undocumented(body: &[u8]) -> Result<serde_json::Value, BodyError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::Value::Null);
    }
    Ok(serde_json::from_slice(body)
        .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(body).into_owned())))
}

#[doc(hidden)]
/// Reads a text body (UTF-8).
pub fn text(body: &[u8]) -> Result<String, BodyError> {
    String::from_utf8(body.to_vec()).map_err(|e| BodyError {
        path: ".".to_owned(),
        error: serde::de::Error::custom(format_args!("the text is not UTF-8: {e}")),
    })
}

#[doc(hidden)]
/// Keeps a body as bytes.
pub fn bytes(body: &[u8]) -> Result<Vec<u8>, BodyError> {
    Ok(body.to_vec())
}

#[doc(hidden)]
/// Reads an answer documented without a body (whatever it carries is not read).
pub fn empty(_body: &[u8]) -> Result<(), BodyError> {
    Ok(())
}

/// A declared response header's value type: how its text reads.
pub trait HeaderText: Sized {
    /// The value of the header's text, if it is one.
    fn from_header(text: &str) -> Option<Self>;
}

impl HeaderText for i64 {
    fn from_header(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

impl HeaderText for f64 {
    fn from_header(text: &str) -> Option<Self> {
        text.parse().ok().filter(|n: &f64| n.is_finite())
    }
}

impl HeaderText for bool {
    fn from_header(text: &str) -> Option<Self> {
        match text {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}

impl HeaderText for String {
    fn from_header(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
}

impl HeaderText for crate::support::DateTime {
    fn from_header(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

#[doc(hidden)]
/// The header `name`'s value read as `T`: `None` when it is absent, not text, or not a `T` (the
/// raw value stays in the header map).
pub fn header<T: HeaderText>(headers: &http::HeaderMap, name: &str) -> Option<T> {
    let text = headers.get(name)?.to_str().ok()?;
    T::from_header(text.trim())
}

/// The `Retry-After` header's wait, from `now`: delta seconds, or an HTTP date (a date in the
/// past is no wait).
pub fn retry_after(headers: &http::HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(text).ok()?;
    Some(at.duration_since(now).unwrap_or_default())
}

/// When a rate limit resets, from the headers APIs use for it: `RateLimit-Reset` and
/// `X-RateLimit-Reset-After` (seconds from now, fractions allowed), and `X-RateLimit-Reset` (a Unix
/// time in seconds when it is past 2001-09-09, which no wait in seconds is; seconds from now
/// otherwise).
pub fn rate_limit_reset(headers: &http::HeaderMap, now: SystemTime) -> Option<Duration> {
    // A value too large for a `Duration` (or negative) is no value.
    let seconds =
        |name: &str| header::<f64>(headers, name).and_then(|s| Duration::try_from_secs_f64(s).ok());
    if let Some(wait) = seconds("ratelimit-reset").or_else(|| seconds("x-ratelimit-reset-after")) {
        return Some(wait);
    }
    let reset = seconds("x-ratelimit-reset")?;
    if reset < Duration::from_secs(1_000_000_000) {
        return Some(reset);
    }
    let at = SystemTime::UNIX_EPOCH.checked_add(reset)?;
    Some(at.duration_since(now).unwrap_or_default())
}

/// How long an answer of `status` asks to wait: its `Retry-After`, else, on a `429`, when the rate
/// limit resets.
pub fn server_delay(status: u16, headers: &http::HeaderMap, now: SystemTime) -> Option<Duration> {
    retry_after(headers, now).or_else(|| match status {
        429 => rate_limit_reset(headers, now),
        _ => None,
    })
}
