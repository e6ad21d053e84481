//! `microdrop sandbox serve`: the persisted sandbox as a JSON-RPC 2.0 endpoint over HTTP,
//! with the websocket pubsub API on the next port, for wallets, web pages and TypeScript
//! clients.
//!
//! The server holds the sandbox directory for as long as it runs. Meanwhile commands run
//! with `--url sandbox` on the same directory go through it (the directory's
//! `serving.json` says where), so no write is lost; `sandbox reset` is refused. On SIGINT
//! or SIGTERM it stops taking requests, saves the sandbox and exits.

use std::{
    convert::Infallible,
    net::SocketAddr,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
};

use anyhow::{bail, Context, Result};
use http_body_util::{BodyExt, Full};
use hyper::{
    body::{Bytes, Incoming},
    header, Method, Request, Response, StatusCode,
};
use hyper_util::rt::TokioIo;
use microdrop_sdk::{
    rpc_server,
    sandbox::{Sandbox, SERVING_FILE},
};
use serde::Serialize;
use serde_json::{json, Value};
use tokio::net::TcpListener;

use crate::args::GlobalArgs;

/// Where the HTTP endpoint announces the chain's changes to the websocket endpoint.
type Changes = tokio::sync::broadcast::Sender<crate::commands::pubsub::Change>;

/// Largest request body accepted (a validator's limit is about as large).
const MAX_BODY: usize = 50 * 1024 * 1024;

/// The one line `serve` prints when it is ready.
#[derive(Serialize)]
pub struct Serving {
    pub rpc: String,
    /// The websocket pubsub endpoint, on the next port.
    pub websocket: String,
}

impl std::fmt::Display for Serving {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "serving the sandbox at {} (JSON-RPC over HTTP) and {} (pubsub); Ctrl-C stops \
             and saves it",
            self.rpc, self.websocket
        )
    }
}

/// Whether `addr` may be bound: loopback always, anything else only when asked. `risk`
/// says what serving beyond this machine would expose.
pub fn check_bind(addr: &SocketAddr, allow_remote: bool, risk: &str) -> Result<()> {
    if !addr.ip().is_loopback() && !allow_remote {
        bail!(
            "--bind {addr} would serve {risk} beyond this machine; pass --allow-remote to do \
             it anyway"
        );
    }
    Ok(())
}

pub async fn run(global: &GlobalArgs, bind: &str, allow_remote: bool) -> Result<()> {
    let addr: SocketAddr = bind.parse().with_context(|| {
        format!("--bind {bind:?} is not an address and port, e.g. 127.0.0.1:8899")
    })?;
    check_bind(
        &addr,
        allow_remote,
        "the sandbox, where anyone could sign with its airdrops and move its clock,",
    )?;
    let dir = &global.sandbox_dir;
    let sandbox = Arc::new(
        Sandbox::open(dir)
            .await
            .with_context(|| format!("opening the sandbox in {}", dir.display()))?,
    );
    sandbox.default_keypair()?;
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    let local = listener.local_addr()?;
    // Pubsub on the next port, as validators do (any free port when asked for port 0).
    let ws_addr = SocketAddr::new(
        local.ip(),
        if addr.port() == 0 {
            0
        } else {
            local.port().wrapping_add(1)
        },
    );
    let ws_listener = TcpListener::bind(ws_addr)
        .await
        .with_context(|| format!("binding {ws_addr} for the websocket endpoint"))?;
    let serving = Serving {
        rpc: format!("http://{local}"),
        websocket: format!("ws://{}", ws_listener.local_addr()?),
    };
    let serving_file = dir.join(SERVING_FILE);
    std::fs::write(&serving_file, serde_json::to_vec(&serving)?)
        .with_context(|| format!("writing {}", serving_file.display()))?;
    // One line, JSON compact, so that a script can read it as soon as it appears.
    crate::output::write_stdout(&match global.output {
        crate::args::OutputFormat::Json => serde_json::to_string(&serving)?,
        crate::args::OutputFormat::Text => serving.to_string(),
    })?;

    let (changes, _) = tokio::sync::broadcast::channel(1_024);
    let pubsub = tokio::spawn(crate::commands::pubsub::serve(
        ws_listener,
        sandbox.clone(),
        changes.clone(),
    ));
    let result = {
        let sandbox = sandbox.clone();
        serve_http(listener, move |request| {
            let sandbox = sandbox.clone();
            let changes = changes.clone();
            async move { respond(&sandbox, &changes, request).await }
        })
        .await
    };
    pubsub.abort();
    let _ = std::fs::remove_file(&serving_file);
    sandbox.save().await.context("saving the sandbox state")?;
    result
}

