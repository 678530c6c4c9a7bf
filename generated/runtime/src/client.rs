//! An async client on `reqwest` (cargo feature `client`): sends any [`Operation`] and returns its
//! typed response, and walks paginated operations page by page.
//!
//! This file is written by the generator, like every other file of the crate.

use crate::request::{Api, ApiError, Operation, Paginated};
use futures_util::stream::{self, Stream};
use std::collections::VecDeque;

/// Sends requests to one [`Api`].
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    api: Api,
}

impl Client {
    /// A client with a default `reqwest::Client`.
    pub fn new(api: Api) -> Client {
        Client::with_http_client(api, reqwest::Client::new())
    }

    /// A client on a `reqwest::Client` of your own (timeouts, proxies, TLS settings).
    pub fn with_http_client(api: Api, http: reqwest::Client) -> Client {
        Client { http, api }
    }

    /// The API requests go to.
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// Sends one request and decodes the answer.
    pub async fn send<O: Operation>(
        &self,
        operation: &O,
    ) -> Result<O::Response, ApiError<O::Error>> {
        let request = operation.to_request(&self.api)?;
        let request = reqwest::Request::try_from(request).map_err(transport)?;
        let response = self.http.execute(request).await.map_err(transport)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(transport)?;
        O::decode(status, &body)
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

fn transport<E>(e: reqwest::Error) -> ApiError<E> {
    ApiError::Transport(Box::new(e))
}
