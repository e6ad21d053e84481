//! RPC transports layered under the [`RpcClient`]: retries and rate limiting for real
//! endpoints, and fault injection for rehearsing against a flaky cluster.
//!
//! Both are [`RpcSender`]s wrapping another sender, so the client code above them is the
//! code that runs against mainnet. [`Resilient`] retries what is safe to retry (timeouts,
//! 429s, 5xx and node-unhealthy answers; a resent `sendTransaction` carries the same
//! signature, which a cluster deduplicates) with exponential backoff, and spaces requests
//! to stay under a rate limit. [`Faulty`] makes requests time out (before or after the
//! node saw them), answers 429, drops sent transactions and expires blockhashes, each with
//! a probability per request from a seeded generator, so a failure is replayable.
//! [`crate::Client::send`] is what turns those faults into exactly-once operations.
//!
//! [`RpcClient`]: solana_rpc_client::nonblocking::rpc_client::RpcClient

use std::{
    collections::HashSet,
    fmt,
    future::Future,
    pin::Pin,
    str::FromStr,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use async_trait::async_trait;
use base64::{prelude::BASE64_STANDARD, Engine};
use serde_json::{json, Value};
use solana_rpc_client::rpc_sender::{RpcSender, RpcTransportStats};
use solana_rpc_client_api::{
    client_error::{Error as ClientError, ErrorKind as ClientErrorKind, Result as ClientResult},
    request::{RpcError, RpcRequest, RpcResponseErrorData},
    response::RpcSimulateTransactionResult,
};
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;
use tokio::time::Instant;

/// How [`Resilient`] retries and paces requests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt before the error is returned.
    pub max_retries: u32,
    /// Wait before the first retry; doubled after each one up to `max_backoff`.
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// Requests per second at most, across everything this transport sends.
    pub rate_limit: Option<f64>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 8,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            rate_limit: None,
        }
    }
}

/// Whether a failed request may be sent again as it is: the request (or its answer) was
/// lost or refused for load, never judged. A resent `sendTransaction` is the same signed
/// transaction, which a cluster deduplicates by signature.
pub fn is_transient(error: &ClientError) -> bool {
    match &*error.kind {
        ClientErrorKind::Io(_) => true,
        ClientErrorKind::Reqwest(e) => {
            e.is_timeout()
                || e.is_connect()
                || e.is_request()
                || e.status()
                    .is_some_and(|s| s.as_u16() == 429 || s.is_server_error())
        }
        ClientErrorKind::RpcError(RpcError::RpcResponseError { code, data, .. }) => {
            matches!(data, RpcResponseErrorData::NodeUnhealthy { .. })
                // Node behind, or rate limits some providers send as JSON-RPC errors.
                || matches!(code, -32005 | -32429 | 429)
        }
        _ => false,
    }
}

/// Spaces requests at least `1 / rate` seconds apart.
struct Pacer {
    interval: Duration,
    next: tokio::sync::Mutex<Option<Instant>>,
}

impl Pacer {
    fn new(rate: f64) -> Self {
        Self {
            interval: Duration::from_secs_f64(1.0 / rate),
            next: tokio::sync::Mutex::new(None),
        }
    }

    async fn wait(&self) {
        let mut next = self.next.lock().await;
        let now = Instant::now();
        let at = next.map_or(now, |n| n.max(now));
        *next = Some(at + self.interval);
        drop(next);
        tokio::time::sleep_until(at).await;
    }
}

/// Retries transient failures with exponential backoff and paces requests (see the
/// module docs).
pub struct Resilient<S> {
    inner: S,
    policy: RetryPolicy,
    pacer: Option<Pacer>,
    retries: AtomicU64,
}

impl<S: RpcSender> Resilient<S> {
    pub fn new(inner: S, policy: RetryPolicy) -> Self {
        Self {
            pacer: policy.rate_limit.map(Pacer::new),
            inner,
            policy,
            retries: AtomicU64::new(0),
        }
    }

    /// Requests retried so far.
    pub fn retries(&self) -> u64 {
        self.retries.load(Ordering::Relaxed)
    }
}

