//! The async client: builds, signs, sends and confirms transactions, and fetches accounts.
//!
//! It talks only to an [`RpcClient`]. On a real cluster that client speaks HTTP; on the
//! embedded sandbox it runs over [`crate::sandbox::SandboxSender`], a transport that answers
//! the same JSON-RPC calls from an in-process runtime. Every command therefore exercises
//! the code real clusters use.

use std::sync::Arc;

use std::collections::HashMap;

use anchor_lang::{prelude::Pubkey, solana_program::program_pack::Pack, AccountDeserialize};
use anchor_spl::token::spl_token::state::Account as TokenAccount;
use microdrop::{
    events::Payout,
    instructions::CreateDropArgs,
    state::{
        item_tiers, Benefit, BenefitConfig, Currency, Drop, DropStatus, Redemption,
        RedemptionStatus, SplitConfig, Tier, TierConfig, WalletRecord,
    },
};
use solana_account::Account;
use solana_account_decoder_client_types::UiAccountEncoding;
use solana_address_lookup_table_interface::{instruction as alt, state::AddressLookupTable};
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_message::{v0, AddressLookupTableAccount, Instruction, VersionedMessage};
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::{
    config::{
        RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcSendTransactionConfig,
        RpcSimulateTransactionConfig,
    },
    filter::{Memcmp, RpcFilterType},
};
use solana_signer::Signer;
use solana_transaction::{versioned::VersionedTransaction, Signature, Transaction};
use solana_transaction_error::TransactionError;

use crate::{
    accounts,
    allowlist::AllowList,
    eligibility::{self, Allowance, TierEligibility, WalletFacts},
    instructions::{self, MintRequest},
    pda, Error, TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID,
};

/// Most items one mint transaction creates: the program's limit, set by the 64
/// instructions a transaction may run (each item takes about 20, CPIs included).
pub const MAX_ITEMS_PER_TX: u8 = microdrop::constants::MAX_ITEMS_PER_MINT;

/// The largest serialized transaction a cluster accepts.
pub const PACKET_DATA_SIZE: usize = 1232;

/// Times a mint or redemption is rebuilt after another wallet's transaction took the
/// item or receipt numbers it was built for.
const MAX_RACE_RETRIES: u32 = 5;

/// What a confirmed transaction cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransactionCost {
    pub units: u64,
    pub bytes: usize,
    pub accounts: usize,
}

/// What one distribution paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistributionOutcome {
    /// `None` for lamports, the currency mint for tokens.
    pub currency_mint: Option<Pubkey>,
    pub payouts: Vec<Payout>,
    /// Left in the vault for the next distribution.
    pub undistributed: u64,
    pub signature: Signature,
}

/// What a redemption did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedeemOutcome {
    pub redemption: Pubkey,
    pub burned: Vec<Pubkey>,
    pub signature: Signature,
}

/// A token account with a balance, and the token program it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldToken {
    pub address: Pubkey,
    pub mint: Pubkey,
    pub amount: u64,
    pub token_program: Pubkey,
}

/// An item a wallet holds, as a holder gate takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldItem {
    /// The wallet's token account holding it.
    pub token: Pubkey,
    /// Its Token Metadata account.
    pub metadata: Pubkey,
    /// Its mint.
    pub mint: Pubkey,
}

/// What a completed mint did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MintOutcome {
    /// The new items' mints, in index order.
    pub mints: Vec<Pubkey>,
    /// One signature per transaction.
    pub signatures: Vec<Signature>,
    /// Total paid, in the drop's currency's smallest units.
    pub paid: u64,
    /// The lookup table the transactions went through as v0, or `None` when they were
    /// legacy transactions (the drop names no table).
    pub lookup_table: Option<Pubkey>,
}

/// A connection to a cluster plus the wallet that signs and pays.
pub struct Client {
    rpc: Arc<RpcClient>,
    payer: Arc<Keypair>,
    options: SendOptions,
}

/// The priority fee a [`Client`] adds to its transactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PriorityFee {
    /// None: the base fee only.
    #[default]
    None,
    /// This many micro-lamports per compute unit.
    MicroLamports(u64),
    /// The 75th percentile of the fees recently paid to write the same accounts.
    Auto,
}

impl std::str::FromStr for PriorityFee {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "auto" => Ok(PriorityFee::Auto),
            "0" | "none" => Ok(PriorityFee::None),
            n => n.parse().map(PriorityFee::MicroLamports).map_err(|_| {
                format!("priority fee must be micro-lamports per compute unit or `auto`, not {n:?}")
            }),
        }
    }
}

/// How a [`Client`] sends transactions.
#[derive(Debug, Clone, PartialEq)]
pub struct SendOptions {
    pub priority_fee: PriorityFee,
    /// Compute units requested above what a simulation consumed, in percent.
    pub compute_headroom_percent: u32,
    /// Fresh-blockhash signings after the first, when blockhashes expire before landing.
    pub max_resigns: u32,
    /// Wait between status checks while confirming.
    pub poll_interval: std::time::Duration,
    /// Status checks before confirming gives up on a blockhash that never expires.
    pub max_confirm_polls: u32,
    /// Instruction-trace entries a mint transaction leaves unused, for what wallets add
    /// around it (tips, memos, assertions); fewer items go in a transaction otherwise.
    pub reserved_trace: usize,
}

impl Default for SendOptions {
    fn default() -> Self {
        Self {
            priority_fee: PriorityFee::None,
            compute_headroom_percent: 10,
            max_resigns: 10,
            poll_interval: std::time::Duration::from_millis(400),
            max_confirm_polls: 1_000,
            reserved_trace: TRACE_RESERVED_FOR_WALLETS,
        }
    }
}

/// Trace entries every mint leaves for the instructions wallets add, by default.
pub const TRACE_RESERVED_FOR_WALLETS: usize = 8;

/// The per-transaction compute limit of every cluster.
pub const MAX_COMPUTE_UNITS: u32 = 1_400_000;

/// Units added to every sized limit on top of the percentage, for small transactions.
const COMPUTE_UNIT_MARGIN: u64 = 1_000;

/// Status checks between rebroadcasts of a transaction waiting to land.
const REBROADCAST_EVERY_POLLS: u32 = 5;

/// A mint's failure: the failure itself when nothing landed before it, else what did.
fn incomplete(outcome: MintOutcome, error: Error) -> Error {
    if outcome.signatures.is_empty() {
        return error;
    }
    Error::MintIncomplete {
        minted: outcome.mints,
        signatures: outcome.signatures,
        failure: Box::new(error),
    }
}

/// The compute-budget instructions [`Client::send`] puts in front, for sizing a
/// transaction (their values do not change their size): the limit, and the price when
/// `priced`.
fn sizing_budget(priced: bool) -> Vec<Instruction> {
    let mut ixs = vec![instructions::compute_unit_limit(MAX_COMPUTE_UNITS)];
    if priced {
        ixs.push(instructions::compute_unit_price(1));
    }
    ixs
}

/// The addresses of `wanted` that `table` does not hold yet.
pub fn lacking_from(table: &AddressLookupTableAccount, wanted: Vec<Pubkey>) -> Vec<Pubkey> {
    wanted
        .into_iter()
        .filter(|address| !table.addresses.contains(address))
        .collect()
}

/// The most leading `addresses` whose transaction `build` makes still fits a packet (with
/// the compute-budget instructions `send` adds); at least 1.
fn largest_fitting(
    addresses: &[Pubkey],
    payer: &Pubkey,
    build: impl Fn(&[Pubkey]) -> Vec<Instruction>,
) -> usize {
    (1..=addresses.len())
        .rev()
        .find(|&n| {
            let mut ixs = sizing_budget(true);
            ixs.extend(build(&addresses[..n]));
            legacy_transaction_size(&ixs, payer) <= PACKET_DATA_SIZE
        })
        .unwrap_or(1)
}

/// What [`Client::ensure_lookup_table`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupTableOutcome {
    pub address: Pubkey,
    pub created: bool,
    /// Addresses added to the table.
    pub added: usize,
    pub signatures: Vec<Signature>,
}

/// Signs `instructions` as a legacy transaction, or as v0 through `tables`.
fn sign(
    instructions: &[Instruction],
    payer: &Pubkey,
    signers: &[&Keypair],
    blockhash: solana_message::Hash,
    tables: &[AddressLookupTableAccount],
) -> Result<VersionedTransaction, Error> {
    if tables.is_empty() {
        return Ok(Transaction::new_signed_with_payer(
            instructions,
            Some(payer),
            signers,
            blockhash,
        )
        .into());
    }
    let message = v0::Message::try_compile(payer, instructions, tables, blockhash)
        .map_err(|e| Error::Rpc(format!("compiling a v0 message: {e}")))?;
    VersionedTransaction::try_new(VersionedMessage::V0(message), signers)
        .map_err(|e| Error::Keypair(format!("signing: {e}")))
}

