//! `sandbox serve`'s websocket pubsub endpoint: `signatureSubscribe`, `slotSubscribe`,
//! `accountSubscribe` and `logsSubscribe` (`mentions` or `all`), with their unsubscribe
//! calls, notifying as a validator does.
//!
//! The sandbox changes only through the HTTP endpoint, so that endpoint announces each
//! change (a transaction that landed, an airdrop, a warp) on a broadcast channel, and each
//! websocket connection re-checks its subscriptions then.

use std::collections::HashMap;

use futures_util::{SinkExt, StreamExt};
use microdrop_sdk::{rpc_server, sandbox::Sandbox};
use serde_json::{json, Value};
use std::sync::Arc;
use tokio::{net::TcpListener, sync::broadcast};
use tokio_tungstenite::tungstenite::Message;

/// What changed on the chain.
#[derive(Clone, Debug)]
pub enum Change {
    /// A transaction landed (its signature).
    Transaction(String),
    /// Only time moved (a warp).
    Clock,
}

/// The write calls in a JSON-RPC request and their answers: the changes they made.
pub fn changes(request: &Value, answer: &Value) -> Vec<Change> {
    let pairs: Vec<(&Value, &Value)> = match (request, answer) {
        (Value::Array(calls), Value::Array(answers)) => calls
            .iter()
            .filter_map(|call| {
                answers
                    .iter()
                    .find(|a| a["id"] == call["id"] && !call["id"].is_null())
                    .map(|a| (call, a))
            })
            .collect(),
        (call, answer) => vec![(call, answer)],
    };
    pairs
        .into_iter()
        .filter_map(|(call, answer)| {
            let result = answer.get("result")?;
            match call["method"].as_str()? {
                "sendTransaction" | "requestAirdrop" => {
                    Some(Change::Transaction(result.as_str()?.to_string()))
                }
                "sandboxWarp" => Some(Change::Clock),
                _ => None,
            }
        })
        .collect()
}

/// One connection's subscription.
enum Subscription {
    Signature(String),
    Slot,
    Account {
        address: String,
        config: Value,
        last: Option<Value>,
    },
    Logs(Option<String>),
}

/// Serves websocket connections until the task is dropped.
pub async fn serve(
    listener: TcpListener,
    sandbox: Arc<Sandbox>,
    changes: broadcast::Sender<Change>,
) {
    while let Ok((stream, _)) = listener.accept().await {
        let sandbox = sandbox.clone();
        let changes = changes.subscribe();
        tokio::spawn(async move {
            if let Ok(socket) = tokio_tungstenite::accept_async(stream).await {
                connection(socket, sandbox, changes).await;
            }
        });
    }
}

async fn connection(
    socket: tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>,
    sandbox: Arc<Sandbox>,
    mut changes: broadcast::Receiver<Change>,
) {
    let (mut out, mut incoming) = socket.split();
    let mut subscriptions: HashMap<u64, Subscription> = HashMap::new();
    let mut next_id: u64 = 0;
    loop {
        let messages = tokio::select! {
            message = incoming.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    let mut replies = Vec::new();
                    let reply = call(&sandbox, &text, &mut subscriptions, &mut next_id).await;
                    replies.push(reply);
                    // A subscription to something that already happened answers at once.
                    replies.extend(notify(&sandbox, &mut subscriptions, None).await);
                    replies
                }
                Some(Ok(Message::Ping(data))) => {
                    let _ = out.send(Message::Pong(data)).await;
                    continue;
                }
                Some(Ok(_)) => continue,
                _ => return,
            },
            change = changes.recv() => match change {
                Ok(change) => notify(&sandbox, &mut subscriptions, Some(&change)).await,
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    notify(&sandbox, &mut subscriptions, Some(&Change::Clock)).await
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
        };
        for message in messages {
            if out.send(Message::text(message.to_string())).await.is_err() {
                return;
            }
        }
    }
}