#[async_trait]
impl<S: RpcSender + Send + Sync + 'static> RpcSender for Resilient<S> {
    async fn send(&self, request: RpcRequest, params: Value) -> ClientResult<Value> {
        let mut backoff = self.policy.initial_backoff;
        let mut attempt = 0;
        loop {
            if let Some(pacer) = &self.pacer {
                pacer.wait().await;
            }
            match self.inner.send(request, params.clone()).await {
                Err(error) if attempt < self.policy.max_retries && is_transient(&error) => {
                    attempt += 1;
                    self.retries.fetch_add(1, Ordering::Relaxed);
                    log::debug!("{request} failed ({error}); retry {attempt} in {backoff:?}");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(self.policy.max_backoff);
                }
                result => return result,
            }
        }
    }

    fn get_transport_stats(&self) -> RpcTransportStats {
        self.inner.get_transport_stats()
    }

    fn url(&self) -> String {
        self.inner.url()
    }
}

/// Fault probabilities per request, parsed from `MICRODROP_FAULTS`
/// (`timeout=0.2,rate_limit=0.2,drop=0.2,expire_blockhash=0.1,seed=7`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Faults {
    /// The request times out; half the time the node saw it first.
    pub timeout: f64,
    /// The request is refused with HTTP 429.
    pub rate_limit: f64,
    /// A sent transaction is acknowledged but never lands; its blockhash expires.
    pub drop: f64,
    /// A sent transaction's blockhash has expired: it is refused unprocessed.
    pub expire_blockhash: f64,
    /// A sent transaction lands, but its answer is lost, the node never shows its status
    /// and its blockhash expires: only the state it created tells that it landed.
    pub stale: f64,
    /// Seeds the generator: the same seed and requests give the same faults.
    pub seed: u64,
    /// The process dies right after the Nth sent transaction lands, before its answer
    /// arrives (for kill-and-rerun tests; see [`Faulty::on_kill`]).
    pub kill_after: Option<u64>,
}

/// The environment variable [`Faults`] are read from.
pub const FAULTS_ENV: &str = "MICRODROP_FAULTS";

impl Faults {
    /// Reads [`FAULTS_ENV`]; `None` when it is unset or empty.
    pub fn from_env() -> Result<Option<Self>, String> {
        match std::env::var(FAULTS_ENV) {
            Ok(text) if !text.trim().is_empty() => text
                .parse()
                .map(Some)
                .map_err(|e| format!("{FAULTS_ENV}: {e}")),
            _ => Ok(None),
        }
    }
}

impl FromStr for Faults {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let mut faults = Faults::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("{part:?} is not key=value"))?;
            let (key, value) = (key.trim(), value.trim());
            let probability = || -> Result<f64, String> {
                match value.parse::<f64>() {
                    Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
                    _ => Err(format!(
                        "{key} must be a probability between 0 and 1, not {value:?}"
                    )),
                }
            };
            match key {
                "timeout" => faults.timeout = probability()?,
                "rate_limit" => faults.rate_limit = probability()?,
                "drop" => faults.drop = probability()?,
                "expire_blockhash" => faults.expire_blockhash = probability()?,
                "stale" => faults.stale = probability()?,
                "seed" => {
                    faults.seed = value
                        .parse()
                        .map_err(|_| format!("seed must be a whole number, not {value:?}"))?
                }
                "kill_after" => {
                    faults.kill_after =
                        Some(value.parse().ok().filter(|&n| n > 0).ok_or_else(|| {
                            format!("kill_after must be a count of transactions, not {value:?}")
                        })?)
                }
                other => {
                    return Err(format!(
                        "unknown fault {other:?}: use timeout, rate_limit, drop, \
                         expire_blockhash, stale, seed or kill_after"
                    ))
                }
            }
        }
        if faults.timeout + faults.rate_limit >= 1.0 {
            return Err(
                "timeout + rate_limit must stay below 1, or no request gets through".into(),
            );
        }
        if faults.drop + faults.expire_blockhash + faults.stale >= 1.0 {
            return Err(
                "drop + expire_blockhash + stale must stay below 1, or no transaction is \
                 answered"
                    .into(),
            );
        }
        Ok(faults)
    }
}

impl fmt::Display for Faults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "timeout={},rate_limit={},drop={},expire_blockhash={},stale={},seed={}",
            self.timeout, self.rate_limit, self.drop, self.expire_blockhash, self.stale, self.seed
        )?;
        if let Some(n) = self.kill_after {
            write!(f, ",kill_after={n}")?;
        }
        Ok(())
    }
}

/// Runs when `kill_after` is reached: persist whatever the cluster must keep, then end the
/// process.
pub type KillHook = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// Counts of the faults [`Faulty`] injected.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FaultCounts {
    pub timeouts: u64,
    pub rate_limited: u64,
    pub dropped: u64,
    pub expired: u64,
    pub stale: u64,
}