/// The fee [`PriorityFee::Auto`] picks from recent per-slot fees: their 75th percentile.
pub fn auto_priority_fee(mut recent: Vec<u64>) -> u64 {
    if recent.is_empty() {
        return 0;
    }
    recent.sort_unstable();
    recent[(recent.len() * 3).div_ceil(4) - 1]
}

impl Client {
    /// A client that signs and pays with `payer`.
    pub fn new(rpc: RpcClient, payer: Keypair) -> Self {
        Self {
            rpc: Arc::new(rpc),
            payer: Arc::new(payer),
            options: SendOptions::default(),
        }
    }

    /// The same client, sending as `options` say.
    pub fn with_send_options(mut self, options: SendOptions) -> Self {
        self.options = options;
        self
    }

    /// How this client sends.
    pub fn send_options(&self) -> &SendOptions {
        &self.options
    }

    /// The underlying RPC client.
    pub fn rpc(&self) -> &RpcClient {
        &self.rpc
    }

    /// The paying wallet's address.
    pub fn payer(&self) -> Pubkey {
        self.payer.pubkey()
    }

    /// The commitment reads and confirmations use.
    pub fn commitment(&self) -> CommitmentConfig {
        self.rpc.commitment()
    }

    /// Signs `instructions` with the payer (and `extra_signers`), sends them as one
    /// transaction and waits for it at the client's commitment, exactly once.
    ///
    /// The compute-unit limit is sized from a simulation (plus
    /// [`SendOptions::compute_headroom_percent`]) and the priority fee set as
    /// [`SendOptions::priority_fee`] says; compute-budget instructions among
    /// `instructions` are replaced. A transaction whose blockhash expires before it lands
    /// is signed again with a fresh one, but only after every signature sent so far is
    /// known not to have landed, so a lost answer never applies an operation twice.
    /// Program failures come back as [`Error::Program`] with the error's name and logs.
    pub async fn send(
        &self,
        instructions: &[Instruction],
        extra_signers: &[&Keypair],
    ) -> Result<Signature, Error> {
        self.send_through(instructions, extra_signers, &[]).await
    }

    /// [`Client::send`] as a v0 transaction whose accounts are looked up in `tables`
    /// where they hold them (a legacy transaction when `tables` is empty).
    pub async fn send_through(
        &self,
        instructions: &[Instruction],
        extra_signers: &[&Keypair],
        tables: &[AddressLookupTableAccount],
    ) -> Result<Signature, Error> {
        let body: Vec<Instruction> = instructions
            .iter()
            .filter(|ix| ix.program_id != instructions::COMPUTE_BUDGET_PROGRAM_ID)
            .cloned()
            .collect();
        let price = self.priority_fee_for(&body).await?;
        let budget = |units: u32| {
            let mut ixs = vec![instructions::compute_unit_limit(units)];
            if price > 0 {
                ixs.push(instructions::compute_unit_price(price));
            }
            ixs.extend(body.iter().cloned());
            ixs
        };
        let programs: Vec<Pubkey> = budget(0).iter().map(|ix| ix.program_id).collect();
        let mut signers: Vec<&Keypair> = vec![&self.payer];
        signers.extend_from_slice(extra_signers);
        let payer = self.payer();

        let mut blockhash = self.latest_blockhash().await?;
        let probe = sign(
            &budget(MAX_COMPUTE_UNITS),
            &payer,
            &signers,
            blockhash,
            tables,
        )?;
        let bytes = bincode::serialized_size(&probe)
            .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
        if bytes > PACKET_DATA_SIZE {
            return Err(Error::TooLarge {
                bytes,
                limit: PACKET_DATA_SIZE,
            });
        }
        let limit = self.sized_compute_limit(&probe, &programs).await?;
        let ixs = budget(limit);

        let mut sent: Vec<Signature> = Vec::new();
        for attempt in 0..=self.options.max_resigns {
            if attempt > 0 {
                blockhash = self.latest_blockhash().await?;
            }
            let tx = sign(&ixs, &payer, &signers, blockhash, tables)?;
            sent.push(tx.signatures[0]);
            let config = RpcSendTransactionConfig {
                preflight_commitment: Some(self.commitment().commitment),
                ..RpcSendTransactionConfig::default()
            };
            if let Err(error) = self.rpc.send_transaction_with_config(&tx, config).await {
                match error.get_transaction_error() {
                    // An earlier send of this very transaction landed: confirm it below.
                    Some(TransactionError::AlreadyProcessed) => {}
                    Some(TransactionError::BlockhashNotFound) => {
                        match self.landed(&sent, &programs).await? {
                            Some(result) => return result,
                            None => continue,
                        }
                    }
                    // Refused by preflight; but an earlier attempt whose answer was lost may
                    // have landed, and this refusal be the state it created.
                    Some(_) => {
                        return match self.landed(&sent, &programs).await? {
                            Some(result) => result,
                            None => Err(Error::from_client_error(error, &programs)),
                        };
                    }
                    // Lost on the way there or back: its status tells which.
                    None if crate::transport::is_transient(&error) => {}
                    None => return Err(Error::Rpc(error.to_string())),
                }
            }
            if let Some(result) = self.confirm(&tx, &sent, &programs).await? {
                return result;
            }
        }
        Err(Error::Rpc(format!(
            "the transaction did not land in {} attempts: each blockhash expired first \
             (signatures {})",
            sent.len(),
            sent.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )))
    }

    async fn latest_blockhash(&self) -> Result<solana_message::Hash, Error> {
        self.rpc
            .get_latest_blockhash()
            .await
            .map_err(|e| Error::Rpc(e.to_string()))
    }

    /// The compute-unit limit for `probe`'s instructions: what a simulation consumed plus
    /// headroom. A simulation that fails is the program's refusal, returned by name.
    async fn sized_compute_limit(
        &self,
        probe: &VersionedTransaction,
        programs: &[Pubkey],
    ) -> Result<u32, Error> {
        let config = RpcSimulateTransactionConfig {
            sig_verify: false,
            replace_recent_blockhash: true,
            commitment: Some(self.commitment()),
            ..RpcSimulateTransactionConfig::default()
        };
        let simulated = self
            .rpc
            .simulate_transaction_with_config(probe, config)
            .await
            .map_err(|e| Error::from_client_error(e, programs))?
            .value;
        if let Some(error) = simulated.err {
            return Err(Error::from_transaction_error(
                error.into(),
                simulated.logs.unwrap_or_default(),
                programs,
            ));
        }
        let units = simulated
            .units_consumed
            .unwrap_or(u64::from(MAX_COMPUTE_UNITS));
        let headroom = units * u64::from(self.options.compute_headroom_percent) / 100;
        let limit = units
            .saturating_add(headroom)
            .saturating_add(COMPUTE_UNIT_MARGIN);
        Ok(u32::try_from(limit)
            .unwrap_or(MAX_COMPUTE_UNITS)
            .min(MAX_COMPUTE_UNITS))
    }

    /// The priority fee, in micro-lamports per compute unit, for a transaction writing
    /// the accounts `instructions` write.
    async fn priority_fee_for(&self, instructions: &[Instruction]) -> Result<u64, Error> {
        match self.options.priority_fee {
            PriorityFee::None => Ok(0),
            PriorityFee::MicroLamports(price) => Ok(price),
            PriorityFee::Auto => {
                let mut writable: Vec<Pubkey> = instructions
                    .iter()
                    .flat_map(|ix| ix.accounts.iter())
                    .filter(|meta| meta.is_writable)
                    .map(|meta| meta.pubkey)
                    .collect();
                writable.sort();
                writable.dedup();
                // The RPC method takes at most 128 accounts.
                writable.truncate(128);
                let fees = self
                    .rpc
                    .get_recent_prioritization_fees(&writable)
                    .await
                    .map_err(|e| Error::Rpc(e.to_string()))?;
                Ok(auto_priority_fee(
                    fees.iter().map(|f| f.prioritization_fee).collect(),
                ))
            }
        }
    }

    /// The outcome of the first of `sent` that landed at the client's commitment, if any.
    async fn landed(
        &self,
        sent: &[Signature],
        programs: &[Pubkey],
    ) -> Result<Option<Result<Signature, Error>>, Error> {
        let statuses = self
            .rpc
            .get_signature_statuses(sent)
            .await
            .map_err(|e| Error::Rpc(e.to_string()))?
            .value;
        for (signature, status) in sent.iter().zip(statuses) {
            let Some(status) = status else { continue };
            if !status.satisfies_commitment(self.commitment()) {
                continue;
            }
            return Ok(Some(match status.err {
                None => Ok(*signature),
                Some(error) => {
                    let logs = self.transaction_logs(signature).await;
                    Err(Error::from_transaction_error(error, logs, programs))
                }
            }));
        }
        Ok(None)
    }

    /// Program logs of a landed transaction (empty when the node no longer has it).
    async fn transaction_logs(&self, signature: &Signature) -> Vec<String> {
        use solana_transaction_status_client_types::option_serializer::OptionSerializer;
        match self.fetch_transaction(signature).await {
            Ok((meta, _)) => match meta.log_messages {
                OptionSerializer::Some(logs) => logs,
                _ => vec![],
            },
            Err(_) => vec![],
        }
    }

