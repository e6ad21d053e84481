//! The sandbox as a JSON-RPC 2.0 endpoint: turns a request body (one request or a batch)
//! into the response body a validator would send, answering from a [`SandboxSender`].
//!
//! The transport (HTTP, here `microdrop sandbox serve`) lives in the CLI; this module only
//! speaks JSON-RPC. Error codes are the standard ones: `-32700` for a body that is not
//! JSON, `-32600` for a request that is not a JSON-RPC 2.0 call, `-32601` for a method the
//! sandbox does not serve, `-32602` for bad parameters. A refused transaction gets the
//! shape a validator returns (`-32002`, "Transaction simulation failed: ...", with the
//! simulation, logs included, as `data`), so clients decode program errors as on devnet.

use serde_json::{json, Value};
use solana_rpc_client_api::{
    client_error::{Error as ClientError, ErrorKind},
    request::{RpcError, RpcRequest, RpcResponseErrorData},
};

use crate::sandbox::SandboxSender;
use solana_rpc_client::rpc_sender::RpcSender;

/// JSON-RPC 2.0's error codes.
pub mod code {
    pub const PARSE_ERROR: i64 = -32700;
    pub const INVALID_REQUEST: i64 = -32600;
    pub const METHOD_NOT_FOUND: i64 = -32601;
    pub const INVALID_PARAMS: i64 = -32602;
    pub const INTERNAL_ERROR: i64 = -32603;
}

/// The HTTP methods the sandbox serves, by their JSON-RPC names.
pub fn method(name: &str) -> Option<RpcRequest> {
    use RpcRequest::*;
    Some(match name {
        "getVersion" => GetVersion,
        "getHealth" => GetHealth,
        "getGenesisHash" => GetGenesisHash,
        "getIdentity" => GetIdentity,
        "getSlot" => GetSlot,
        "getBlockHeight" => GetBlockHeight,
        "getEpochInfo" => GetEpochInfo,
        "getLatestBlockhash" => GetLatestBlockhash,
        "isBlockhashValid" => IsBlockhashValid,
        "getFeeForMessage" => GetFeeForMessage,
        "getMinimumBalanceForRentExemption" => GetMinimumBalanceForRentExemption,
        "getBalance" => GetBalance,
        "getAccountInfo" => GetAccountInfo,
        "getMultipleAccounts" => GetMultipleAccounts,
        "getProgramAccounts" => GetProgramAccounts,
        "getTokenAccountsByOwner" => GetTokenAccountsByOwner,
        "getTokenAccountBalance" => GetTokenAccountBalance,
        "getTokenSupply" => GetTokenSupply,
        "requestAirdrop" => RequestAirdrop,
        "sendTransaction" => SendTransaction,
        "simulateTransaction" => SimulateTransaction,
        "getSignatureStatuses" => GetSignatureStatuses,
        "getTransaction" => GetTransaction,
        "getSignaturesForAddress" => GetSignaturesForAddress,
        "getRecentPrioritizationFees" => GetRecentPrioritizationFees,
        // The sandbox's own: moves its clock forward to `[unix_time]`.
        "sandboxWarp" => Custom {
            method: "sandboxWarp",
        },
        // The sandbox's own: refuses transactions whose trace exceeds `[entries]` (0 lifts
        // it), as a cluster with a smaller limit would.
        "sandboxTraceLimit" => Custom {
            method: "sandboxTraceLimit",
        },
        _ => return None,
    })
}

/// The response body for a request body, or `None` when nothing is to be answered (a
/// batch of notifications only).
pub async fn answer(sender: &SandboxSender, body: &[u8]) -> Option<Value> {
    match serde_json::from_slice(body) {
        Ok(request) => answer_request(sender, &request).await,
        Err(e) => Some(parse_error(&e)),
    }
}

/// The answer to a body that is not JSON.
pub fn parse_error(e: &serde_json::Error) -> Value {
    error(
        Value::Null,
        code::PARSE_ERROR,
        &format!("Parse error: {e}"),
        None,
    )
}

/// [`answer`] for a request already parsed (one call or a batch).
pub async fn answer_request(sender: &SandboxSender, request: &Value) -> Option<Value> {
    match request {
        Value::Array(calls) if calls.is_empty() => Some(error(
            Value::Null,
            code::INVALID_REQUEST,
            "Invalid request: empty batch",
            None,
        )),
        Value::Array(calls) => {
            let mut answers = Vec::with_capacity(calls.len());
            for call in calls {
                if let Some(answer) = answer_one(sender, call).await {
                    answers.push(answer);
                }
            }
            (!answers.is_empty()).then_some(Value::Array(answers))
        }
        call => answer_one(sender, call).await,
    }
}

/// One call's response, or `None` for a notification (no `id`).
async fn answer_one(sender: &SandboxSender, call: &Value) -> Option<Value> {
    let Value::Object(call) = call else {
        return Some(error(
            Value::Null,
            code::INVALID_REQUEST,
            "Invalid request",
            None,
        ));
    };
    let id = call.get("id").cloned();
    let reply_id = id.clone().unwrap_or(Value::Null);
    let valid_id = matches!(
        id,
        None | Some(Value::Null | Value::Number(_) | Value::String(_))
    );
    let (Some("2.0"), Some(Value::String(name)), true) = (
        call.get("jsonrpc").and_then(Value::as_str),
        call.get("method"),
        valid_id,
    ) else {
        return Some(error(
            reply_id,
            code::INVALID_REQUEST,
            "Invalid request",
            None,
        ));
    };
    let params = match call.get("params") {
        None | Some(Value::Null) => json!([]),
        Some(params @ Value::Array(_)) => params.clone(),
        Some(_) => {
            return Some(error(
                reply_id,
                code::INVALID_PARAMS,
                "Invalid params: positional parameters are expected",
                None,
            ))
        }
    };
    let Some(request) = method(name) else {
        return id.map(|id| error(id, code::METHOD_NOT_FOUND, "Method not found", None));
    };
    let result = sender.send(request, params).await;
    let id = id?;
    Some(match result {
        Ok(result) => json!({ "jsonrpc": "2.0", "result": result, "id": id }),
        Err(e) => client_error(id, e),
    })
}

/// A sandbox error as a validator would report it.
fn client_error(id: Value, error_: ClientError) -> Value {
    match error_.kind() {
        ErrorKind::RpcError(RpcError::RpcResponseError {
            code,
            message,
            data,
        }) => {
            let data = match data {
                RpcResponseErrorData::SendTransactionPreflightFailure(simulation) => {
                    serde_json::to_value(simulation).ok()
                }
                RpcResponseErrorData::NodeUnhealthy { num_slots_behind } => {
                    Some(json!({ "numSlotsBehind": num_slots_behind }))
                }
                RpcResponseErrorData::Empty => None,
            };
            error(id, *code, message, data)
        }
        ErrorKind::RpcError(RpcError::RpcRequestError(message) | RpcError::ParseError(message)) => {
            error(
                id,
                code::INVALID_PARAMS,
                &format!("Invalid params: {message}"),
                None,
            )
        }
        ErrorKind::SerdeJson(e) => error(
            id,
            code::INVALID_PARAMS,
            &format!("Invalid params: {e}"),
            None,
        ),
        other => error(id, code::INTERNAL_ERROR, &other.to_string(), None),
    }
}

fn error(id: Value, code: i64, message: &str, data: Option<Value>) -> Value {
    let mut error = json!({ "code": code, "message": message });
    if let Some(data) = data {
        error["data"] = data;
    }
    json!({ "jsonrpc": "2.0", "error": error, "id": id })
}