/// Injects [`Faults`] into the requests it passes on (see the module docs).
pub struct Faulty<S> {
    inner: S,
    faults: Faults,
    rng: Mutex<u64>,
    /// Blockhashes this transport has declared expired.
    expired: Mutex<HashSet<String>>,
    /// Signatures whose status this transport hides.
    hidden: Mutex<HashSet<String>>,
    counts: Arc<Mutex<FaultCounts>>,
    landed: AtomicU64,
    on_kill: Option<KillHook>,
}

impl<S: RpcSender> Faulty<S> {
    pub fn new(inner: S, faults: Faults) -> Self {
        Self {
            inner,
            rng: Mutex::new(faults.seed ^ 0x9e37_79b9_7f4a_7c15),
            faults,
            expired: Mutex::new(HashSet::new()),
            hidden: Mutex::new(HashSet::new()),
            counts: Arc::new(Mutex::new(FaultCounts::default())),
            landed: AtomicU64::new(0),
            on_kill: None,
        }
    }

    /// What runs when `kill_after` transactions have landed. Without a hook the process
    /// exits with status 137, as if killed.
    pub fn on_kill(mut self, hook: KillHook) -> Self {
        self.on_kill = Some(hook);
        self
    }

    /// A handle on the counts of injected faults that stays readable after this
    /// transport moves into an `RpcClient`.
    pub fn counts(&self) -> Arc<Mutex<FaultCounts>> {
        self.counts.clone()
    }