    /// Waits until one of `sent` lands at the client's commitment (`Some` outcome) or
    /// `tx`'s blockhash expires with none of them landed (`None`: sign again).
    /// Rebroadcasts `tx` while waiting, as nodes may drop it.
    async fn confirm(
        &self,
        tx: &VersionedTransaction,
        sent: &[Signature],
        programs: &[Pubkey],
    ) -> Result<Option<Result<Signature, Error>>, Error> {
        let blockhash = *tx.message.recent_blockhash();
        let mut polls: u32 = 0;
        loop {
            if let Some(result) = self.landed(sent, programs).await? {
                return Ok(Some(result));
            }
            let valid = self
                .rpc
                .is_blockhash_valid(&blockhash, CommitmentConfig::processed())
                .await
                .map_err(|e| Error::Rpc(e.to_string()))?;
            if !valid {
                // It can no longer land; one last look closes the race with landing.
                return self.landed(sent, programs).await;
            }
            polls += 1;
            if polls > self.options.max_confirm_polls {
                return Err(Error::Rpc(format!(
                    "transaction {} neither landed nor expired after {polls} checks",
                    tx.signatures[0]
                )));
            }
            if polls.is_multiple_of(REBROADCAST_EVERY_POLLS) {
                let config = RpcSendTransactionConfig {
                    skip_preflight: true,
                    ..RpcSendTransactionConfig::default()
                };
                // Best effort: a failed rebroadcast changes nothing the next poll misses.
                let _ = self.rpc.send_transaction_with_config(tx, config).await;
            }
            tokio::time::sleep(self.options.poll_interval).await;
        }
    }

    /// Sends `instructions` in order, packed into as few transactions as fit (each fits a
    /// packet; compute stays small for configuration instructions). Stops at the first
    /// failure, returning what landed before it in the error's place.
    pub async fn send_packed(
        &self,
        instructions: Vec<Instruction>,
    ) -> Result<Vec<Signature>, Error> {
        let mut signatures = Vec::new();
        for batch in pack_transactions(instructions, &self.payer()) {
            signatures.push(self.send(&batch, &[]).await?);
        }
        Ok(signatures)
    }

    /// The account at `address`, or `None` when it does not exist.
    pub async fn account(&self, address: &Pubkey) -> Result<Option<Account>, Error> {
        self.rpc
            .get_account_with_commitment(address, self.commitment())
            .await
            .map(|response| response.value)
            .map_err(|e| Error::Rpc(e.to_string()))
    }

    /// The lamport balance of `address` (0 when it does not exist).
    pub async fn balance(&self, address: &Pubkey) -> Result<u64, Error> {
        Ok(self.account(address).await?.map_or(0, |a| a.lamports))
    }

    /// The drop at `address`, or `None` when no account exists there.
    pub async fn find_drop(&self, address: &Pubkey) -> Result<Option<Drop>, Error> {
        match self.account(address).await? {
            Some(account) if account.owner == microdrop::ID => {
                accounts::decode_drop(&account.data).map(Some)
            }
            Some(_) => Err(Error::Decode(format!(
                "{address} is not owned by the microdrop program"
            ))),
            None => Ok(None),
        }
    }

    /// The drop at `address`; an error when it does not exist.
    pub async fn drop(&self, address: &Pubkey) -> Result<Drop, Error> {
        self.find_drop(address)
            .await?
            .ok_or(Error::AccountNotFound(*address))
    }

    /// Lamports a launch costs the payer: rent for every account it creates
    /// ([`crate::launch_account_sizes`]), Token Metadata's create fee, and the fees of its
    /// two transactions (create, activate), at the cluster's current rent.
    pub async fn launch_cost(&self, spl_currency: bool) -> Result<u64, Error> {
        let mut total = 0u64;
        for size in crate::launch_account_sizes(spl_currency) {
            let rent = self
                .rpc
                .get_minimum_balance_for_rent_exemption(size)
                .await
                .map_err(|e| Error::Rpc(e.to_string()))?;
            total = total.saturating_add(rent);
        }
        Ok(total
            .saturating_add(crate::TOKEN_METADATA_CREATE_FEE)
            .saturating_add(2 * crate::SIGNATURE_FEE_LAMPORTS))
    }

    /// A confirmed transaction with its status, from the cluster's history.
    async fn fetch_transaction(
        &self,
        signature: &Signature,
    ) -> Result<
        (
            solana_transaction_status_client_types::UiTransactionStatusMeta,
            solana_transaction::versioned::VersionedTransaction,
        ),
        Error,
    > {
        let found = self.confirmed_transaction(signature).await?;
        let meta = found
            .transaction
            .meta
            .ok_or_else(|| Error::Decode(format!("transaction {signature} has no status")))?;
        let tx = found
            .transaction
            .transaction
            .decode()
            .ok_or_else(|| Error::Decode(format!("transaction {signature}")))?;
        Ok((meta, tx))
    }

    /// `getTransaction`, base64-encoded, v0 included.
    async fn confirmed_transaction(
        &self,
        signature: &Signature,
    ) -> Result<
        solana_transaction_status_client_types::EncodedConfirmedTransactionWithStatusMeta,
        Error,
    > {
        use solana_rpc_client_api::config::RpcTransactionConfig;
        use solana_transaction_status_client_types::UiTransactionEncoding;
        let config = RpcTransactionConfig {
            encoding: Some(UiTransactionEncoding::Base64),
            commitment: Some(self.commitment()),
            max_supported_transaction_version: Some(0),
        };
        self.rpc
            .get_transaction_with_config(signature, config)
            .await
            .map_err(|e| match e.kind() {
                // A node answers `null` for a signature it does not know.
                solana_rpc_client_api::client_error::ErrorKind::SerdeJson(_) => Error::NotFound(
                    format!("transaction {signature} is not in the cluster's history"),
                ),
                _ => Error::Rpc(e.to_string()),
            })
    }

    /// A confirmed transaction's slot and block time.
    pub async fn transaction_slot_and_time(
        &self,
        signature: &Signature,
    ) -> Result<(u64, Option<i64>), Error> {
        let found = self.confirmed_transaction(signature).await?;
        Ok((found.slot, found.block_time))
    }

