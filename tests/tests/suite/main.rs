//! microdrop's integration suite: one binary, one module per instruction, plus the SDK
//! client over the embedded sandbox.

mod benefits;
mod create_drop;
mod mint;
mod sandbox;
mod sdk_client;
mod security;
mod set_drop_status;
mod splits;
mod support;
mod tiers;
mod vouchers;
