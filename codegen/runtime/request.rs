//! Requests: the [`Operation`] trait that every generated request implements, the [`Api`] (base URL
//! and credentials) it is sent to, and the errors of building, sending and decoding.
//!
//! This file is written by the generator, like every other file of the crate.

use serde::de::DeserializeOwned;
use std::fmt;

/// The `http` crate the requests are made of (re-exported so its version always matches).
pub use http;

/// A typestate marker: a required parameter that has not been set yet.
#[derive(Debug, Clone, Copy, Default)]
pub struct Missing;

/// A typestate marker: a required parameter that has been set to the value it holds.
#[derive(Debug, Clone)]
pub struct Set<T>(#[doc(hidden)] pub T);

/// One request of an API: how to put it on the wire and how to read the answer.
///
/// Every generated request (one per operation) implements it; a builder does not, so an unfinished
/// request cannot be sent.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a finished request",
    label = "not a request",
    note = "finish a request builder with `.build()?` before sending it"
)]
pub trait Operation {
    /// The body of a success (2xx) answer.
    type Response: DeserializeOwned;
    /// The body of a documented error answer.
    type Error: DeserializeOwned;

    /// The operation's id in the API description (`listCalls`).
    const ID: &'static str;

    /// The HTTP method.
    fn method(&self) -> http::Method;

    /// The path, every parameter percent-encoded into its own segment.
    fn path(&self) -> String;

    /// Query parameters by wire name, not yet encoded.
    fn query(&self) -> Vec<(&'static str, String)>;

    /// Headers the operation sends (besides credentials), already checked.
    fn headers(&self) -> Vec<(&'static str, String)>;

    /// Reads an answer: a 2xx status decodes as [`Operation::Response`], any other as
    /// [`Operation::Error`].
    fn decode(status: u16, body: &[u8]) -> Result<Self::Response, ApiError<Self::Error>> {
        decode_answer(status, body)
    }

    /// The request as an [`http::Request`], ready for any HTTP client.
    fn to_request(&self, api: &Api) -> Result<http::Request<Vec<u8>>, RequestError> {
        let mut url = format!("{}{}", api.base_url, self.path());
        let mut query: Vec<(String, String)> = self
            .query()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        query.extend(api.query.iter().cloned());
        for (i, (name, value)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&encode(name));
            url.push('=');
            url.push_str(&encode(value));
        }
        let mut builder = http::Request::builder().method(self.method()).uri(&url);
        for (name, value) in self.headers() {
            builder = builder.header(name, checked_header(name, &value)?);
        }
        for (name, value) in &api.headers {
            builder = builder.header(*name, value.clone());
        }
        builder
            .body(Vec::new())
            .map_err(|e| RequestError::new("url", &url, &e.to_string()))
    }
}

/// An operation whose results come in pages (offset and limit), as its API description declares
/// with `x-pagination`.
pub trait Paginated: Operation + Clone {
    /// One result.
    type Item;

    /// The results of one page.
    fn items(response: Self::Response) -> Vec<Self::Item>;

    /// Whether the server says another page follows.
    fn has_next(response: &Self::Response) -> bool;

    /// The request for the page after one that held `received` results.
    fn next_page(&self, received: usize) -> Self;
}

#[doc(hidden)]
/// Reads the answer of an operation without a success body: any 2xx is success.
pub fn decode_no_body<E: DeserializeOwned>(status: u16, body: &[u8]) -> Result<(), ApiError<E>> {
    if (200..300).contains(&status) {
        Ok(())
    } else {
        decode_answer::<serde::de::IgnoredAny, E>(status, body).map(drop)
    }
}

#[doc(hidden)]
/// Decodes a 2xx answer as `R` and any other as `E`.
pub fn decode_answer<R: DeserializeOwned, E: DeserializeOwned>(
    status: u16,
    body: &[u8],
) -> Result<R, ApiError<E>> {
    if (200..300).contains(&status) {
        serde_json::from_slice(body).map_err(|error| ApiError::Decode {
            status,
            error,
            body: body.to_vec(),
        })
    } else {
        match serde_json::from_slice(body) {
            Ok(body) => Err(ApiError::Status { status, body }),
            Err(error) => Err(ApiError::Decode {
                status,
                error,
                body: body.to_vec(),
            }),
        }
    }
}

/// Where an API is and how requests authenticate: a base URL and credentials.
///
/// Each generated module has an `api(…)` function that makes one from its API description (the
/// default server and the security scheme); [`Api::with_base_url`] points it elsewhere.
#[derive(Clone)]
pub struct Api {
    base_url: String,
    headers: Vec<(&'static str, http::HeaderValue)>,
    query: Vec<(String, String)>,
}

impl Api {
    /// An API at `base_url` (`http://` or `https://`), with no credentials yet.
    pub fn new(base_url: &str) -> Result<Api, RequestError> {
        let mut api = Api {
            base_url: String::new(),
            headers: Vec::new(),
            query: Vec::new(),
        };
        api.set_base_url(base_url)?;
        Ok(api)
    }

