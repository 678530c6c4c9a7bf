//! OAuth 2.0 client credentials (RFC 6749 §4.4): the client id and secret of a scheme, and the
//! tokens got with them, cached until shortly before they expire. The `client` feature's
//! `Client` fetches the tokens; a request built by hand uses the cached one.
//!
//! This file is written by the generator, like every other file of the crate.

// Getting tokens is the client's (cargo feature `client`); without it only the cache is read.
#![cfg_attr(not(feature = "client"), allow(dead_code))]

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How the token request carries the client's id and secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    /// HTTP basic authentication, the body a form (`client_secret_basic`, what RFC 6749 says
    /// every server supports).
    Basic,
    /// In the form body (`client_secret_post`).
    Form,
    /// In a JSON body (as some APIs document their token operation).
    Json,
}

/// The client id and secret of an OAuth 2.0 client-credentials scheme, and its cached tokens (one
/// per set of scopes). Neither the secret nor a token is ever shown by `Debug` or in an error.
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: String,
    auth: ClientAuth,
    tokens: Mutex<BTreeMap<String, Token>>,
    /// Held while a token is fetched, so that concurrent requests wait for one fetch.
    #[cfg(feature = "client")]
    pub(crate) fetching: tokio::sync::Mutex<()>,
}

/// A cached access token.
#[derive(Clone)]
pub(crate) struct Token {
    /// `Bearer <token>`, marked sensitive.
    pub(crate) header: http::HeaderValue,
    /// When to fetch another (`None`: when a request is refused with `401`).
    pub(crate) renew_at: Option<Instant>,
    /// A server refused it: the next request fetches another (until then it is still what a
    /// request built by hand carries).
    pub(crate) refused: bool,
}

impl ClientCredentials {
    /// Credentials for the token endpoint `token_url` (absolute, or relative to the API's base
    /// URL, as API descriptions write it).
    pub fn new(token_url: &str, client_id: &str, client_secret: &str, auth: ClientAuth) -> Self {
        ClientCredentials {
            token_url: token_url.to_owned(),
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
            auth,
            tokens: Mutex::new(BTreeMap::new()),
            #[cfg(feature = "client")]
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    /// The token endpoint, resolved against `base_url` when it is relative (`/oauth2/token` is
    /// on the base URL's host).
    pub fn token_url(&self, base_url: &str) -> String {
        let url = self.token_url.as_str();
        if url.starts_with("http://") || url.starts_with("https://") {
            return url.to_owned();
        }
        if let Some(path) = url.strip_prefix('/') {
            let after_scheme = base_url.find("://").map_or(0, |i| i + 3);
            let host_end = base_url[after_scheme..]
                .find('/')
                .map_or(base_url.len(), |i| after_scheme + i);
            return format!("{}/{path}", &base_url[..host_end]);
        }
        format!("{}/{url}", base_url.trim_end_matches('/'))
    }

    /// The token request for `scopes`: its content type, body, and `Authorization` header if
    /// the client authenticates with one.
    pub(crate) fn token_request(
        &self,
        scopes: &[&str],
    ) -> (&'static str, Vec<u8>, Option<http::HeaderValue>) {
        let scope = scopes.join(" ");
        let mut fields = vec![("grant_type", "client_credentials")];
        if !scope.is_empty() {
            fields.push(("scope", &scope));
        }
        let basic = |id: &str, secret: &str| {
            // RFC 6749 §2.3.1: each form-encoded before they are joined.
            let encode =
                |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
            let pair = format!("{}:{}", encode(id), encode(secret));
            let mut value =
                http::HeaderValue::from_str(&format!("Basic {}", crate::encode::base64(&pair)))
                    .ok()?;
            value.set_sensitive(true);
            Some(value)
        };
        match self.auth {
            ClientAuth::Basic => (
                "application/x-www-form-urlencoded",
                form(&fields),
                basic(&self.client_id, &self.client_secret),
            ),
            ClientAuth::Form => {
                fields.push(("client_id", &self.client_id));
                fields.push(("client_secret", &self.client_secret));
                ("application/x-www-form-urlencoded", form(&fields), None)
            }
            ClientAuth::Json => {
                fields.push(("client_id", &self.client_id));
                fields.push(("client_secret", &self.client_secret));
                let object: serde_json::Map<String, serde_json::Value> = fields
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.into()))
                    .collect();
                let body = serde_json::to_vec(&object).unwrap_or_default();
                ("application/json", body, None)
            }
        }
    }