    /// What a confirmed transaction cost: compute units, serialized bytes, accounts.
    pub async fn transaction_cost(&self, signature: &Signature) -> Result<TransactionCost, Error> {
        use solana_transaction_status_client_types::option_serializer::OptionSerializer;
        let (meta, tx) = self.fetch_transaction(signature).await?;
        let units = match meta.compute_units_consumed {
            OptionSerializer::Some(units) => units,
            _ => 0,
        };
        Ok(TransactionCost {
            units,
            bytes: bincode::serialized_size(&tx)
                .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX)),
            accounts: tx.message.static_account_keys().len(),
        })
    }

    /// The microdrop events a confirmed transaction emitted, in order (none for a failed
    /// one: its effects were rolled back).
    pub async fn transaction_events(
        &self,
        signature: &Signature,
    ) -> Result<Vec<crate::events::Event>, Error> {
        use solana_transaction_status_client_types::{
            option_serializer::OptionSerializer, UiInstruction,
        };
        let (meta, tx) = self.fetch_transaction(signature).await?;
        if meta.err.is_some() {
            return Ok(vec![]);
        }
        let mut keys: Vec<Pubkey> = tx.message.static_account_keys().to_vec();
        if let OptionSerializer::Some(loaded) = &meta.loaded_addresses {
            for key in loaded.writable.iter().chain(&loaded.readonly) {
                keys.push(
                    key.parse()
                        .map_err(|_| Error::Decode("loaded address".into()))?,
                );
            }
        }
        let mut events = Vec::new();
        if let OptionSerializer::Some(groups) = meta.inner_instructions {
            for group in groups {
                for instruction in group.instructions {
                    let UiInstruction::Compiled(ix) = instruction else {
                        continue;
                    };
                    if keys.get(usize::from(ix.program_id_index)) != Some(&microdrop::ID) {
                        continue;
                    }
                    let data = bs58::decode(&ix.data)
                        .into_vec()
                        .map_err(|e| Error::Decode(format!("inner instruction data: {e}")))?;
                    if let Some(event) = crate::events::decode_event(&data)? {
                        events.push(event);
                    }
                }
            }
        }
        Ok(events)
    }

    /// The cluster's current unix time, from its Clock sysvar.
    pub async fn cluster_time(&self) -> Result<i64, Error> {
        const CLOCK: Pubkey = Pubkey::from_str_const("SysvarC1ock11111111111111111111111111111111");
        let clock = self
            .account(&CLOCK)
            .await?
            .ok_or(Error::AccountNotFound(CLOCK))?;
        let bytes = clock
            .data
            .get(32..40)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .ok_or_else(|| Error::Decode("Clock sysvar".into()))?;
        Ok(i64::from_le_bytes(bytes))
    }

    /// The accounts at `addresses`, in order (`None` where absent).
    pub async fn accounts(&self, addresses: &[Pubkey]) -> Result<Vec<Option<Account>>, Error> {
        let mut out = Vec::with_capacity(addresses.len());
        // RPC nodes answer at most 100 addresses per call.
        for chunk in addresses.chunks(100) {
            let got = self
                .rpc
                .get_multiple_accounts_with_commitment(chunk, self.commitment())
                .await
                .map_err(|e| Error::Rpc(e.to_string()))?
                .value;
            out.extend(got);
        }
        Ok(out)
    }

    /// The drop's tiers, by id.
    pub async fn tiers(&self, drop_address: &Pubkey, drop: &Drop) -> Result<Vec<Tier>, Error> {
        let addresses: Vec<Pubkey> = (0..drop.tier_count)
            .map(|id| pda::tier(drop_address, id).0)
            .collect();
        self.decode_all(&addresses, accounts::decode_tier).await
    }

    /// The accounts at `addresses`, each decoded; any missing one is an error.
    async fn decode_all<T>(
        &self,
        addresses: &[Pubkey],
        decode: fn(&[u8]) -> Result<T, Error>,
    ) -> Result<Vec<T>, Error> {
        self.accounts(addresses)
            .await?
            .into_iter()
            .zip(addresses)
            .map(|(account, address)| {
                decode(&account.ok_or(Error::AccountNotFound(*address))?.data)
            })
            .collect()
    }

    /// The tier whose label or id is `selector`.
    pub fn find_tier<'a>(tiers: &'a [Tier], selector: &str) -> Result<&'a Tier, Error> {
        find_labelled(tiers, selector, "tier", |t| (t.id, &t.label))
    }

    /// How many `wallet` minted through `tier` (0 without a record).
    pub async fn wallet_minted(&self, tier: &Pubkey, wallet: &Pubkey) -> Result<u32, Error> {
        let address = pda::wallet_record(tier, wallet).0;
        match self.account(&address).await? {
            Some(account) => {
                let record: WalletRecord = accounts::decode_wallet_record(&account.data)?;
                Ok(record.minted)
            }
            None => Ok(0),
        }
    }

    /// SPL token accounts with the given owner and/or mint (non-empty ones only).
    pub async fn token_accounts(
        &self,
        owner: Option<&Pubkey>,
        mint: Option<&Pubkey>,
    ) -> Result<Vec<(Pubkey, TokenAccount)>, Error> {
        let mut filters = vec![RpcFilterType::DataSize(TokenAccount::LEN as u64)];
        if let Some(mint) = mint {
            filters.push(RpcFilterType::Memcmp(Memcmp::new_base58_encoded(
                0,
                mint.as_ref(),
            )));
        }
        if let Some(owner) = owner {
            filters.push(RpcFilterType::Memcmp(Memcmp::new_base58_encoded(
                32,
                owner.as_ref(),
            )));
        }
        let mut out = Vec::new();
        for (address, data) in self.program_accounts(&TOKEN_PROGRAM_ID, filters).await? {
            let token = TokenAccount::unpack(&data)
                .map_err(|e| Error::Decode(format!("token account {address}: {e}")))?;
            if token.amount > 0 {
                out.push((address, token));
            }
        }
        Ok(out)
    }

    /// The token accounts `owner` holds a balance in, under SPL Token and Token-2022.
    pub async fn held_tokens(&self, owner: &Pubkey) -> Result<Vec<HeldToken>, Error> {
        use anchor_spl::token_2022::spl_token_2022::{
            extension::StateWithExtensions, state::Account as Token2022Account,
        };
        let mut held: Vec<HeldToken> = self
            .token_accounts(Some(owner), None)
            .await?
            .into_iter()
            .map(|(address, token)| HeldToken {
                address,
                mint: token.mint,
                amount: token.amount,
                token_program: TOKEN_PROGRAM_ID,
            })
            .collect();
        // Token-2022 accounts carry extensions after the base layout, so no size filter.
        let owned = vec![RpcFilterType::Memcmp(Memcmp::new_base58_encoded(
            32,
            owner.as_ref(),
        ))];
        for (address, data) in self.program_accounts(&TOKEN_2022_PROGRAM_ID, owned).await? {
            // Mints share the program; only token accounts unpack as one.
            let Ok(token) = StateWithExtensions::<Token2022Account>::unpack(&data) else {
                continue;
            };
            if token.base.amount > 0 && token.base.owner == *owner {
                held.push(HeldToken {
                    address,
                    mint: token.base.mint,
                    amount: token.base.amount,
                    token_program: TOKEN_2022_PROGRAM_ID,
                });
            }
        }
        Ok(held)
    }

    /// Accounts of `program` matching `filters`, with their data.
    async fn program_accounts(
        &self,
        program: &Pubkey,
        filters: Vec<RpcFilterType>,
    ) -> Result<Vec<(Pubkey, Vec<u8>)>, Error> {
        let config = RpcProgramAccountsConfig {
            filters: Some(filters),
            account_config: RpcAccountInfoConfig {
                encoding: Some(UiAccountEncoding::Base64),
                commitment: Some(self.commitment()),
                ..RpcAccountInfoConfig::default()
            },
            with_context: None,
            sort_results: None,
        };
        let found = self
            .rpc
            .get_program_ui_accounts_with_config(program, config)
            .await
            .map_err(|e| Error::Rpc(e.to_string()))?;
        found
            .into_iter()
            .map(|(address, ui)| {
                ui.data
                    .decode()
                    .map(|data| (address, data))
                    .ok_or_else(|| Error::Decode(format!("account {address}")))
            })
            .collect()
    }

    /// The amount in an SPL token account (0 when it does not exist).
    pub async fn token_balance(&self, token_account: &Pubkey) -> Result<u64, Error> {
        match self.account(token_account).await? {
            Some(account) => TokenAccount::unpack(&account.data)
                .map(|a| a.amount)
                .map_err(|e| Error::Decode(format!("token account {token_account}: {e}"))),
            None => Ok(0),
        }
    }

    /// Who holds the NFT `mint` now, and in which token account.
    pub async fn holder_of(&self, mint: &Pubkey) -> Result<Option<(Pubkey, Pubkey)>, Error> {
        Ok(self
            .token_accounts(None, Some(mint))
            .await?
            .into_iter()
            .next()
            .map(|(address, token)| (token.owner, address)))
    }

    /// An item of `collection` that `wallet` holds and that is verified into it: its token
    /// account and metadata, as a holder-gated tier needs them.
    pub async fn held_item(
        &self,
        wallet: &Pubkey,
        collection: &Pubkey,
    ) -> Result<Option<(Pubkey, Pubkey)>, Error> {
        Ok(self
            .held_items(wallet, collection)
            .await?
            .into_iter()
            .next()
            .map(|item| (item.token, item.metadata)))
    }

    /// Every item of `collection` that `wallet` holds, verified into it.
    pub async fn held_items(
        &self,
        wallet: &Pubkey,
        collection: &Pubkey,
    ) -> Result<Vec<HeldItem>, Error> {
        let mut held = Vec::new();
        for (address, token) in self.token_accounts(Some(wallet), None).await? {
            let metadata_address = pda::metadata(&token.mint).0;
            let Some(account) = self.account(&metadata_address).await? else {
                continue;
            };
            let Ok(metadata) = accounts::decode_metadata(&account.data) else {
                continue;
            };
            if metadata
                .collection
                .is_some_and(|c| c.verified && c.key == *collection)
            {
                held.push(HeldItem {
                    token: address,
                    metadata: metadata_address,
                    mint: token.mint,
                });
            }
        }
        Ok(held)
    }

    /// Items already minted through `tier` on the strength of gate item `item` (its
    /// holder record; 0 before its first use).
    pub async fn holder_minted(&self, tier: &Pubkey, item: &Pubkey) -> Result<u32, Error> {
        let address = pda::holder_record(tier, item).0;
        match self.account(&address).await? {
            Some(account) if account.owner == microdrop::ID => {
                let record =
                    microdrop::state::HolderRecord::try_deserialize(&mut account.data.as_slice())
                        .map_err(|e| Error::Decode(format!("holder record {address}: {e}")))?;
                Ok(record.minted)
            }
            _ => Ok(0),
        }
    }

    /// What `wallet` can mint from each tier now. `allowlists` maps tier ids to their
    /// allow lists; an allow-listed tier without one is reported as `AllowListNeeded`.
    pub async fn eligibility(
        &self,
        drop_address: &Pubkey,
        wallet: &Pubkey,
        allowlists: &HashMap<u8, AllowList>,
    ) -> Result<Vec<TierEligibility>, Error> {
        let drop = self.drop(drop_address).await?;
        let tiers = self.tiers(drop_address, &drop).await?;
        let now = self.cluster_time().await?;
        let mut out = Vec::with_capacity(tiers.len());
        for tier in &tiers {
            let tier_address = pda::tier(drop_address, tier.id).0;
            let allowance = match (&tier.allowlist_root, allowlists.get(&tier.id)) {
                (None, _) => Allowance::NotRequired,
                (Some(root), Some(list)) if list.root() == *root => match list.allowance(wallet) {
                    Some(n) => Allowance::Listed(n),
                    None => Allowance::NotListed,
                },
                (Some(_), _) => Allowance::Unknown,
            };
            let holds = match &tier.holder_of {
                Some(collection) => self.held_item(wallet, collection).await?.is_some(),
                None => true,
            };
            let facts = WalletFacts {
                minted: self.wallet_minted(&tier_address, wallet).await?,
                allowance,
                holds,
            };
            out.push(eligibility::evaluate(&drop, tier, &facts, now));
        }
        Ok(out)
    }

    /// The drop's lookup table as the chain holds it, when the drop names one that exists.
    pub async fn lookup_table(
        &self,
        drop: &Drop,
    ) -> Result<Option<AddressLookupTableAccount>, Error> {
        Ok(self.lookup_table_state(drop).await?.map(|(table, _)| table))
    }

    /// The drop's lookup table and the authority that may extend it.
    async fn lookup_table_state(
        &self,
        drop: &Drop,
    ) -> Result<Option<(AddressLookupTableAccount, Option<Pubkey>)>, Error> {
        if drop.lookup_table == Pubkey::default() {
            return Ok(None);
        }
        let Some(account) = self.account(&drop.lookup_table).await? else {
            return Ok(None);
        };
        let table = AddressLookupTable::deserialize(&account.data)
            .map_err(|e| Error::Decode(format!("lookup table {}: {e}", drop.lookup_table)))?;
        Ok(Some((
            AddressLookupTableAccount {
                key: drop.lookup_table,
                addresses: table.addresses.to_vec(),
            },
            table.meta.authority,
        )))
    }

    /// Makes the payer's drop name a lookup table holding its static accounts
    /// ([`drop_lookup_addresses`] for every tier): creates the table, fills it and records
    /// it in one transaction, then extends it with whatever it lacks (tiers added later).
    /// Running it again sends nothing once the table is complete.
    pub async fn ensure_lookup_table(
        &self,
        drop_address: &Pubkey,
    ) -> Result<LookupTableOutcome, Error> {
        let drop = self.drop(drop_address).await?;
        let wanted = drop_lookup_addresses(drop_address, 0..drop.tier_count);
        let payer = self.payer();
        let mut outcome = LookupTableOutcome {
            address: drop.lookup_table,
            created: false,
            added: 0,
            signatures: vec![],
        };
        let mut missing = match self.lookup_table_state(&drop).await? {
            Some((table, authority)) => {
                let missing = lacking_from(&table, wanted);
                if !missing.is_empty() && authority != Some(payer) {
                    return Err(Error::NotFound(format!(
                        "lookup table {} lacks {} of the drop's addresses and {payer} cannot \
                         extend it (its authority is {})",
                        table.key,
                        missing.len(),
                        authority.map_or("none: it is frozen".into(), |a| a.to_string())
                    )));
                }
                missing
            }
            None => {
                let slot = self
                    .rpc
                    .get_slot_with_commitment(CommitmentConfig::finalized())
                    .await
                    .map_err(|e| Error::Rpc(e.to_string()))?;
                let (create, table) = alt::create_lookup_table(payer, payer, slot);
                let set = instructions::set_lookup_table(&payer, drop_address, &table);
                let first = largest_fitting(&wanted, &payer, |chunk| {
                    vec![
                        create.clone(),
                        alt::extend_lookup_table(table, payer, Some(payer), chunk.to_vec()),
                        set.clone(),
                    ]
                });
                let extend =
                    alt::extend_lookup_table(table, payer, Some(payer), wanted[..first].to_vec());
                outcome
                    .signatures
                    .push(self.send(&[create, extend, set], &[]).await?);
                outcome.address = table;
                outcome.created = true;
                outcome.added = first;
                wanted[first..].to_vec()
            }
        };
        while !missing.is_empty() {
            let table = outcome.address;
            let count = largest_fitting(&missing, &payer, |chunk| {
                vec![alt::extend_lookup_table(
                    table,
                    payer,
                    Some(payer),
                    chunk.to_vec(),
                )]
            });
            let rest = missing.split_off(count);
            let extend = alt::extend_lookup_table(table, payer, Some(payer), missing);
            outcome.signatures.push(self.send(&[extend], &[]).await?);
            outcome.added += count;
            missing = rest;
        }
        Ok(outcome)
    }

    /// Mints `quantity` items from tier `tier_id` for the payer, split into as many
    /// transactions as size and compute require. Each transaction is checked by the program
    /// on its own. A failure after some transactions landed is [`Error::MintIncomplete`],
    /// which lists what was minted.
    pub async fn mint_items(
        &self,
        drop_address: &Pubkey,
        tier_id: u8,
        quantity: u64,
        allowlist: Option<&AllowList>,
        voucher: Option<&crate::voucher::SignedVoucher>,
    ) -> Result<MintOutcome, Error> {
        let buyer = self.payer();
        let tier = self.tier(drop_address, tier_id).await?;
        let proof = match (&tier.allowlist_root, allowlist) {
            (None, _) => None,
            (Some(root), Some(list)) => {
                if list.root() != *root {
                    return Err(Error::AllowList(format!(
                        "the list's root does not match tier {:?}'s: it is for another tier or \
                         out of date",
                        tier.label
                    )));
                }
                Some(list.proof(&buyer).ok_or_else(|| {
                    Error::AllowList(format!(
                        "{buyer} is not on tier {:?}'s allow list",
                        tier.label
                    ))
                })?)
            }
            (Some(_), None) => {
                return Err(Error::AllowList(format!(
                    "tier {:?} has an allow list: pass its file",
                    tier.label
                )));
            }
        };
        self.mint_from_tier(drop_address, tier, quantity, proof, voucher)
            .await
    }

    /// The tier `tier_id` of a drop.
    async fn tier(&self, drop_address: &Pubkey, tier_id: u8) -> Result<Tier, Error> {
        let tier_address = pda::tier(drop_address, tier_id).0;
        let tier_account = self
            .account(&tier_address)
            .await?
            .ok_or(Error::AccountNotFound(tier_address))?;
        accounts::decode_tier(&tier_account.data)
    }

    /// [`Client::mint_items`] with the payer's allow-list entry given as `(allowance,
    /// proof)`: for wallets that fetch one proof from the creator instead of holding a list
    /// of a million wallets. The proof is checked against the tier's root before sending.
    pub async fn mint_items_with_proof(
        &self,
        drop_address: &Pubkey,
        tier_id: u8,
        quantity: u64,
        proof: Option<(u32, Vec<[u8; 32]>)>,
        voucher: Option<&crate::voucher::SignedVoucher>,
    ) -> Result<MintOutcome, Error> {
        let tier = self.tier(drop_address, tier_id).await?;
        self.mint_from_tier(drop_address, tier, quantity, proof, voucher)
            .await
    }

    /// The mint of [`Client::mint_items`] and [`Client::mint_items_with_proof`], from the
    /// tier as fetched.
    async fn mint_from_tier(
        &self,
        drop_address: &Pubkey,
        tier: Tier,
        quantity: u64,
        proof: Option<(u32, Vec<[u8; 32]>)>,
        voucher: Option<&crate::voucher::SignedVoucher>,
    ) -> Result<MintOutcome, Error> {
        let tier_id = tier.id;
        let buyer = self.payer();
        let drop = self.drop(drop_address).await?;
        let (allowance, proof) = match (&tier.allowlist_root, proof) {
            (None, _) => (None, vec![]),
            (Some(root), Some((allowance, proof))) => {
                let leaf = microdrop::merkle::leaf(drop_address, tier_id, &buyer, allowance);
                if !microdrop::merkle::verify(root, leaf, &proof) {
                    return Err(Error::AllowList(format!(
                        "the proof for {buyer} with allowance {allowance} does not lead to \
                         tier {:?}'s root",
                        tier.label
                    )));
                }
                (Some(allowance), proof)
            }
            (Some(_), None) => {
                return Err(Error::AllowList(format!(
                    "tier {:?} has an allow list: pass its file or the wallet's proof",
                    tier.label
                )));
            }
        };
        let tier_address = pda::tier(drop_address, tier_id).0;
        let holder = match &tier.holder_of {
            Some(collection) => {
                let mut chosen = None;
                for item in self.held_items(&buyer, collection).await? {
                    // Under a holder limit, an item whose mints are used up is no gate.
                    if tier.holder_limit == 0
                        || self.holder_minted(&tier_address, &item.mint).await? < tier.holder_limit
                    {
                        chosen = Some(item);
                        break;
                    }
                }
                Some(chosen.ok_or_else(|| {
                    Error::NotFound(format!(
                        "tier {:?} requires holding a verified item of collection {collection}{}; \
                         {buyer} holds none",
                        tier.label,
                        if tier.holder_limit > 0 {
                            " with mints left under its holder limit"
                        } else {
                            ""
                        }
                    ))
                })?)
            }
            None => None,
        };
        if tier.voucher_signer.is_some() && voucher.is_none() {
            return Err(Error::Voucher(format!(
                "tier {:?} requires a voucher from its signer",
                tier.label
            )));
        }

        let table = self.lookup_table(&drop).await?;
        let mut outcome = MintOutcome {
            mints: vec![],
            signatures: vec![],
            paid: 0,
            lookup_table: table.as_ref().map(|t| t.key),
        };
        let mut remaining = quantity;
        let mut minted_seen = drop.minted;
        let mut races = 0;
        // Items per transaction; lowered when a cluster refuses one for its trace length.
        let mut most = MAX_ITEMS_PER_TX;
        while remaining > 0 {
            let mut request = MintRequest {
                drop: *drop_address,
                collection_mint: drop.collection_mint,
                currency: drop.currency,
                tier_id,
                buyer,
                first_index: minted_seen + 1,
                quantity: 1,
                allowance,
                proof: proof.clone(),
                holder: holder.map(|item| (item.token, item.metadata)),
                holder_record: holder
                    .filter(|_| tier.holder_limit > 0)
                    .map(|item| pda::holder_record(&tier_address, &item.mint).0),
                voucher: voucher.cloned(),
            };
            request.quantity =
                self.items_that_fit(&request, remaining.min(u64::from(most)), table.as_ref());
            // A single-use voucher is spent by the first transaction: all of it must fit.
            if voucher.is_some_and(|v| v.message.single_use)
                && u64::from(request.quantity) < remaining
            {
                return Err(Error::Voucher(format!(
                    "a single-use voucher covers one transaction, which fits {} item(s) \
                     here; mint at most that many",
                    request.quantity
                )));
            }
            let sent = self
                .send_through(
                    &instructions::mint_instructions(&request),
                    &[],
                    table.as_slice(),
                )
                .await;
            let signature = match sent {
                Ok(signature) => signature,
                // Item addresses follow the drop's count, so this is one of two things:
                // this very mint landed (its answer lost and its status not yet visible),
                // or another buyer's mint took the numbers. The items say which.
                Err(error) if error.program_error_name() == Some("ItemAccountsMismatch") => {
                    if let Some(signature) = self.landed_mint(&request).await? {
                        signature
                    } else {
                        let now = self.drop(drop_address).await?.minted;
                        if now == request.first_index - 1 || races >= MAX_RACE_RETRIES {
                            return Err(incomplete(outcome, error));
                        }
                        races += 1;
                        minted_seen = now;
                        continue;
                    }
                }
                // Funded addresses (griefing) or a stricter cluster can cost more trace
                // entries than estimated: send fewer items at a time.
                Err(error) if error.is_trace_too_long() && request.quantity > 1 => {
                    most = request.quantity - 1;
                    continue;
                }
                Err(error) => return Err(incomplete(outcome, error)),
            };
            outcome.signatures.push(signature);
            for offset in 0..u64::from(request.quantity) {
                outcome
                    .mints
                    .push(pda::item_mint(drop_address, request.first_index + offset).0);
            }
            outcome.paid += tier.price * u64::from(request.quantity);
            remaining -= u64::from(request.quantity);
            // Each transaction may lose that many races, not the whole mint.
            races = 0;
            minted_seen = request.first_index + u64::from(request.quantity) - 1;
        }
        Ok(outcome)
    }

    /// The transaction that minted `request`'s items to its buyer, when they exist and
    /// the buyer holds every one: the request already landed.
    async fn landed_mint(&self, request: &MintRequest) -> Result<Option<Signature>, Error> {
        for offset in 0..u64::from(request.quantity) {
            let mint = pda::item_mint(&request.drop, request.first_index + offset).0;
            let holding = pda::associated_token(&request.buyer, &mint).0;
            let held = match self.account(&holding).await? {
                Some(account) if account.owner == TOKEN_PROGRAM_ID => {
                    TokenAccount::unpack(&account.data).is_ok_and(|t| t.amount == 1)
                }
                _ => false,
            };
            if !held {
                return Ok(None);
            }
        }
        let first = pda::item_mint(&request.drop, request.first_index).0;
        let history = self
            .rpc
            .get_signatures_for_address(&first)
            .await
            .map_err(|e| Error::Rpc(e.to_string()))?;
        // Newest first: the mint's creation is the oldest.
        history
            .iter()
            .rev()
            .find(|entry| entry.err.is_none())
            .map(|entry| {
                entry
                    .signature
                    .parse()
                    .map_err(|_| Error::Decode(format!("signature {}", entry.signature)))
            })
            .transpose()
    }

    /// The most items (up to `MAX_ITEMS_PER_TX` and `remaining`) whose mint transaction
    /// still fits in a packet and, by [`instructions::mint_trace`], in the instruction
    /// trace with [`SendOptions::reserved_trace`] entries to spare.
    fn items_that_fit(
        &self,
        request: &MintRequest,
        remaining: u64,
        table: Option<&AddressLookupTableAccount>,
    ) -> u8 {
        let most =
            u8::try_from(remaining.min(u64::from(MAX_ITEMS_PER_TX))).unwrap_or(MAX_ITEMS_PER_TX);
        (1..=most)
            .rev()
            .find(|&quantity| {
                let mut candidate = request.clone();
                candidate.quantity = quantity;
                let mut ixs = sizing_budget(self.options.priority_fee != PriorityFee::None);
                if instructions::mint_trace(&candidate, ixs.len()) + self.options.reserved_trace
                    > instructions::MAX_TRACE
                {
                    return false;
                }
                ixs.extend(instructions::mint_instructions(&candidate));
                let size = match table {
                    Some(table) => v0_transaction_size(&ixs, &request.buyer, &table.addresses),
                    None => legacy_transaction_size(&ixs, &request.buyer),
                };
                size <= PACKET_DATA_SIZE
            })
            .unwrap_or(1)
    }

    /// Adds tier `next_id` to the payer's drop.
    pub async fn add_tier(
        &self,
        drop: &Pubkey,
        next_id: u8,
        config: TierConfig,
    ) -> Result<Signature, Error> {
        let ix = instructions::add_tier(&self.payer(), drop, next_id, config);
        self.send(&[ix], &[]).await
    }

    /// Replaces tier `id`'s configuration on the payer's drop.
    pub async fn update_tier(
        &self,
        drop: &Pubkey,
        id: u8,
        config: TierConfig,
    ) -> Result<Signature, Error> {
        let ix = instructions::update_tier(&self.payer(), drop, id, config);
        self.send(&[ix], &[]).await
    }

    /// Replaces the split of the payer's drop (before its first sale).
    pub async fn set_splits(
        &self,
        drop: &Pubkey,
        splits: Vec<SplitConfig>,
    ) -> Result<Signature, Error> {
        let ix = instructions::set_splits(&self.payer(), drop, splits);
        self.send(&[ix], &[]).await
    }

    /// Pays every split recipient its share of the drop's vault, one transaction per asset
    /// and in this order: the drop's currency (an SPL drop's tokens, then its lamports; a
    /// SOL drop's lamports), then any other token the vault holds, under SPL Token or
    /// Token-2022 (royalties paid in another token), each mint with its own accounting. Creates recipients' token
    /// accounts as needed (the payer pays their rent). Anyone may call it.
    pub async fn distribute(
        &self,
        drop_address: &Pubkey,
    ) -> Result<Vec<DistributionOutcome>, Error> {
        let drop = self.drop(drop_address).await?;
        let currency = match drop.currency {
            Currency::Spl { mint } => Some(mint),
            Currency::Sol => None,
        };
        // The drop's currency first (for an SPL drop its tokens, then its SOL royalties).
        let mut outcomes = Vec::new();
        if let Some(mint) = currency {
            let ix = instructions::distribute(drop_address, &drop.splits, Some(&mint));
            outcomes.push(
                self.send_distribution(Some((mint, TOKEN_PROGRAM_ID)), ix, &drop.splits)
                    .await?,
            );
        }
        let ix = instructions::distribute(drop_address, &drop.splits, None);
        outcomes.push(self.send_distribution(None, ix, &drop.splits).await?);
        let vault = pda::vault(drop_address).0;
        for held in self.held_tokens(&vault).await? {
            // `distribute_token` takes the vault's associated account of each other mint.
            let associated =
                anchor_spl::associated_token::get_associated_token_address_with_program_id(
                    &vault,
                    &held.mint,
                    &held.token_program,
                );
            if Some(held.mint) == currency || held.address != associated {
                continue;
            }
            let ix = instructions::distribute_token(
                &self.payer(),
                drop_address,
                &drop.splits,
                &held.mint,
                &held.token_program,
            );
            outcomes.push(
                self.send_distribution(Some((held.mint, held.token_program)), ix, &drop.splits)
                    .await?,
            );
        }
        Ok(outcomes)
    }

    /// Sends one distribution (after opening recipients' token accounts of `token`, a
    /// mint and its token program, if any) and reads what it paid from its event.
    async fn send_distribution(
        &self,
        token: Option<(Pubkey, Pubkey)>,
        distribute: Instruction,
        splits: &[microdrop::state::Split],
    ) -> Result<DistributionOutcome, Error> {
        let mut ixs = Vec::new();
        if let Some((mint, token_program)) = &token {
            for split in splits {
                ixs.push(
                    anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent(
                        &self.payer(),
                        &split.address,
                        mint,
                        token_program,
                    ),
                );
            }
        }
        let mint = token.map(|(mint, _)| mint);
        ixs.push(distribute);
        let signature = self.send(&ixs, &[]).await?;
        let (payouts, undistributed) = self
            .transaction_events(&signature)
            .await?
            .into_iter()
            .find_map(|e| match e {
                crate::events::Event::Distributed(d) => Some((d.payouts, d.undistributed)),
                crate::events::Event::TokenDistributed(d) => Some((d.payouts, d.undistributed)),
                _ => None,
            })
            .ok_or_else(|| Error::Decode(format!("{signature} emitted no distribution")))?;
        Ok(DistributionOutcome {
            currency_mint: mint,
            payouts,
            undistributed,
            signature,
        })
    }

    /// Adds benefit `next_id` to the payer's drop.
    pub async fn add_benefit(
        &self,
        drop: &Pubkey,
        next_id: u8,
        config: BenefitConfig,
    ) -> Result<Signature, Error> {
        let ix = instructions::add_benefit(&self.payer(), drop, next_id, config);
        self.send(&[ix], &[]).await
    }

    /// The drop's benefits, by id.
    pub async fn benefits(
        &self,
        drop_address: &Pubkey,
        drop: &Drop,
    ) -> Result<Vec<Benefit>, Error> {
        let addresses: Vec<Pubkey> = (0..drop.benefit_count)
            .map(|id| pda::benefit(drop_address, id).0)
            .collect();
        self.decode_all(&addresses, accounts::decode_benefit).await
    }

    /// The benefit whose label or id is `selector`.
    pub fn find_benefit<'a>(benefits: &'a [Benefit], selector: &str) -> Result<&'a Benefit, Error> {
        find_labelled(benefits, selector, "benefit", |b| (b.id, &b.label))
    }

    /// Indexes of the items of `drop` that `holder` holds and that `benefit` accepts, in
    /// index order.
    pub async fn qualifying_items(
        &self,
        drop_address: &Pubkey,
        drop: &Drop,
        benefit: &Benefit,
        holder: &Pubkey,
    ) -> Result<Vec<u64>, Error> {
        let table = self
            .account(&pda::item_tiers(drop_address).0)
            .await?
            .map(|a| a.data)
            .unwrap_or_default();
        let mut indexes = Vec::new();
        for (_, token) in self.token_accounts(Some(holder), None).await? {
            let Some(account) = self.account(&pda::metadata(&token.mint).0).await? else {
                continue;
            };
            let Ok(metadata) = accounts::decode_metadata(&account.data) else {
                continue;
            };
            let in_collection = metadata
                .collection
                .as_ref()
                .is_some_and(|c| c.verified && c.key == drop.collection_mint);
            let Some(index) = accounts::item_index(drop_address, &token.mint, &metadata) else {
                continue;
            };
            let tier = item_tiers::tier_of(&table, index).ok().flatten();
            if in_collection
                && (benefit.tier_mask == 0 || tier.is_some_and(|t| benefit.accepts_tier(t)))
            {
                indexes.push(index);
            }
        }
        indexes.sort_unstable();
        Ok(indexes)
    }

    /// Burns items for benefit `benefit_id`: the given `indexes`, or else the first of the
    /// payer's qualifying items.
    pub async fn redeem(
        &self,
        drop_address: &Pubkey,
        benefit_id: u8,
        indexes: Option<Vec<u64>>,
    ) -> Result<RedeemOutcome, Error> {
        let drop = self.drop(drop_address).await?;
        let benefits = self.benefits(drop_address, &drop).await?;
        let benefit = benefits
            .iter()
            .find(|b| b.id == benefit_id)
            .ok_or_else(|| Error::NotFound(format!("no benefit {benefit_id}")))?;
        let holder = self.payer();
        let indexes = match indexes {
            Some(indexes) => indexes,
            None => {
                let mut found = self
                    .qualifying_items(drop_address, &drop, benefit, &holder)
                    .await?;
                if found.len() < usize::from(benefit.burn) {
                    return Err(Error::NotFound(format!(
                        "benefit {:?} burns {} item(s); {holder} holds {} that qualify",
                        benefit.label,
                        benefit.burn,
                        found.len()
                    )));
                }
                found.truncate(usize::from(benefit.burn));
                found
            }
        };
        let benefit_address = pda::benefit(drop_address, benefit_id).0;
        let mut number = benefit.redeemed;
        let mut races = 0;
        let signature = loop {
            let ix = instructions::redeem(
                &holder,
                drop_address,
                &drop.collection_mint,
                benefit_id,
                number,
                &indexes,
            );
            match self.send(&[ix], &[]).await {
                Ok(signature) => break signature,
                // Receipts are numbered: another holder's redemption landing first takes
                // the number. Refetch and try again while that is what happened.
                Err(error)
                    if error.program_error_name() == Some("ConstraintSeeds")
                        && races < MAX_RACE_RETRIES =>
                {
                    let now = self
                        .benefits(drop_address, &drop)
                        .await?
                        .into_iter()
                        .find(|b| b.id == benefit_id)
                        .map_or(number, |b| b.redeemed);
                    if now == number {
                        return Err(error);
                    }
                    races += 1;
                    number = now;
                }
                Err(error) => return Err(error),
            }
        };
        let redemption = pda::redemption(&benefit_address, number).0;
        Ok(RedeemOutcome {
            redemption,
            burned: indexes
                .iter()
                .map(|i| pda::item_mint(drop_address, *i).0)
                .collect(),
            signature,
        })
    }

    /// The drop's redemption receipts, oldest first; only `holder`'s and only those with
    /// `status` when given.
    pub async fn redemptions(
        &self,
        drop_address: &Pubkey,
        holder: Option<&Pubkey>,
        status: Option<RedemptionStatus>,
    ) -> Result<Vec<(Pubkey, Redemption)>, Error> {
        use anchor_lang::Discriminator;
        /// Where `holder` sits in a Redemption: discriminator, drop, benefit, benefit id.
        const HOLDER_OFFSET: usize = 8 + 32 + 32 + 1;
        let mut filters = vec![
            RpcFilterType::Memcmp(Memcmp::new_base58_encoded(0, Redemption::DISCRIMINATOR)),
            RpcFilterType::Memcmp(Memcmp::new_base58_encoded(8, drop_address.as_ref())),
        ];
        if let Some(holder) = holder {
            filters.push(RpcFilterType::Memcmp(Memcmp::new_base58_encoded(
                HOLDER_OFFSET,
                holder.as_ref(),
            )));
        }
        let mut out = Vec::new();
        for (address, data) in self.program_accounts(&microdrop::ID, filters).await? {
            let redemption = accounts::decode_redemption(&data)?;
            if status.is_none_or(|s| s == redemption.status) {
                out.push((address, redemption));
            }
        }
        out.sort_by_key(|(_, r)| (r.redeemed_at, r.benefit_id, r.index));
        Ok(out)
    }

    /// The payer's records in a drop that it can close once the drop is closed: its wallet
    /// record per tier and its spent single-use voucher nonces. Returns the instructions
    /// that close them and the rent they hold.
    pub async fn reclaimable(
        &self,
        drop_address: &Pubkey,
    ) -> Result<(Vec<Instruction>, u64), Error> {
        use anchor_lang::Discriminator;
        use microdrop::state::VoucherNonce;
        let wallet = self.payer();
        let drop = self.drop(drop_address).await?;
        let mut ixs = Vec::new();
        let mut rent = 0;
        for id in 0..drop.tier_count {
            let tier = pda::tier(drop_address, id).0;
            if let Some(account) = self.account(&pda::wallet_record(&tier, &wallet).0).await? {
                rent += account.lamports;
                ixs.push(instructions::close_wallet_record(&wallet, drop_address, id));
            }
            /// Where `tier` and `wallet` sit in a VoucherNonce: after the discriminator, and
            /// after the tier and the nonce.
            const TIER_OFFSET: usize = 8;
            const WALLET_OFFSET: usize = 8 + 32 + 8;
            let filters = vec![
                RpcFilterType::Memcmp(Memcmp::new_base58_encoded(0, VoucherNonce::DISCRIMINATOR)),
                RpcFilterType::Memcmp(Memcmp::new_base58_encoded(TIER_OFFSET, tier.as_ref())),
                RpcFilterType::Memcmp(Memcmp::new_base58_encoded(WALLET_OFFSET, wallet.as_ref())),
            ];
            for (address, data) in self.program_accounts(&microdrop::ID, filters).await? {
                let nonce = u64::from_le_bytes(
                    data.get(40..48)
                        .and_then(|b| b.try_into().ok())
                        .ok_or_else(|| Error::Decode(format!("voucher record {address}")))?,
                );
                rent += self.balance(&address).await?;
                ixs.push(instructions::close_voucher_nonce(
                    &wallet,
                    drop_address,
                    id,
                    nonce,
                ));
            }
        }
        Ok((ixs, rent))
    }

    /// Marks a redemption of the payer's drop fulfilled.
    pub async fn fulfill(
        &self,
        redemption: &Pubkey,
        reference: [u8; 32],
    ) -> Result<Signature, Error> {
        let account = self
            .account(redemption)
            .await?
            .ok_or(Error::AccountNotFound(*redemption))?;
        let receipt = accounts::decode_redemption(&account.data)?;
        let ix = instructions::fulfill(&self.payer(), &receipt.drop, redemption, reference);
        self.send(&[ix], &[]).await
    }

    /// Creates a drop owned by the payer. Returns the drop address and the signature.
    pub async fn create_drop(
        &self,
        args: CreateDropArgs,
        currency_mint: Option<&Pubkey>,
    ) -> Result<(Pubkey, Signature), Error> {
        let drop = pda::drop(&self.payer(), &args.id).0;
        let ix = instructions::create_drop(&self.payer(), currency_mint, args);
        let signature = self.send(&[ix], &[]).await?;
        Ok((drop, signature))
    }

    /// Moves the payer's drop to `status`.
    pub async fn set_drop_status(
        &self,
        drop: &Pubkey,
        status: DropStatus,
    ) -> Result<Signature, Error> {
        let ix = instructions::set_drop_status(&self.payer(), drop, status);
        self.send(&[ix], &[]).await
    }

    /// Offers the payer's drop to `new_authority` (the default address withdraws the
    /// offer); it changes hands when that key accepts ([`Client::accept_authority`]).
    pub async fn transfer_authority(
        &self,
        drop: &Pubkey,
        new_authority: &Pubkey,
    ) -> Result<Signature, Error> {
        let ix = instructions::transfer_authority(&self.payer(), drop, new_authority);
        self.send(&[ix], &[]).await
    }

    /// The payer accepts the drop it was offered and becomes its authority.
    pub async fn accept_authority(&self, drop: &Pubkey) -> Result<Signature, Error> {
        let ix = instructions::accept_authority(&self.payer(), drop);
        self.send(&[ix], &[]).await
    }

    /// The drop and index of a microdrop item, from its Token Metadata: its first creator
    /// is its drop PDA (verified, which only the program can do), its name ends in
    /// ` #<index>`, and its mint is that drop's item PDA for that index. `None` for any
    /// other mint.
    pub async fn item_origin(&self, mint: &Pubkey) -> Result<Option<(Pubkey, u64)>, Error> {
        let Some(account) = self.account(&pda::metadata(mint).0).await? else {
            return Ok(None);
        };
        let metadata = accounts::decode_metadata(&account.data)?;
        let Some(first) = metadata
            .creators
            .as_ref()
            .and_then(|c| c.first())
            .filter(|c| c.verified)
        else {
            return Ok(None);
        };
        if self.find_drop(&first.address).await?.is_none() {
            return Ok(None);
        }
        Ok(metadata
            .name
            .rsplit_once(" #")
            .and_then(|(_, n)| n.parse::<u64>().ok())
            .filter(|n| pda::item_mint(&first.address, *n).0 == *mint)
            .map(|n| (first.address, n)))
    }

    /// Replaces the metadata URI of item `mint` (1-200 bytes); the payer must be the
    /// authority of the item's drop. Returns the drop, the item's index and the signature.
    pub async fn update_item_uri(
        &self,
        mint: &Pubkey,
        uri: &str,
    ) -> Result<(Pubkey, u64, Signature), Error> {
        if uri.is_empty() || uri.len() > microdrop::constants::MAX_URI_LEN {
            return Err(Error::InvalidInput(format!(
                "an item URI must be 1-{} bytes, not {}",
                microdrop::constants::MAX_URI_LEN,
                uri.len()
            )));
        }
        let (drop, index) = self.item_origin(mint).await?.ok_or_else(|| {
            Error::NotFound(format!(
                "{mint} is not an unburned item of a microdrop drop"
            ))
        })?;
        let ix = instructions::update_item_uri(&self.payer(), &drop, index, uri.to_string());
        let signature = self.send(&[ix], &[]).await?;
        Ok((drop, index, signature))
    }
}