    /// The same API and credentials at another base URL (a test server, a self-hosted install).
    pub fn with_base_url(mut self, base_url: &str) -> Result<Api, RequestError> {
        self.set_base_url(base_url)?;
        Ok(self)
    }

    fn set_base_url(&mut self, base_url: &str) -> Result<(), RequestError> {
        let trimmed = base_url.trim_end_matches('/');
        let valid = (trimmed.starts_with("http://") || trimmed.starts_with("https://"))
            && !trimmed.contains(['?', '#', ' '])
            && trimmed.parse::<http::Uri>().is_ok();
        if !valid {
            return Err(RequestError::new(
                "base_url",
                base_url,
                "an http:// or https:// URL without query or fragment",
            ));
        }
        self.base_url = trimmed.to_owned();
        Ok(())
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Authenticates with `Authorization: Bearer <token>`.
    pub fn bearer(self, token: &str) -> Result<Api, RequestError> {
        let value = checked_header("token", &format!("Bearer {token}"))?;
        Ok(self.with_header("authorization", value))
    }

    /// Authenticates with HTTP basic authentication.
    pub fn basic(self, user: &str, password: &str) -> Result<Api, RequestError> {
        let value = checked_header(
            "credentials",
            &format!("Basic {}", base64(&format!("{user}:{password}"))),
        )?;
        Ok(self.with_header("authorization", value))
    }

    /// Authenticates with a key in the header `name`.
    pub fn api_key_header(self, name: &'static str, key: &str) -> Result<Api, RequestError> {
        let value = checked_header(name, key)?;
        Ok(self.with_header(name, value))
    }

    /// Authenticates with a key in the query parameter `name`.
    pub fn api_key_query(mut self, name: &str, key: &str) -> Api {
        self.query.push((name.to_owned(), key.to_owned()));
        self
    }

    fn with_header(mut self, name: &'static str, mut value: http::HeaderValue) -> Api {
        value.set_sensitive(true);
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name, value));
        self
    }
}

impl fmt::Debug for Api {
    /// Credentials are not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Api")
            .field("base_url", &self.base_url)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// A request that cannot be made: a parameter, header or URL with a value that is not allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError {
    parameter: String,
    value: String,
    expected: String,
}

impl RequestError {
    #[doc(hidden)]
    pub fn new(parameter: &str, value: &str, expected: &str) -> Self {
        RequestError {
            parameter: parameter.to_owned(),
            value: value.to_owned(),
            expected: expected.to_owned(),
        }
    }

    /// The parameter (or `base_url`, `token`, a header name) whose value was refused.
    pub fn parameter(&self) -> &str {
        &self.parameter
    }

    /// The value given.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// What is allowed.
    pub fn expected(&self) -> &str {
        &self.expected
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid `{}`: {:?} is not allowed (expected {})",
            self.parameter, self.value, self.expected
        )
    }
}

impl std::error::Error for RequestError {}