    /// The cached token for `scopes`, if it is not due for renewal at `now` (`None` for `now`
    /// takes it whatever its age).
    pub(crate) fn cached(&self, scopes: &[&str], now: Option<Instant>) -> Option<Token> {
        let tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        let token = tokens.get(&scopes.join(" "))?;
        match (token.renew_at, now) {
            (_, Some(_)) if token.refused => None,
            (Some(renew_at), Some(now)) if now >= renew_at => None,
            _ => Some(token.clone()),
        }
    }

    pub(crate) fn store(&self, scopes: &[&str], token: Token) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens.insert(scopes.join(" "), token);
    }

    /// Marks the token for `scopes` as refused if it is still `used` (a server refused it), so
    /// the next request fetches another. It stays in the cache until then: a concurrent request
    /// between the two still finds a token to send.
    pub(crate) fn refuse(&self, scopes: &[&str], used: &http::HeaderValue) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(token) = tokens.get_mut(&scopes.join(" ")) {
            if token.header == used {
                token.refused = true;
            }
        }
    }
}

impl fmt::Debug for ClientCredentials {
    /// Neither the secret nor any token is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("auth", &self.auth)
            .finish_non_exhaustive()
    }
}

fn form(fields: &[(&str, &str)]) -> Vec<u8> {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
        .into_bytes()
}

/// Why no token could be had from the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    /// The token endpoint's status, if it answered.
    pub status: Option<u16>,
    /// What went wrong: the endpoint's `error` and `error_description` (RFC 6749 §5.2), or why
    /// its answer could not be read. Never the secret.
    pub message: String,
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(status) => write!(f, "the token endpoint answered {status}: {}", self.message),
            None => write!(f, "no token: {}", self.message),
        }
    }
}

impl std::error::Error for TokenError {}

/// Reads the token endpoint's answer, received at `now`: `access_token`, and `expires_in`
/// (seconds; a JWT's `exp` claim when it is absent). The token is renewed 30 s before it
/// expires, or halfway through a shorter life.
pub(crate) fn read_token(
    status: u16,
    body: &[u8],
    now: Instant,
    unix_now: Duration,
) -> Result<Token, TokenError> {
    let failed = |message: String| TokenError {
        status: Some(status),
        message,
    };
    let answer: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| failed(format!("the answer is not JSON ({e})")))?;
    if !(200..300).contains(&status) {
        let field = |k: &str| answer.get(k).and_then(serde_json::Value::as_str);
        let message = match (field("error"), field("error_description")) {
            (Some(error), Some(description)) => format!("{error}: {description}"),
            (Some(error), None) => error.to_owned(),
            _ => "no token was granted".to_owned(),
        };
        return Err(failed(message));
    }
    let token = answer
        .get("access_token")
        .and_then(serde_json::Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| failed("the answer has no `access_token`".to_owned()))?;
    let mut header = http::HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| failed("the `access_token` is not visible ASCII text".to_owned()))?;
    header.set_sensitive(true);
    let lifetime = match answer.get("expires_in") {
        Some(serde_json::Value::Number(n)) => n.as_f64(),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .and_then(|s| Duration::try_from_secs_f64(s).ok())
    // A JWT whose `exp` has passed (or a clock behind the server's) is renewed at once.
    .or_else(|| Some(jwt_expiry(token)?.saturating_sub(unix_now)));
    let renew_at =
        lifetime.and_then(|life| now.checked_add(life - (life / 2).min(Duration::from_secs(30))));
    Ok(Token {
        header,
        renew_at,
        refused: false,
    })
}

/// The `exp` claim of a JWT (seconds since the Unix epoch), if the token is one.
fn jwt_expiry(token: &str) -> Option<Duration> {
    let payload = token.split('.').nth(1)?;
    let claims: serde_json::Value = serde_json::from_slice(&base64url_decode(payload)?).ok()?;
    Some(Duration::from_secs(claims.get("exp")?.as_u64()?))
}

/// Decodes unpadded base64url (RFC 4648 §5).
fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for c in text.trim_end_matches('=').bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    Some(out)
}