/// Bytes of a legacy transaction with these instructions and one signer (the payer).
pub fn legacy_transaction_size(instructions: &[Instruction], payer: &Pubkey) -> usize {
    let message = solana_message::Message::new(instructions, Some(payer));
    let signatures = usize::from(message.header.num_required_signatures);
    let tx = Transaction {
        signatures: vec![Signature::default(); signatures],
        message,
    };
    bincode::serialized_size(&tx).map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX))
}

/// The item of `items` whose id (as a number) or label is `selector`.
fn find_labelled<'a, T>(
    items: &'a [T],
    selector: &str,
    kind: &str,
    key: fn(&T) -> (u8, &String),
) -> Result<&'a T, Error> {
    let found = match selector.parse::<u8>() {
        Ok(id) => items.iter().find(|item| key(item).0 == id),
        Err(_) => items.iter().find(|item| key(item).1 == selector),
    };
    found.ok_or_else(|| {
        let known: Vec<String> = items
            .iter()
            .map(|item| {
                let (id, label) = key(item);
                format!("{label} ({id})")
            })
            .collect();
        Error::NotFound(format!(
            "no {kind} {selector:?}; the drop has {}",
            known.join(", ")
        ))
    })
}

/// Bytes of a v0 transaction with these instructions and one signer, when every address in
/// `table` comes from an address lookup table.
pub fn v0_transaction_size(
    instructions: &[Instruction],
    payer: &Pubkey,
    table: &[Pubkey],
) -> usize {
    let lookup = AddressLookupTableAccount {
        key: Pubkey::new_unique(),
        addresses: table.to_vec(),
    };
    let Ok(message) = v0::Message::try_compile(payer, instructions, &[lookup], Default::default())
    else {
        return usize::MAX;
    };
    let tx = solana_transaction::versioned::VersionedTransaction {
        signatures: vec![Signature::default(); usize::from(message.header.num_required_signatures)],
        message: VersionedMessage::V0(message),
    };
    bincode::serialized_size(&tx).map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX))
}