/// Why a request did not give its success response.
#[derive(Debug)]
pub enum ApiError<E> {
    /// The request could not be built.
    Request(RequestError),
    /// The request got no answer (connection, TLS, timeout, …).
    Transport(Box<dyn std::error::Error + Send + Sync>),
    /// The server answered with a status that is not 2xx; the body is the documented error type.
    Status {
        /// The HTTP status.
        status: u16,
        /// The decoded error body.
        body: E,
    },
    /// The body did not decode as the documented type; the raw bytes are kept.
    Decode {
        /// The HTTP status.
        status: u16,
        /// What was wrong with the body.
        error: serde_json::Error,
        /// The body as received.
        body: Vec<u8>,
    },
}

impl<E: fmt::Debug> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Request(e) => write!(f, "{e}"),
            ApiError::Transport(e) => write!(f, "the request got no answer: {e}"),
            ApiError::Status { status, body } => {
                write!(f, "the server answered {status}: {body:?}")
            }
            ApiError::Decode {
                status,
                error,
                body,
            } => write!(
                f,
                "the {status} answer does not decode ({error}); {} bytes kept",
                body.len()
            ),
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
/// Percent-encodes everything but the unreserved characters of RFC 3986 (so a path parameter stays
/// one segment and a query value one value).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[doc(hidden)]
/// Checks a path parameter: `""`, `.` and `..` are refused, since no encoding keeps them from
/// changing the path; anything else is encoded into one segment.
pub fn check_segment(parameter: &str, value: &str) -> Result<(), RequestError> {
    if matches!(value, "" | "." | "..") {
        return Err(RequestError::new(
            parameter,
            value,
            "a non-empty path segment other than `.` and `..`",
        ));
    }
    Ok(())
}

fn base64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn checked_header(name: &str, value: &str) -> Result<http::HeaderValue, RequestError> {
    http::HeaderValue::from_str(value).map_err(|_| {
        RequestError::new(
            name,
            value,
            "visible ASCII text without CR, LF or other control characters",
        )
    })
}

#[doc(hidden)]
/// Checks a header parameter's value.
pub fn check_header(parameter: &str, value: &str) -> Result<(), RequestError> {
    checked_header(parameter, value).map(drop)
}

#[doc(hidden)]
/// Checks an integer against inclusive bounds; `expected` says them in words.
pub fn check_integer(
    parameter: &str,
    value: i64,
    min: Option<i64>,
    max: Option<i64>,
    expected: &str,
) -> Result<(), RequestError> {
    let ok = min.is_none_or(|m| value >= m) && max.is_none_or(|m| value <= m);
    if ok {
        Ok(())
    } else {
        Err(RequestError::new(parameter, &value.to_string(), expected))
    }
}

#[doc(hidden)]
/// Checks a number against its bounds (`exclusive` ones must not be reached).
pub fn check_number(
    parameter: &str,
    value: f64,
    bounds: [Option<f64>; 4],
    expected: &str,
) -> Result<(), RequestError> {
    let [min, max, exclusive_min, exclusive_max] = bounds;
    let ok = value.is_finite()
        && min.is_none_or(|m| value >= m)
        && max.is_none_or(|m| value <= m)
        && exclusive_min.is_none_or(|m| value > m)
        && exclusive_max.is_none_or(|m| value < m);
    if ok {
        Ok(())
    } else {
        Err(RequestError::new(parameter, &value.to_string(), expected))
    }
}

#[doc(hidden)]
/// Checks a string's length in characters.
pub fn check_length(
    parameter: &str,
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
    expected: &str,
) -> Result<(), RequestError> {
    let len = value.chars().count();
    if min.is_none_or(|m| len >= m) && max.is_none_or(|m| len <= m) {
        Ok(())
    } else {
        Err(RequestError::new(parameter, value, expected))
    }
}

#[doc(hidden)]
/// Checks a string against a regular expression (unanchored, as JSON Schema's `pattern`).
pub fn check_pattern(parameter: &str, value: &str, pattern: &str) -> Result<(), RequestError> {
    let expected = || format!("text matching `{pattern}`");
    // A pattern this regex engine cannot compile is not checked (as in validating mode); the
    // generator warns about it.
    match regex_lite::Regex::new(pattern) {
        Ok(re) if !re.is_match(value) => Err(RequestError::new(parameter, value, &expected())),
        _ => Ok(()),
    }
}
