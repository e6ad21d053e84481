//! `microdrop dashboard`: a local page for the drop's creator, served by the CLI.
//!
//! The page (`web/dashboard`, built into `cli/assets/dashboard` and compiled in) reads
//! three endpoints: `GET /api/state` (the status view, what each split recipient was paid
//! and is owed, the redemptions), `GET /api/events?after=<id>` (the drop's events, the
//! same documents as `watch`, read incrementally from the chain) and `POST /api/action`
//! (pause, resume, fulfil), which the CLI signs with its keypair. Actions need the random
//! token in the URL the command prints, and the keypair must be the drop's authority.

use std::{fmt, net::SocketAddr, sync::Arc};

use anyhow::{Context, Result};
use clap::Args;
use http_body_util::{BodyExt, Full};
use hyper::{
    body::{Bytes, Incoming},
    header, Method, Request, Response, StatusCode,
};
use include_dir::{include_dir, Dir};
use microdrop_sdk::{
    microdrop::state::{Currency, DropStatus, RedemptionStatus},
    watch::{drop_events, Cursor, Start},
    Pubkey,
};
use serde::Serialize;
use serde_json::{json, Value};
use tokio::{net::TcpListener, sync::Mutex};

use crate::{args::GlobalArgs, cluster::Session, commands::status::resolve_drop};

/// The built dashboard.
pub static DASHBOARD: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/assets/dashboard");

/// Largest action body accepted.
const MAX_BODY: usize = 16 * 1024;

#[derive(Args, Debug)]
pub struct DashboardArgs {
    /// The drop: its address, or its drop.toml.
    pub drop: String,
    /// Where to serve the page.
    #[arg(long, default_value = "127.0.0.1:8088")]
    pub bind: String,
    /// Serve beyond loopback (the token still guards the actions).
    #[arg(long)]
    pub allow_remote: bool,
}

/// The one line `dashboard` prints when it is ready.
#[derive(Serialize)]
pub struct Serving {
    /// The page, with the token that guards its actions.
    pub url: String,
    pub drop: String,
    /// Whether the keypair is the drop's authority, so that the page offers actions.
    pub actions: bool,
}

impl fmt::Display for Serving {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "dashboard of {} at {}{}; Ctrl-C stops it",
            self.drop,
            self.url,
            if self.actions {
                ""
            } else {
                " (read-only: the keypair is not the drop's authority)"
            }
        )
    }
}

struct Dashboard {
    session: Session,
    drop: Pubkey,
    token: String,
    /// Events read so far (as `watch` prints them), and where reading resumes.
    events: Mutex<(Vec<Value>, Option<Cursor>)>,
}

pub async fn run(global: &GlobalArgs, args: &DashboardArgs) -> Result<()> {
    let addr: SocketAddr = args.bind.parse().with_context(|| {
        format!(
            "--bind {:?} is not an address and port, e.g. 127.0.0.1:8088",
            args.bind
        )
    })?;
    crate::commands::serve::check_bind(
        &addr,
        args.allow_remote,
        "the dashboard (its token still guards the actions)",
    )?;
    let session = Session::connect(global, true).await?;
    let drop = resolve_drop(&args.drop, &session.client.payer())?;
    let state = match session.client.find_drop(&drop).await {
        Ok(Some(state)) => state,
        Ok(None) => {
            session.finish().await?;
            anyhow::bail!("no drop {drop} on {}", session.url);
        }
        Err(e) => {
            session.finish().await?;
            return Err(e.into());
        }
    };
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    let salt = microdrop_sdk::instructions::voucher_salt();
    let token = microdrop_sdk::allowlist::hex(&salt);
    let serving = Serving {
        url: format!("http://{}/?token={token}", listener.local_addr()?),
        drop: drop.to_string(),
        actions: state.authority == session.client.payer(),
    };
    crate::output::write_stdout(&match global.output {
        crate::args::OutputFormat::Json => serde_json::to_string(&serving)?,
        crate::args::OutputFormat::Text => serving.to_string(),
    })?;
    let dashboard = Arc::new(Dashboard {
        session,
        drop,
        token,
        events: Mutex::new((Vec::new(), None)),
    });
    let result = {
        let dashboard = dashboard.clone();
        crate::commands::serve::serve_http(listener, move |request| {
            let dashboard = dashboard.clone();
            async move { respond(&dashboard, request).await }
        })
        .await
    };
    match Arc::try_unwrap(dashboard) {
        Ok(dashboard) => dashboard.session.finish().await?,
        Err(_) => anyhow::bail!("the dashboard stopped with requests still running"),
    }
    result
}

