//! Requests: the [`Operation`] trait that every generated request implements, the [`Api`] (base URL
//! and credentials) it is sent to, and the errors of building, sending and decoding.
//!
//! This file is written by the generator, like every other file of the crate.

pub use crate::encode::*;
use crate::encode::{base64, checked_header};
use crate::oauth::{ClientAuth, ClientCredentials};
use std::fmt;
use std::sync::Arc;

/// The `http` crate the requests are made of (re-exported so its version always matches).
pub use http;

pub use crate::answer::{Answer, ApiError};

/// A typestate marker: a required parameter that has not been set yet.
#[derive(Debug, Clone, Copy, Default)]
pub struct Missing;

/// A typestate marker: a required parameter that has been set to the value it holds.
#[derive(Debug, Clone)]
pub struct Set<T>(#[doc(hidden)] pub T);

/// What `build` takes each required value out of: a [`Set`]. Each builder's `Needs…` traits
/// build on it, each with its own message for a value not set.
pub trait Filled<T> {
    #[doc(hidden)]
    fn into_value(self) -> T;
}

impl<T> Filled<T> for Set<T> {
    fn into_value(self) -> T {
        self.0
    }
}

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
    /// A success (2xx) answer: its decoded JSON body, its text or bytes, `()` for no body, or, when
    /// the documented success answers differ, the operation's `Response` enum by status.
    type Response;
    /// A documented error answer: the body every documented error answer carries, or, when they
    /// differ, the operation's `Error` enum by status.
    type Error;

    /// The operation's id in the API description (`listCalls`).
    const ID: &'static str;

    /// The security requirements, as the API description gives them: alternatives, each a list
    /// of security schemes whose credentials are all sent. Empty: no credentials are sent. An
    /// empty alternative: credentials are optional.
    const SECURITY: &'static [&'static [&'static str]];

    /// The OAuth 2.0 scopes each of [`Operation::SECURITY`]'s alternatives names for its
    /// `oauth2` schemes: a client-credentials token is asked for with those of the alternative
    /// the request's credentials meet.
    const SCOPES: &'static [&'static [&'static str]] = &[];

    /// The header parameter that carries an idempotency key (`Idempotency-Key`), if the operation
    /// has one: a request that sends it may be retried whatever its method.
    const IDEMPOTENCY_KEY: Option<&'static str> = None;

    /// The operation's own server, when the API description gives it one (Stripe's file uploads
    /// go to `https://files.stripe.com`), after the API's default server: requests go to the
    /// operation's server when the [`Api`] is at the default one, and to the `Api`'s base URL
    /// when it was pointed elsewhere (a test server, a proxy).
    const SERVER: Option<(&'static str, &'static str)> = None;

    /// The HTTP method.
    fn method(&self) -> http::Method;

    /// The path, every parameter percent-encoded into its own segment.
    fn path(&self) -> Result<String, RequestError>;

    /// Query parameters as name/value pairs, laid out in their style but not yet percent-encoded
    /// (`created[gte]`, `1700000000`).
    fn query(&self) -> Result<Vec<(String, String)>, RequestError> {
        Ok(Vec::new())
    }

    /// Headers the operation sends (besides credentials), already checked.
    fn headers(&self) -> Result<Vec<(&'static str, String)>, RequestError> {
        Ok(Vec::new())
    }

    /// Cookie parameters as name/value pairs, laid out in their style but not yet percent-encoded;
    /// sent together in one `Cookie` header.
    fn cookies(&self) -> Result<Vec<(String, String)>, RequestError> {
        Ok(Vec::new())
    }

    /// The encoded request body and its content type, if the request has one.
    fn body(&self) -> Result<Option<Body>, RequestError> {
        Ok(None)
    }

    /// Reads an answer: a 2xx status as [`Operation::Response`] (by the documented answer of that
    /// status), any other as [`Operation::Error`] inside [`ApiError::Status`], which keeps the
    /// headers. A body that does not decode is [`ApiError::Decode`], with its bytes.
    fn decode(
        status: u16,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<Self::Response, ApiError<Self::Error>>;

    /// The request as an [`http::Request`], ready for any HTTP client: the credentials of the first
    /// security requirement `api` can meet are applied, or it fails naming the schemes it needs.
    fn to_request(&self, api: &Api) -> Result<http::Request<Vec<u8>>, RequestError> {
        let (chosen, credentials) = api.credentials_for(Self::ID, Self::SECURITY)?;
        let scopes = Self::SCOPES.get(chosen).copied().unwrap_or_default();
        let base = match Self::SERVER {
            Some((default, server)) if api.base_url == default => server,
            _ => &api.base_url,
        };
        let mut url = format!("{base}{}", self.path()?);
        // What an error shows: the URL without its query, which may hold a credential.
        let shown = url.len();
        let mut query = self.query()?;
        let mut headers: Vec<(&str, http::HeaderValue)> = Vec::new();
        for (name, value) in self.headers()? {
            headers.push((name, checked_header(name, &value)?));
        }
        let cookies = self.cookies()?;
        if !cookies.is_empty() {
            let pairs: Vec<String> = cookies
                .iter()
                .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
                .collect();
            headers.push(("cookie", checked_header("cookie", &pairs.join("; "))?));
        }
        for credential in credentials {
            match &credential.place {
                Place::Header(name, value) => headers.push((name, value.clone())),
                Place::Query(name, value) => query.push((name.clone(), value.clone())),
                Place::ClientCredentials(source) => match source.cached(scopes, None) {
                    Some(token) => headers.push(("authorization", token.header)),
                    None => return Err(RequestError::no_token(Self::ID, credential.scheme)),
                },
            }
        }
        for (i, (name, value)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&encode(name));
            url.push('=');
            url.push_str(&encode(value));
        }
        let mut builder = http::Request::builder().method(self.method()).uri(&url);
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        let body = match self.body()? {
            Some(body) => {
                let value = checked_header("content-type", &body.content_type)?;
                builder = builder.header(http::header::CONTENT_TYPE, value);
                body.bytes
            }
            None => Vec::new(),
        };
        builder
            .body(body)
            .map_err(|e| RequestError::new("url", &url[..shown], &e.to_string()))
    }
}

/// An encoded request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The `Content-Type` header (a multipart body's carries its boundary).
    pub content_type: String,
    /// The bytes sent.
    pub bytes: Vec<u8>,
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

/// Where an API is and how requests authenticate: a base URL and credentials.
///
/// Each generated module has an `api(…)` function that makes one from its API description (the
/// default server, and the credential of its default security scheme), and a `credentials`
/// module with one function per security scheme; [`Api::with_credential`] adds more and
/// [`Api::with_base_url`] points it elsewhere. Each request sends the credentials its operation
/// asks for, and no others.
#[derive(Clone)]
pub struct Api {
    base_url: String,
    credentials: Vec<Credential>,
}

impl Api {
    /// An API at `base_url` (`http://` or `https://`), with no credentials yet.
    pub fn new(base_url: &str) -> Result<Api, RequestError> {
        let mut api = Api {
            base_url: String::new(),
            credentials: Vec::new(),
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

    /// Adds the credential of one security scheme (replacing an earlier one of the same scheme).
    pub fn with_credential(mut self, credential: Credential) -> Api {
        self.credentials.retain(|c| c.scheme != credential.scheme);
        self.credentials.push(credential);
        self
    }

    /// The names of the security schemes this API has credentials for.
    pub fn schemes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.credentials.iter().map(|c| c.scheme)
    }

    /// The first requirement these credentials meet (its index) and its credentials.
    pub(crate) fn credentials_for(
        &self,
        operation: &str,
        requirements: &[&[&str]],
    ) -> Result<(usize, Vec<&Credential>), RequestError> {
        if requirements.is_empty() {
            return Ok((0, Vec::new()));
        }
        let find = |scheme: &str| self.credentials.iter().find(|c| c.scheme == scheme);
        for (i, requirement) in requirements.iter().enumerate() {
            let found: Vec<&Credential> = requirement.iter().filter_map(|s| find(s)).collect();
            if found.len() == requirement.len() {
                return Ok((i, found));
            }
        }
        let wanted: Vec<String> = requirements
            .iter()
            .map(|r| {
                let names: Vec<String> = r.iter().map(|s| format!("`{s}`")).collect();
                names.join(" and ")
            })
            .collect();
        Err(RequestError::missing_credentials(
            operation,
            &wanted.join(" or "),
        ))
    }
}

impl fmt::Debug for Api {
    /// Credentials are not shown, only the schemes they are for.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Api")
            .field("base_url", &self.base_url)
            .field("schemes", &self.schemes().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// The credential of one security scheme, and where a request carries it.
///
/// Made by the functions of each generated module's `credentials` module, which know the scheme's
/// name and place; the constructors here serve schemes an API description does not declare.
#[derive(Clone)]
pub struct Credential {
    scheme: &'static str,
    place: Place,
}

#[derive(Clone)]
enum Place {
    Header(&'static str, http::HeaderValue),
    Query(String, String),
    /// A token of this client-credentials flow, in `Authorization: Bearer …`.
    ClientCredentials(Arc<ClientCredentials>),
}

impl Credential {
    /// `Authorization: Bearer <token>` for the scheme `scheme`.
    pub fn bearer(scheme: &'static str, token: &str) -> Result<Credential, RequestError> {
        secret("token", token)?;
        Credential::header(scheme, "authorization", &format!("Bearer {token}"), "token")
    }

    /// HTTP basic authentication for the scheme `scheme`.
    pub fn basic(
        scheme: &'static str,
        user: &str,
        password: &str,
    ) -> Result<Credential, RequestError> {
        secret("user", user)?;
        // The password may be empty; it is sent base64-encoded, so any text can be sent.
        let value = format!("Basic {}", base64(&format!("{user}:{password}")));
        Credential::header(scheme, "authorization", &value, "credentials")
    }

    /// An OAuth 2.0 client-credentials flow for the scheme `scheme`: the `client` feature's
    /// `Client` gets a token from `token_url` (absolute, or relative to the API's base URL) with
    /// the client's id and secret, sends it as `Authorization: Bearer …`, keeps it until shortly
    /// before it expires, and gets another when a request is refused with `401`. A request built
    /// by hand ([`Operation::to_request`]) uses the token the client got last.
    pub fn client_credentials(
        scheme: &'static str,
        token_url: &str,
        client_id: &str,
        client_secret: &str,
        auth: ClientAuth,
    ) -> Result<Credential, RequestError> {
        secret("client_id", client_id)?;
        secret("client_secret", client_secret)?;
        Ok(Credential {
            scheme,
            place: Place::ClientCredentials(Arc::new(ClientCredentials::new(
                token_url,
                client_id,
                client_secret,
                auth,
            ))),
        })
    }

    /// The client-credentials flow this credential gets its tokens from, if it is one.
    #[cfg(feature = "client")]
    pub(crate) fn token_source(&self) -> Option<&ClientCredentials> {
        match &self.place {
            Place::ClientCredentials(source) => Some(source),
            Place::Header(..) | Place::Query(..) => None,
        }
    }

    /// A key in the header `name` for the scheme `scheme`.
    pub fn api_key_header(
        scheme: &'static str,
        name: &'static str,
        key: &str,
    ) -> Result<Credential, RequestError> {
        secret(name, key)?;
        Credential::header(scheme, name, key, name)
    }

    /// A key in the query parameter `name` for the scheme `scheme` (percent-encoded when sent).
    pub fn api_key_query(
        scheme: &'static str,
        name: &str,
        key: &str,
    ) -> Result<Credential, RequestError> {
        secret(name, key)?;
        Ok(Credential {
            scheme,
            place: Place::Query(name.to_owned(), key.to_owned()),
        })
    }

    fn header(
        scheme: &'static str,
        name: &'static str,
        value: &str,
        label: &str,
    ) -> Result<Credential, RequestError> {
        let mut value = http::HeaderValue::from_str(value).map_err(|_| {
            RequestError::secret(
                label,
                "visible ASCII text without CR, LF or other control characters",
            )
        })?;
        value.set_sensitive(true);
        Ok(Credential {
            scheme,
            place: Place::Header(name, value),
        })
    }

    /// The security scheme this credential is for.
    pub fn scheme(&self) -> &'static str {
        self.scheme
    }
}

impl fmt::Debug for Credential {
    /// The value is not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("scheme", &self.scheme)
            .finish_non_exhaustive()
    }
}

/// Refuses an empty credential.
fn secret(label: &str, value: &str) -> Result<(), RequestError> {
    if value.is_empty() {
        return Err(RequestError::secret(label, "a value that is not empty"));
    }
    Ok(())
}

/// A request that cannot be made: a parameter, header or URL with a value that is not allowed.
/// A credential's value is never kept in one, so no error message, log line or `Debug` output
/// shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError {
    parameter: String,
    value: String,
    expected: String,
    /// Set when no credentials for the operation (named in `parameter`) were given.
    missing_credentials: bool,
    /// Set when the value is a credential (and so not kept).
    secret: bool,
}

impl RequestError {
    #[doc(hidden)]
    pub fn new(parameter: &str, value: &str, expected: &str) -> Self {
        RequestError {
            parameter: parameter.to_owned(),
            value: value.to_owned(),
            expected: expected.to_owned(),
            missing_credentials: false,
            secret: false,
        }
    }

    fn missing_credentials(operation: &str, schemes: &str) -> Self {
        RequestError {
            parameter: operation.to_owned(),
            value: String::new(),
            expected: format!("credentials for {schemes}: add them with `Api::with_credential`"),
            missing_credentials: true,
            secret: false,
        }
    }

    fn no_token(operation: &str, scheme: &str) -> Self {
        RequestError {
            parameter: operation.to_owned(),
            value: String::new(),
            expected: format!(
                "a token of the client-credentials flow `{scheme}` (send it with `client::Client`, which gets one, or give a bearer token)"
            ),
            missing_credentials: true,
            secret: false,
        }
    }

    /// A credential that is not allowed; its value is not kept.
    fn secret(label: &str, expected: &str) -> Self {
        RequestError {
            parameter: label.to_owned(),
            value: String::new(),
            expected: expected.to_owned(),
            missing_credentials: false,
            secret: true,
        }
    }

    /// Whether the request failed because the `Api` has no credentials its operation accepts.
    pub fn is_missing_credentials(&self) -> bool {
        self.missing_credentials
    }

    /// The parameter (or `base_url`, `token`, a header name) whose value was refused; the
    /// operation, when credentials are missing.
    pub fn parameter(&self) -> &str {
        &self.parameter
    }

    /// The value given (empty for a credential, whose value is never kept).
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
        if self.missing_credentials {
            return write!(f, "`{}` needs {}", self.parameter, self.expected);
        }
        if self.secret {
            return write!(
                f,
                "invalid `{}`: the credential is not allowed (expected {}; its value is not shown)",
                self.parameter, self.expected
            );
        }
        write!(
            f,
            "invalid `{}`: {:?} is not allowed (expected {})",
            self.parameter, self.value, self.expected
        )
    }
}

impl std::error::Error for RequestError {}
