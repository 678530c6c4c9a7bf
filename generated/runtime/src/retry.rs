//! Retries: the [`RetryPolicy`] that decides whether a request is sent again and how long to wait
//! first. The decision is a pure function of the attempt, the method and what came back; the
//! client does the waiting (on tokio's timer, or a timer you give it).
//!
//! This file is written by the generator, like every other file of the crate.

use std::time::Duration;

/// When and how often a request is sent again.
///
/// The default: at most 3 attempts; again after a `429`, `502`, `503` or `504`, or a connection
/// that failed or timed out; waiting 0.5 s, then 1 s, 2 s, … (exponential backoff), each wait
/// drawn between half and all of that (jitter), unless the server says how long to wait
/// (`Retry-After`, or on a `429` the rate-limit reset headers), which wins; no wait longer than
/// 30 s (a server that asks for more is not asked again: its answer is returned); each attempt
/// timing out after 60 s. Only requests that are safe to repeat are retried:
/// `GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE` and `TRACE`, a request that sends its operation's
/// idempotency key (a header the API description declares, such as `Idempotency-Key`; see
/// [`RetryPolicy::with_generated_idempotency_keys`]), and the operations you name with
/// [`RetryPolicy::retry_operation`].
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_delay: Duration,
    max_delay: Duration,
    statuses: Vec<u16>,
    operations: Vec<String>,
    timeout: Option<Duration>,
    jitter: bool,
    generate_keys: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            statuses: vec![429, 502, 503, 504],
            operations: Vec::new(),
            timeout: Some(Duration::from_secs(60)),
            jitter: true,
            generate_keys: false,
        }
    }
}

/// What an attempt came to, as far as retrying goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The server answered with this status, and asked to wait this long (if it said).
    Answered {
        /// The HTTP status.
        status: u16,
        /// The wait the server asked for.
        server_delay: Option<Duration>,
    },
    /// The connection failed, or the attempt timed out.
    NoAnswer,
}

impl RetryPolicy {
    /// One attempt: nothing is retried.
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// At most `attempts` attempts in all (1: no retries).
    pub fn with_max_attempts(mut self, attempts: u32) -> RetryPolicy {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; each later one doubles it.
    pub fn with_initial_delay(mut self, delay: Duration) -> RetryPolicy {
        self.initial_delay = delay;
        self
    }

    /// The longest wait: the backoff stops growing there, and a server that asks for a longer
    /// one is not asked again (its answer is returned, with `retry_after()`).
    pub fn with_max_delay(mut self, delay: Duration) -> RetryPolicy {
        self.max_delay = delay;
        self
    }

    /// The statuses that are retried (instead of `429`, `502`, `503`, `504`).
    pub fn with_statuses(mut self, statuses: &[u16]) -> RetryPolicy {
        self.statuses = statuses.to_vec();
        self
    }

    /// The time each attempt may take (`None`: no limit but the HTTP client's own).
    pub fn with_timeout(mut self, timeout: Option<Duration>) -> RetryPolicy {
        self.timeout = timeout;
        self
    }

    /// Waits exactly the computed backoff, without drawing it at random.
    pub fn without_jitter(mut self) -> RetryPolicy {
        self.jitter = false;
        self
    }

    /// Retries the operation `id` (its `operationId`, `Operation::ID`) whatever its method: say
    /// so for an operation the server is known to handle only once.
    pub fn retry_operation(mut self, id: &str) -> RetryPolicy {
        self.operations.push(id.to_owned());
        self
    }

    /// Gives a request that does not set its operation's idempotency key (a header the API
    /// description declares) a fresh one, the same on each attempt, so that it may be retried
    /// whatever its method. Off by default: the server must honour the key for this to be safe,
    /// as the description's declaring it suggests.
    pub fn with_generated_idempotency_keys(mut self) -> RetryPolicy {
        self.generate_keys = true;
        self
    }

    /// Whether requests get a generated idempotency key.
    pub fn generates_idempotency_keys(&self) -> bool {
        self.generate_keys
    }

    /// The most attempts a request gets.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The time each attempt may take.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// Whether a request may be sent more than once: its method is idempotent, it sends its
    /// operation's idempotency key, or its operation was named with
    /// [`RetryPolicy::retry_operation`].
    pub fn may_retry(&self, operation: &str, method: &http::Method, sends_key: bool) -> bool {
        let idempotent = [
            http::Method::GET,
            http::Method::HEAD,
            http::Method::OPTIONS,
            http::Method::PUT,
            http::Method::DELETE,
            http::Method::TRACE,
        ];
        idempotent.contains(method) || sends_key || self.operations.iter().any(|o| o == operation)
    }

    /// After attempt `attempt` (from 1) came to `outcome`: how long to wait before sending the
    /// request again, or `None` to stop there. `random` (in `0.0..1.0`) draws the jitter.
    pub fn next_delay(&self, attempt: u32, outcome: Outcome, random: f64) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let server_delay = match outcome {
            Outcome::Answered {
                status,
                server_delay,
            } => {
                if !self.statuses.contains(&status) {
                    return None;
                }
                server_delay
            }
            Outcome::NoAnswer => None,
        };
        if let Some(wait) = server_delay {
            // Asked to wait longer than the policy would: not sent again (a retry before then
            // would only be refused again); the answer says how long (`retry_after()`).
            return (wait <= self.max_delay).then_some(wait);
        }
        let doublings = attempt.saturating_sub(1).min(31);
        let backoff = self
            .initial_delay
            .saturating_mul(1 << doublings)
            .min(self.max_delay);
        if !self.jitter {
            return Some(backoff);
        }
        let factor = 0.5 + 0.5 * random.clamp(0.0, 1.0);
        Some(Duration::try_from_secs_f64(backoff.as_secs_f64() * factor).unwrap_or(backoff))
    }
}

/// 64 bits that differ from call to call (from the standard library's randomly keyed hasher: no
/// generator is worth a dependency here).
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos().into()),
    );
    hasher.finish()
}

/// A number in `0.0..1.0` that differs from call to call, for the jitter.
pub fn random_unit() -> f64 {
    (random_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// A fresh idempotency key: 128 random bits as 32 hexadecimal digits.
pub fn random_key() -> String {
    format!("{:016x}{:016x}", random_u64(), random_u64())
}