/// A subscribe or unsubscribe call's answer.
async fn call(
    sandbox: &Sandbox,
    text: &str,
    subscriptions: &mut HashMap<u64, Subscription>,
    next_id: &mut u64,
) -> Value {
    let Ok(request) = serde_json::from_str::<Value>(text) else {
        return json!({"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null});
    };
    let id = request["id"].clone();
    let params = &request["params"];
    let error = |code: i64, message: &str| json!({"jsonrpc": "2.0", "error": {"code": code, "message": message}, "id": id});
    let subscription = match request["method"].as_str() {
        Some("signatureSubscribe") => match params[0].as_str() {
            Some(signature) => Subscription::Signature(signature.to_string()),
            None => return error(-32602, "Invalid params: a signature"),
        },
        Some("slotSubscribe") => Subscription::Slot,
        Some("accountSubscribe") => match params[0].as_str() {
            Some(address) => {
                let config = params.get(1).cloned().unwrap_or(json!({}));
                let last = account(sandbox, address, &config).await;
                Subscription::Account {
                    address: address.to_string(),
                    config,
                    last: Some(last),
                }
            }
            None => return error(-32602, "Invalid params: an address"),
        },
        Some("logsSubscribe") => match &params[0] {
            Value::String(all) if all == "all" || all == "allWithVotes" => Subscription::Logs(None),
            filter => match filter["mentions"][0].as_str() {
                Some(address) => Subscription::Logs(Some(address.to_string())),
                None => {
                    return error(
                        -32602,
                        "Invalid params: \"all\" or {\"mentions\": [address]}",
                    )
                }
            },
        },
        Some(
            "signatureUnsubscribe" | "slotUnsubscribe" | "accountUnsubscribe" | "logsUnsubscribe",
        ) => {
            let removed = params[0]
                .as_u64()
                .is_some_and(|sub| subscriptions.remove(&sub).is_some());
            return json!({"jsonrpc": "2.0", "result": removed, "id": id});
        }
        _ => return error(-32601, "Method not found"),
    };
    let sub = *next_id;
    *next_id += 1;
    subscriptions.insert(sub, subscription);
    json!({"jsonrpc": "2.0", "result": sub, "id": id})
}

/// A JSON-RPC call's result from the sandbox (null on error).
async fn rpc(sandbox: &Sandbox, method: &str, params: Value) -> Value {
    let call = json!({"jsonrpc": "2.0", "id": 0, "method": method, "params": params});
    rpc_server::answer_request(&sandbox.sender(), &call)
        .await
        .map_or(Value::Null, |answer| answer["result"].clone())
}

async fn slot(sandbox: &Sandbox) -> u64 {
    rpc(sandbox, "getSlot", json!([]))
        .await
        .as_u64()
        .unwrap_or_default()
}

async fn account(sandbox: &Sandbox, address: &str, config: &Value) -> Value {
    let encoding = config.get("encoding").cloned().unwrap_or(json!("base64"));
    rpc(
        sandbox,
        "getAccountInfo",
        json!([address, {"encoding": encoding}]),
    )
    .await["value"]
        .clone()
}

fn notification(method: &str, subscription: u64, result: Value) -> Value {
    json!({
        "jsonrpc": "2.0",
        "method": method,
        "params": {"result": result, "subscription": subscription},
    })
}

/// The notifications `change` (or, with none, the state as it is) owes the
/// subscriptions; signature subscriptions end with theirs.
async fn notify(
    sandbox: &Sandbox,
    subscriptions: &mut HashMap<u64, Subscription>,
    change: Option<&Change>,
) -> Vec<Value> {
    let mut out = Vec::new();
    let mut done = Vec::new();
    let slot = slot(sandbox).await;
    let landed = match change {
        Some(Change::Transaction(signature)) => {
            let tx = rpc(
                sandbox,
                "getTransaction",
                json!([signature, {"encoding": "json", "maxSupportedTransactionVersion": 0}]),
            )
            .await;
            Some((signature.clone(), tx))
        }
        _ => None,
    };
    for (id, subscription) in subscriptions.iter_mut() {
        match subscription {
            Subscription::Signature(signature) => {
                let statuses = rpc(sandbox, "getSignatureStatuses", json!([[signature]])).await;
                let status = &statuses["value"][0];
                if !status.is_null() {
                    out.push(notification(
                        "signatureNotification",
                        *id,
                        json!({"context": {"slot": slot}, "value": {"err": status["err"]}}),
                    ));
                    done.push(*id);
                }
            }
            Subscription::Slot if change.is_some() => out.push(notification(
                "slotNotification",
                *id,
                json!({"parent": slot.saturating_sub(1), "root": slot, "slot": slot}),
            )),
            Subscription::Slot => {}
            Subscription::Account {
                address,
                config,
                last,
            } => {
                let now = account(sandbox, address, config).await;
                if last.as_ref() != Some(&now) {
                    out.push(notification(
                        "accountNotification",
                        *id,
                        json!({"context": {"slot": slot}, "value": now}),
                    ));
                    *last = Some(now);
                }
            }
            Subscription::Logs(mentions) => {
                let Some((signature, tx)) = &landed else {
                    continue;
                };
                // Its accounts: the message's own, and those a lookup table loaded.
                let loaded = &tx["meta"]["loadedAddresses"];
                let keys: Vec<&Value> = [
                    &tx["transaction"]["message"]["accountKeys"],
                    &loaded["writable"],
                    &loaded["readonly"],
                ]
                .into_iter()
                .filter_map(Value::as_array)
                .flatten()
                .collect();
                let mentioned = mentions
                    .as_ref()
                    .is_none_or(|address| keys.iter().any(|k| *k == address.as_str()));
                if mentioned && !tx.is_null() {
                    out.push(notification(
                        "logsNotification",
                        *id,
                        json!({"context": {"slot": slot}, "value": {
                            "signature": signature,
                            "err": tx["meta"]["err"],
                            "logs": tx["meta"]["logMessages"],
                        }}),
                    ));
                }
            }
        }
    }
    for id in done {
        subscriptions.remove(&id);
    }
    out
}