/// Answers HTTP/1 connections on `listener` with `handle` until SIGINT or SIGTERM, then
/// lets the requests in flight finish: the one server loop of `sandbox serve` and
/// `dashboard`.
pub async fn serve_http<F, Fut>(listener: TcpListener, handle: F) -> Result<()>
where
    F: Fn(Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Response<Full<Bytes>>> + Send,
{
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut connections = tokio::task::JoinSet::new();
    let in_flight = Arc::new(AtomicUsize::new(0));
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = accepted?;
                let in_flight = in_flight.clone();
                let handle = handle.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let in_flight = in_flight.clone();
                        let handle = handle.clone();
                        async move {
                            in_flight.fetch_add(1, Ordering::SeqCst);
                            let response = handle(request).await;
                            in_flight.fetch_sub(1, Ordering::SeqCst);
                            Ok::<_, Infallible>(response)
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            _ = tokio::signal::ctrl_c() => break,
            _ = terminate.recv() => break,
        }
    }
    // Requests in flight finish (for up to ten seconds) before the caller saves its state;
    // idle keep-alive connections are then dropped.
    for _ in 0..1_000 {
        if in_flight.load(Ordering::SeqCst) == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// One HTTP request: a JSON-RPC body by POST (CORS allowed, so web pages can call it).
async fn respond(
    sandbox: &Sandbox,
    changes: &Changes,
    request: Request<Incoming>,
) -> Response<Full<Bytes>> {
    let reply = |status: StatusCode, body: Option<Value>| {
        let mut response = Response::builder()
            .status(status)
            .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")
            .header(header::ACCESS_CONTROL_ALLOW_METHODS, "POST, OPTIONS")
            .header(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                "content-type, solana-client",
            );
        let body = match body {
            Some(body) => {
                response = response.header(header::CONTENT_TYPE, "application/json");
                Bytes::from(body.to_string())
            }
            None => Bytes::new(),
        };
        response
            .body(Full::new(body))
            .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
    };
    match *request.method() {
        Method::OPTIONS => return reply(StatusCode::NO_CONTENT, None),
        Method::POST => {}
        _ => {
            return reply(
                StatusCode::METHOD_NOT_ALLOWED,
                Some(json!({"error": "send JSON-RPC requests by POST"})),
            )
        }
    }
    let body = match http_body_util::Limited::new(request.into_body(), MAX_BODY)
        .collect()
        .await
    {
        Ok(body) => body.to_bytes(),
        Err(_) => return reply(StatusCode::PAYLOAD_TOO_LARGE, None),
    };
    let request = match serde_json::from_slice::<Value>(&body) {
        Ok(request) => request,
        Err(e) => return reply(StatusCode::OK, Some(rpc_server::parse_error(&e))),
    };
    match rpc_server::answer_request(&sandbox.sender(), &request).await {
        Some(answer) => {
            // Tell the websocket subscribers what the request changed.
            for change in crate::commands::pubsub::changes(&request, &answer) {
                let _ = changes.send(change);
            }
            reply(StatusCode::OK, Some(answer))
        }
        None => reply(StatusCode::NO_CONTENT, None),
    }
}