/// The addresses a drop's mints share: what its lookup table holds.
pub fn drop_lookup_addresses(drop: &Pubkey, tier_ids: impl Iterator<Item = u8>) -> Vec<Pubkey> {
    let collection = pda::collection_mint(drop).0;
    let mut addresses = vec![
        microdrop::ID,
        *drop,
        pda::vault(drop).0,
        pda::item_tiers(drop).0,
        collection,
        pda::metadata(&collection).0,
        pda::master_edition(&collection).0,
        pda::event_authority().0,
        crate::TOKEN_METADATA_PROGRAM_ID,
        crate::TOKEN_PROGRAM_ID,
        crate::ASSOCIATED_TOKEN_PROGRAM_ID,
        crate::SYSTEM_PROGRAM_ID,
        instructions::COMPUTE_BUDGET_PROGRAM_ID,
        instructions::INSTRUCTIONS_SYSVAR_ID,
    ];
    addresses.extend(tier_ids.map(|id| pda::tier(drop, id).0));
    addresses
}

/// Groups instructions, in order, into as few legacy transactions as fit a packet with
/// the compute-budget instructions [`Client::send`] adds.
pub fn pack_transactions(instructions: Vec<Instruction>, payer: &Pubkey) -> Vec<Vec<Instruction>> {
    let mut batches: Vec<Vec<Instruction>> = Vec::new();
    for ix in instructions {
        let fits = batches.last().is_some_and(|batch| {
            let mut candidate = sizing_budget(true);
            candidate.extend(batch.iter().cloned());
            candidate.push(ix.clone());
            legacy_transaction_size(&candidate, payer) <= PACKET_DATA_SIZE
        });
        match batches.last_mut() {
            Some(batch) if fits => batch.push(ix),
            _ => batches.push(vec![ix]),
        }
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_fee_is_the_75th_percentile_of_recent_fees() {
        assert_eq!(auto_priority_fee(vec![]), 0);
        assert_eq!(auto_priority_fee(vec![7]), 7);
        assert_eq!(auto_priority_fee(vec![0, 0, 0, 100]), 0);
        assert_eq!(auto_priority_fee(vec![400, 100, 300, 200]), 300);
        assert_eq!(auto_priority_fee(vec![5, 1, 4, 2, 3]), 4);
    }

    #[test]
    fn priority_fees_parse_from_the_command_line() {
        assert_eq!("auto".parse(), Ok(PriorityFee::Auto));
        assert_eq!("0".parse(), Ok(PriorityFee::None));
        assert_eq!("2500".parse(), Ok(PriorityFee::MicroLamports(2_500)));
        assert!("fast"
            .parse::<PriorityFee>()
            .unwrap_err()
            .contains("micro-lamports"));
    }
}
