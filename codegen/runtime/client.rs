//! An async client on `reqwest` (cargo feature `client`): sends any [`Operation`] and returns its
//! typed response, retrying by a [`RetryPolicy`], and walks paginated operations page by page.
//!
//! This file is written by the generator, like every other file of the crate.

use crate::answer::{server_delay, Answer};
use crate::oauth::{read_token, ClientCredentials, TokenError};
use crate::request::{Api, ApiError, Operation, Paginated, RequestError};
use crate::retry::{random_key, random_unit, Outcome, RetryPolicy};
use futures_util::stream::{self, Stream};
use reqwest::header::{HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// The client's time: what it waits with between attempts, and what it tells a token's age by.
pub trait Clock: Send + Sync + 'static {
    /// The time now.
    fn now(&self) -> Instant;
    /// A future that ends after `wait`.
    fn sleep(&self, wait: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// tokio's clock and timer (the default): a test on tokio's paused clock moves it too.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioClock;

impl Clock for TokioClock {
    fn now(&self) -> Instant {
        tokio::time::Instant::now().into_std()
    }

    fn sleep(&self, wait: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(wait))
    }
}

/// Sends requests to one [`Api`], retrying by its [`RetryPolicy`], and gets, keeps and renews the
/// tokens of its client-credentials flows.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    api: Api,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api", &self.api)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with a default `reqwest::Client` and the default [`RetryPolicy`].
    pub fn new(api: Api) -> Client {
        Client::with_http_client(api, reqwest::Client::new())
    }

    /// A client on a `reqwest::Client` of your own (proxies, TLS settings, connection pools).
    pub fn with_http_client(api: Api, http: reqwest::Client) -> Client {
        Client {
            http,
            api,
            retry: RetryPolicy::default(),
            clock: Arc::new(TokioClock),
        }
    }

    /// The same client with another retry policy ([`RetryPolicy::none`] turns retries off).
    pub fn with_retry(mut self, policy: RetryPolicy) -> Client {
        self.retry = policy;
        self
    }

    /// The same client on another clock than tokio's (a test's, another runtime's timer).
    pub fn with_clock(mut self, clock: impl Clock) -> Client {
        self.clock = Arc::new(clock);
        self
    }

    /// The API requests go to.
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Sends one request and decodes the answer's body (retrying as the policy says).
    pub async fn send<O: Operation>(
        &self,
        operation: &O,
    ) -> Result<O::Response, ApiError<O::Error>> {
        self.send_full(operation).await.map(|answer| answer.body)
    }

    /// Sends one request and decodes the whole answer: its status, its headers and its body.
    /// A request that is safe to repeat is sent again while the policy says so; one refused with
    /// `401` is sent once more with a new token (whatever the policy), when its token came from a
    /// client-credentials flow. The answer, or the error, is the last attempt's, and says how many
    /// times the request was sent.
    pub async fn send_full<O: Operation>(
        &self,
        operation: &O,
    ) -> Result<Answer<O::Response>, ApiError<O::Error>> {
        // The client-credentials flows the request's credentials come from, and their scopes.
        let (sources, scopes): (Vec<&ClientCredentials>, &[&str]) =
            match self.api.credentials_for(O::ID, O::SECURITY) {
                Ok((chosen, credentials)) => (
                    credentials
                        .iter()
                        .filter_map(|c| c.token_source())
                        .collect(),
                    O::SCOPES.get(chosen).copied().unwrap_or_default(),
                ),
                Err(_) => (Vec::new(), &[]),
            };
        let mut sent = 0;
        for source in &sources {
            self.token(source, scopes)
                .await
                .map_err(|e| token_error(e, sent))?;
        }
        let mut key = None;
        let request = self.build(operation, &mut key)?;
        let sends_key = O::IDEMPOTENCY_KEY.is_some_and(|key| request.headers().contains_key(key));
        let retries = self.retry.may_retry(O::ID, request.method(), sends_key);
        let mut request = self.prepare(request)?;
        // Attempts as the policy counts them (a renewal after a `401` is not one of them).
        let mut attempt = 1;
        let mut renewed = false;
        loop {
            // The body is bytes, so the request can always be copied for the next attempt.
            let next = if retries { request.try_clone() } else { None };
            let used = request.headers().get(AUTHORIZATION).cloned();
            let answer = self.attempt(request).await;
            sent += 1;
            // A token refused with `401` is renewed once, and the request sent with the new one
            // (the server acted on nothing, so this is safe whatever the method).
            let refused = matches!(answer, Ok((401, _, _))) && !renewed && !sources.is_empty();
            if let (true, Some(used)) = (refused, &used) {
                renewed = true;
                for source in &sources {
                    source.refuse(scopes, used);
                    self.token(source, scopes)
                        .await
                        .map_err(|e| token_error(e, sent))?;
                }
                request = self.prepare(self.build(operation, &mut key)?)?;
                continue;
            }
            let outcome = match &answer {
                Ok((status, headers, _)) => Some(Outcome::Answered {
                    status: *status,
                    server_delay: server_delay(*status, headers, SystemTime::now()),
                }),
                Err(e) if e.is_connect() || e.is_timeout() => Some(Outcome::NoAnswer),
                Err(_) => None,
            };
            let wait = outcome.and_then(|o| self.retry.next_delay(attempt, o, random_unit()));
            match (next, wait) {
                (Some(next), Some(wait)) => {
                    self.clock.sleep(wait).await;
                    request = next;
                    attempt += 1;
                }
                _ => {
                    let (status, headers, body) = answer.map_err(|e| transport(e, sent))?;
                    return O::decode(status, &headers, &body)
                        .map(|body| Answer {
                            status,
                            headers,
                            body,
                            attempts: sent,
                        })
                        .map_err(|e| e.with_attempts(sent));
                }
            }
        }
    }

    /// The request for the operation, with the idempotency key the policy generates when the
    /// request sets none (`key`: the one generated for this request, kept for its next build).
    fn build<O: Operation>(
        &self,
        operation: &O,
        key: &mut Option<HeaderValue>,
    ) -> Result<http::Request<Vec<u8>>, RequestError> {
        let mut request = operation.to_request(&self.api)?;
        let Some(name) = O::IDEMPOTENCY_KEY.filter(|_| self.retry.generates_idempotency_keys())
        else {
            return Ok(request);
        };
        let Ok(name) = HeaderName::from_bytes(name.as_bytes()) else {
            return Ok(request);
        };
        if !request.headers().contains_key(&name) {
            if key.is_none() {
                *key = HeaderValue::from_str(&random_key()).ok();
            }
            if let Some(value) = key {
                request.headers_mut().insert(name, value.clone());
            }
        }
        Ok(request)
    }

    /// The request for `reqwest`, with the policy's timeout.
    fn prepare<E>(&self, request: http::Request<Vec<u8>>) -> Result<reqwest::Request, ApiError<E>> {
        let mut request = reqwest::Request::try_from(request).map_err(|e| transport(e, 0))?;
        *request.timeout_mut() = self.retry.timeout();
        Ok(request)
    }

    /// Makes sure `source` holds a token for `scopes` that is not due for renewal, getting one
    /// from its token endpoint if not. Concurrent requests wait for one another's fetch, so many
    /// requests at once make one token request.
    async fn token(&self, source: &ClientCredentials, scopes: &[&str]) -> Result<(), TokenError> {
        if source.cached(scopes, Some(self.clock.now())).is_some() {
            return Ok(());
        }
        let _fetching = source.fetching.lock().await;
        if source.cached(scopes, Some(self.clock.now())).is_some() {
            return Ok(());
        }
        let no_answer = |e: reqwest::Error| TokenError {
            status: None,
            message: format!("the token endpoint gave no answer ({e})"),
        };
        let (content_type, body, authorization) = source.token_request(scopes);
        let mut request = self
            .http
            .post(source.token_url(self.api.base_url()))
            .header(CONTENT_TYPE, HeaderValue::from_static(content_type))
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .body(body);
        if let Some(value) = authorization {
            request = request.header(AUTHORIZATION, value);
        }
        if let Some(timeout) = self.retry.timeout() {
            request = request.timeout(timeout);
        }
        let response = request.send().await.map_err(no_answer)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(no_answer)?;
        let unix_now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default();
        let token = read_token(status, &body, self.clock.now(), unix_now)?;
        source.store(scopes, token);
        Ok(())
    }

    /// Sends a request once and reads the whole answer.
    async fn attempt(
        &self,
        request: reqwest::Request,
    ) -> Result<(u16, reqwest::header::HeaderMap, Vec<u8>), reqwest::Error> {
        let response = self.http.execute(request).await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await?;
        Ok((status, headers, body.to_vec()))
    }

    /// Every item of every page, starting with the page `operation` asks for; stops after the
    /// page on which the server says there is no next one (or an empty page), or at the first error.
    pub fn items<'a, O>(
        &'a self,
        operation: O,
    ) -> impl Stream<Item = Result<O::Item, ApiError<O::Error>>> + 'a
    where
        O: Paginated + 'a,
        O::Item: 'a,
        O::Error: 'a,
    {
        let state = Pages {
            next: Some(operation),
            buffered: VecDeque::new(),
        };
        stream::unfold(state, move |mut state| async move {
            loop {
                if let Some(item) = state.buffered.pop_front() {
                    return Some((Ok(item), state));
                }
                let request = state.next.take()?;
                match self.send(&request).await {
                    Ok(response) => {
                        let more = O::has_next(&response);
                        let items = O::items(response);
                        if more && !items.is_empty() {
                            state.next = Some(request.next_page(items.len()));
                        }
                        state.buffered.extend(items);
                    }
                    Err(e) => return Some((Err(e), state)),
                }
            }
        })
    }
}

struct Pages<O: Paginated> {
    next: Option<O>,
    buffered: VecDeque<O::Item>,
}

/// A request that got no answer. The URL is left out of the error: an API key may be in its query.
fn transport<E>(error: reqwest::Error, attempts: u32) -> ApiError<E> {
    ApiError::Transport {
        error: Box::new(error.without_url()),
        attempts,
    }
}

fn token_error<E>(error: TokenError, attempts: u32) -> ApiError<E> {
    ApiError::Token { error, attempts }
}