fn reply(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    if let Ok(value) = header::HeaderValue::from_str(content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

fn json_reply(status: StatusCode, value: &Value) -> Response<Full<Bytes>> {
    reply(
        status,
        "application/json",
        serde_json::to_vec(value).unwrap_or_default(),
    )
}

fn error_reply(status: StatusCode, message: impl fmt::Display) -> Response<Full<Bytes>> {
    json_reply(status, &json!({ "error": message.to_string() }))
}

/// The content type of an asset, by its extension.
fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

async fn respond(dashboard: &Dashboard, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or("").to_string();
    match (request.method(), path.as_str()) {
        (&Method::GET, "/api/state") => match state(dashboard).await {
            Ok(value) => json_reply(StatusCode::OK, &value),
            Err(e) => error_reply(StatusCode::BAD_GATEWAY, format!("{e:#}")),
        },
        (&Method::GET, "/api/events") => {
            let after = query
                .split('&')
                .find_map(|pair| pair.strip_prefix("after="))
                .map(|v| v.replace("%3A", ":"))
                .unwrap_or_default();
            match events_after(dashboard, &after).await {
                Ok(events) => json_reply(StatusCode::OK, &json!({ "events": events })),
                Err(e) => error_reply(StatusCode::BAD_GATEWAY, format!("{e:#}")),
            }
        }
        (&Method::POST, "/api/action") => {
            let token = request
                .headers()
                .get("x-microdrop-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            if token != dashboard.token {
                return error_reply(
                    StatusCode::FORBIDDEN,
                    "the token is missing or wrong: open the URL the dashboard printed",
                );
            }
            let body = match http_body_util::Limited::new(request.into_body(), MAX_BODY)
                .collect()
                .await
            {
                Ok(body) => body.to_bytes(),
                Err(_) => return error_reply(StatusCode::PAYLOAD_TOO_LARGE, "body too large"),
            };
            match serde_json::from_slice::<Value>(&body) {
                Ok(action) => match act(dashboard, &action).await {
                    Ok(signature) => json_reply(StatusCode::OK, &json!({ "signature": signature })),
                    Err(e) => error_reply(StatusCode::BAD_REQUEST, format!("{e:#}")),
                },
                Err(e) => error_reply(StatusCode::BAD_REQUEST, format!("not JSON: {e}")),
            }
        }
        (&Method::GET, _) => {
            let file = match path.trim_start_matches('/') {
                "" => "index.html",
                other => other,
            };
            match DASHBOARD.get_file(file) {
                Some(found) => reply(
                    StatusCode::OK,
                    content_type(file),
                    found.contents().to_vec(),
                ),
                None => error_reply(StatusCode::NOT_FOUND, format!("no {path}")),
            }
        }
        _ => error_reply(StatusCode::METHOD_NOT_ALLOWED, "GET the page, POST actions"),
    }
}

/// The status view, the split's payments and the redemptions.
async fn state(dashboard: &Dashboard) -> Result<Value> {
    let client = &dashboard.session.client;
    let view = crate::commands::status::DropView::fetch(client, &dashboard.drop)
        .await?
        .with_context(|| format!("no drop {}", dashboard.drop))?;
    let drop = client.drop(&dashboard.drop).await?;
    // Income in the currency: what was paid out, plus what the vault can still pay.
    let tokens = matches!(drop.currency, Currency::Spl { .. });
    let distributed = if tokens {
        drop.distributed_tokens
    } else {
        drop.distributed_lamports
    };
    let revenue = distributed + view.vault.balance;
    let mut splits = Vec::new();
    for split in &drop.splits {
        let paid = if tokens {
            split.paid_tokens
        } else {
            split.paid_lamports
        };
        let owed = microdrop_sdk::microdrop::instructions::distribute::owed(
            revenue,
            split.share_bps,
            paid,
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        splits.push(json!({
            "address": split.address.to_string(),
            "share_bps": split.share_bps,
            "paid": paid,
            "owed": owed,
        }));
    }
    let redemptions: Vec<Value> = client
        .redemptions(&dashboard.drop, None, None)
        .await?
        .iter()
        .map(|(address, r)| {
            let fulfilled = r.status == RedemptionStatus::Fulfilled;
            json!({
                "address": address.to_string(),
                "benefit": r.benefit_id,
                "holder": r.holder.to_string(),
                "burned": r.burned.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "redeemed_at": r.redeemed_at,
                "status": if fulfilled { "fulfilled" } else { "pending" },
                "reference": fulfilled.then(|| microdrop_sdk::allowlist::hex(&r.reference)),
            })
        })
        .collect();
    Ok(json!({
        "status": view,
        "splits": splits,
        "revenue": revenue,
        "redemptions": redemptions,
        "actions": drop.authority == client.payer(),
        "signer": client.payer().to_string(),
        "time": client.cluster_time().await?,
    }))
}

/// The events after the one with id `after` (all of them when empty), reading what is new
/// on the chain first.
async fn events_after(dashboard: &Dashboard, after: &str) -> Result<Vec<Value>> {
    let mut guard = dashboard.events.lock().await;
    let (events, cursor) = &mut *guard;
    let start = match cursor {
        Some(cursor) => Start::After(*cursor),
        None => Start::Beginning,
    };
    for event in drop_events(&dashboard.session.client, &dashboard.drop, start).await? {
        *cursor = Some(event.cursor());
        events.push(event.to_json());
    }
    let from = match after {
        "" => 0,
        id => events
            .iter()
            .position(|e| e["id"] == id)
            .map_or(0, |i| i + 1),
    };
    Ok(events[from..].to_vec())
}

/// Runs one action, signed by the CLI's keypair, and returns its signature.
async fn act(dashboard: &Dashboard, action: &Value) -> Result<String> {
    let client = &dashboard.session.client;
    let drop = client.drop(&dashboard.drop).await?;
    anyhow::ensure!(
        drop.authority == client.payer(),
        "{} is not the drop's authority ({}), so it cannot act for it",
        client.payer(),
        drop.authority
    );
    let signature = match action["action"].as_str() {
        Some("pause") => {
            client
                .set_drop_status(&dashboard.drop, DropStatus::Paused)
                .await?
        }
        Some("resume") => {
            client
                .set_drop_status(&dashboard.drop, DropStatus::Active)
                .await?
        }
        Some("fulfil") => {
            let redemption: Pubkey = action["redemption"]
                .as_str()
                .and_then(|r| r.parse().ok())
                .context("fulfil needs the redemption's address")?;
            let reference = action["reference"]
                .as_str()
                .filter(|r| !r.trim().is_empty())
                .context("fulfil needs a reference")?;
            client
                .fulfill(
                    &redemption,
                    crate::commands::fulfill::reference_bytes(reference),
                )
                .await?
        }
        other => anyhow::bail!("unknown action {other:?}: pause, resume or fulfil"),
    };
    Ok(signature.to_string())
}