    /// A uniform draw in [0, 1) (splitmix64).
    fn draw(&self) -> f64 {
        let mut state = self.rng.lock().unwrap();
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    fn count(&self, bump: impl FnOnce(&mut FaultCounts)) {
        bump(&mut self.counts.lock().unwrap());
    }

    fn is_expired(&self, blockhash: &str) -> bool {
        self.expired.lock().unwrap().contains(blockhash)
    }

    fn expire(&self, blockhash: String) {
        self.expired.lock().unwrap().insert(blockhash);
    }

    async fn send_transaction(&self, request: RpcRequest, params: Value) -> ClientResult<Value> {
        let tx = decode_transaction(&params)?;
        let blockhash = tx.message.recent_blockhash().to_string();
        let signature = tx.signatures.first().copied().unwrap_or_default();
        if self.is_expired(&blockhash) {
            return Err(blockhash_not_found());
        }
        let roll = self.draw();
        if roll < self.faults.drop {
            self.count(|c| c.dropped += 1);
            self.expire(blockhash);
            return Ok(Value::String(signature.to_string()));
        }
        if roll < self.faults.drop + self.faults.expire_blockhash {
            self.count(|c| c.expired += 1);
            self.expire(blockhash);
            return Err(blockhash_not_found());
        }
        let stale = roll < self.faults.drop + self.faults.expire_blockhash + self.faults.stale;
        let result = self.inner.send(request, params).await;
        if stale && result.is_ok() {
            self.count(|c| c.stale += 1);
            self.hidden.lock().unwrap().insert(signature.to_string());
            self.expire(blockhash);
            return Err(timeout());
        }
        if result.is_ok() {
            let landed = self.landed.fetch_add(1, Ordering::SeqCst) + 1;
            if self.faults.kill_after == Some(landed) {
                match &self.on_kill {
                    Some(hook) => hook().await,
                    None => std::process::exit(137),
                }
            }
        }
        result
    }

    async fn latest_blockhash(&self, request: RpcRequest, params: Value) -> ClientResult<Value> {
        // A cluster moves on to new blockhashes; wait for one not declared expired.
        for _ in 0..100 {
            let answer = self.inner.send(request, params.clone()).await?;
            let hash = answer["value"]["blockhash"].as_str().unwrap_or_default();
            if !self.is_expired(hash) {
                return Ok(answer);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(ClientErrorKind::Custom("no unexpired blockhash appeared".into()).into())
    }
}

#[async_trait]
impl<S: RpcSender + Send + Sync + 'static> RpcSender for Faulty<S> {
    async fn send(&self, request: RpcRequest, params: Value) -> ClientResult<Value> {
        let roll = self.draw();
        if roll < self.faults.rate_limit {
            self.count(|c| c.rate_limited += 1);
            return Err(too_many_requests());
        }
        let timed_out = roll < self.faults.rate_limit + self.faults.timeout;
        // A timeout either loses the request or loses the answer.
        if timed_out && self.draw() < 0.5 {
            self.count(|c| c.timeouts += 1);
            return Err(timeout());
        }
        let method = request.to_string();
        let result = match method.as_str() {
            "sendTransaction" => self.send_transaction(request, params).await,
            "getLatestBlockhash" => self.latest_blockhash(request, params).await,
            "getSignatureStatuses" => {
                let mut answer = self.inner.send(request, params.clone()).await?;
                let hidden = self.hidden.lock().unwrap();
                let asked = params
                    .get(0)
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                if let Some(statuses) = answer["value"].as_array_mut() {
                    for (status, signature) in statuses.iter_mut().zip(&asked) {
                        if signature.as_str().is_some_and(|s| hidden.contains(s)) {
                            *status = Value::Null;
                        }
                    }
                }
                Ok(answer)
            }
            "isBlockhashValid" => {
                let hash = params.get(0).and_then(Value::as_str).unwrap_or_default();
                if self.is_expired(hash) {
                    Ok(json!({ "context": { "slot": 0 }, "value": false }))
                } else {
                    self.inner.send(request, params).await
                }
            }
            _ => self.inner.send(request, params).await,
        };
        if timed_out {
            self.count(|c| c.timeouts += 1);
            return Err(timeout());
        }
        result
    }

    fn get_transport_stats(&self) -> RpcTransportStats {
        self.inner.get_transport_stats()
    }

    fn url(&self) -> String {
        self.inner.url()
    }
}

/// A JSON-RPC error with `message`, as a transport reports a bad request.
#[cfg(feature = "sandbox")]
pub(crate) fn rpc_err(message: impl Into<String>) -> ClientError {
    ClientErrorKind::Custom(message.into()).into()
}

/// A request's parameters that are missing or malformed: JSON-RPC's "invalid params".
pub(crate) fn bad_param(message: impl Into<String>) -> ClientError {
    RpcError::RpcRequestError(message.into()).into()
}

/// Parameter `index` of a JSON-RPC request.
pub(crate) fn param(params: &Value, index: usize) -> ClientResult<&Value> {
    params
        .get(index)
        .ok_or_else(|| bad_param(format!("missing parameter {index}")))
}

/// The transaction of a `sendTransaction` or `simulateTransaction` request (base64, as
/// `RpcClient` encodes it).
pub(crate) fn decode_transaction(params: &Value) -> ClientResult<VersionedTransaction> {
    let encoded = param(params, 0)?
        .as_str()
        .ok_or_else(|| bad_param("transaction must be a string"))?;
    let bytes = BASE64_STANDARD
        .decode(encoded)
        .map_err(|e| bad_param(format!("transaction is not base64: {e}")))?;
    bincode::deserialize(&bytes).map_err(|e| bad_param(format!("malformed transaction: {e}")))
}

fn timeout() -> ClientError {
    ClientErrorKind::Io(std::io::Error::new(
        std::io::ErrorKind::TimedOut,
        "injected fault: request timed out",
    ))
    .into()
}

/// The error `HttpSender` returns for an HTTP error status: a real reqwest status error.
fn http_status_error(code: u16) -> ClientError {
    let response = http::Response::builder()
        .status(code)
        .body(String::new())
        .expect("a valid status");
    let error = reqwest::Response::from(response)
        .error_for_status()
        .expect_err("an error status");
    ClientErrorKind::Reqwest(error).into()
}

/// The error `HttpSender` returns for a 429 it gave up on.
fn too_many_requests() -> ClientError {
    http_status_error(429)
}

/// A simulation result with nothing in it, for building a node's answers.
pub(crate) fn empty_simulation() -> RpcSimulateTransactionResult {
    RpcSimulateTransactionResult {
        err: None,
        logs: None,
        accounts: None,
        units_consumed: None,
        loaded_accounts_data_size: None,
        return_data: None,
        inner_instructions: None,
        replacement_blockhash: None,
        fee: None,
        pre_balances: None,
        post_balances: None,
        pre_token_balances: None,
        post_token_balances: None,
        loaded_addresses: None,
    }
}

/// What a node answers when a transaction's blockhash is unknown or too old.
fn blockhash_not_found() -> ClientError {
    RpcError::RpcResponseError {
        code: -32002,
        message: "Transaction simulation failed: Blockhash not found".into(),
        data: RpcResponseErrorData::SendTransactionPreflightFailure(RpcSimulateTransactionResult {
            err: Some(TransactionError::BlockhashNotFound.into()),
            logs: Some(vec![]),
            ..empty_simulation()
        }),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_parse_and_refuse_nonsense() {
        let faults: Faults = "timeout=0.2, rate_limit=0.2,drop=0.2,expire_blockhash=0.1,seed=7"
            .parse()
            .unwrap();
        assert_eq!(
            faults,
            Faults {
                timeout: 0.2,
                rate_limit: 0.2,
                drop: 0.2,
                expire_blockhash: 0.1,
                stale: 0.0,
                seed: 7,
                kill_after: None,
            }
        );
        assert_eq!(faults.to_string().parse::<Faults>().unwrap(), faults);
        assert_eq!(
            "kill_after=3".parse::<Faults>().unwrap().kill_after,
            Some(3)
        );
        for (bad, says) in [
            ("timeout=2", "timeout must be a probability"),
            ("drop=x", "drop must be a probability"),
            ("latency=0.1", "unknown fault \"latency\""),
            ("seed=-1", "seed must be a whole number"),
            ("kill_after=0", "kill_after must be a count"),
            ("timeout", "is not key=value"),
            ("timeout=0.5,rate_limit=0.5", "must stay below 1"),
            ("drop=0.5,stale=0.5", "must stay below 1"),
        ] {
            let error = bad.parse::<Faults>().unwrap_err();
            assert!(error.contains(says), "{bad}: {error}");
        }
    }

    /// Answers `getHealth`, failing the first `failures` requests with `error`.
    struct Flaky {
        failures: AtomicU64,
        error: fn() -> ClientError,
        seen: Mutex<Vec<Instant>>,
    }

    impl Flaky {
        fn new(failures: u64, error: fn() -> ClientError) -> Self {
            Self {
                failures: AtomicU64::new(failures),
                error,
                seen: Mutex::new(vec![]),
            }
        }
    }

    #[async_trait]
    impl RpcSender for Flaky {
        async fn send(&self, _: RpcRequest, _: Value) -> ClientResult<Value> {
            self.seen.lock().unwrap().push(Instant::now());
            let left = self.failures.load(Ordering::SeqCst);
            if left > 0 {
                self.failures.store(left - 1, Ordering::SeqCst);
                return Err((self.error)());
            }
            Ok(json!("ok"))
        }

        fn get_transport_stats(&self) -> RpcTransportStats {
            RpcTransportStats::default()
        }

        fn url(&self) -> String {
            "flaky".into()
        }
    }

    #[tokio::test(start_paused = true)]
    async fn transient_failures_are_retried_with_doubling_backoff() {
        let sender = Resilient::new(Flaky::new(3, too_many_requests), RetryPolicy::default());
        let start = Instant::now();
        let answer = sender
            .send(RpcRequest::GetHealth, Value::Null)
            .await
            .unwrap();
        assert_eq!(answer, json!("ok"));
        assert_eq!(sender.retries(), 3);
        // 250 ms, then 500 ms, then 1 s.
        assert_eq!(start.elapsed(), Duration::from_millis(1_750));

        let sender = Resilient::new(Flaky::new(1, blockhash_not_found), RetryPolicy::default());
        assert!(sender
            .send(RpcRequest::GetHealth, Value::Null)
            .await
            .is_err());
        assert_eq!(sender.retries(), 0, "a judged request is not retried");

        let policy = RetryPolicy {
            max_retries: 2,
            ..RetryPolicy::default()
        };
        let sender = Resilient::new(Flaky::new(5, timeout), policy);
        assert!(sender
            .send(RpcRequest::GetHealth, Value::Null)
            .await
            .is_err());
        assert_eq!(sender.retries(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn the_rate_limit_spaces_requests() {
        let policy = RetryPolicy {
            rate_limit: Some(4.0),
            ..RetryPolicy::default()
        };
        let sender = Resilient::new(Flaky::new(0, timeout), policy);
        for _ in 0..5 {
            sender
                .send(RpcRequest::GetHealth, Value::Null)
                .await
                .unwrap();
        }
        let seen = sender.inner.seen.lock().unwrap().clone();
        let gaps: Vec<Duration> = seen.windows(2).map(|w| w[1] - w[0]).collect();
        assert_eq!(gaps, vec![Duration::from_millis(250); 4]);
    }

    #[test]
    fn injected_errors_are_the_transient_kinds_real_transports_raise() {
        assert!(is_transient(&timeout()));
        assert!(is_transient(&too_many_requests()));
        let status = http_status_error;
        assert!(is_transient(&status(503)));
        assert!(is_transient(&status(502)));
        assert!(!is_transient(&status(400)));
        assert!(!is_transient(&status(401)));
        assert!(!is_transient(&blockhash_not_found()));
        assert_eq!(
            blockhash_not_found().get_transaction_error(),
            Some(TransactionError::BlockhashNotFound)
        );
    }
}
