//! Sending: signing, sizing (bytes and compute), priority fees, exactly-once confirmation
//! and packing instructions into transactions. It knows nothing of what it sends.

use super::*;

/// How an operation recognises that it already landed, from the chain's state, when the
/// node shows no status for any signature sent for it: the signature of the transaction
/// that landed it, or `None`.
#[async_trait::async_trait]
pub trait AlreadyLanded: Sync {
    async fn landed_as(&self, client: &Client) -> Result<Option<Signature>, Error>;
}

/// The largest serialized transaction a cluster accepts.
pub const PACKET_DATA_SIZE: usize = 1232;

/// The per-transaction compute limit of every cluster.
pub const MAX_COMPUTE_UNITS: u32 = 1_400_000;

/// Units added to every sized limit on top of the percentage, for small transactions.
pub const COMPUTE_UNIT_MARGIN: u64 = 1_000;

/// Status checks between rebroadcasts of a transaction waiting to land.
const REBROADCAST_EVERY_POLLS: u32 = 5;

/// The compute-budget instructions [`Client::send`] puts in front, for sizing a
/// transaction (their values do not change their size): the limit, and the price when
/// `priced`.
pub(crate) fn sizing_budget(priced: bool) -> Vec<Instruction> {
    let mut ixs = vec![instructions::compute_unit_limit(MAX_COMPUTE_UNITS)];
    if priced {
        ixs.push(instructions::compute_unit_price(1));
    }
    ixs
}

/// The most leading `addresses` whose transaction `build` makes still fits a packet (with
/// the compute-budget instructions `send` adds); at least 1.
pub(crate) fn largest_fitting(
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

/// Signs `instructions` as a legacy transaction, or as v0 through `tables`.
pub(crate) fn sign(
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

/// The compute-unit limit for a transaction that consumed `units` in simulation: that
/// plus `headroom_percent` of it and [`COMPUTE_UNIT_MARGIN`], at most the transaction
/// maximum.
pub fn sized_compute_limit(units: u64, headroom_percent: u32) -> u32 {
    let headroom = units.saturating_mul(u64::from(headroom_percent)) / 100;
    let limit = units
        .saturating_add(headroom)
        .saturating_add(COMPUTE_UNIT_MARGIN);
    u32::try_from(limit)
        .unwrap_or(MAX_COMPUTE_UNITS)
        .min(MAX_COMPUTE_UNITS)
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

impl Client {
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
        self.send_checked(instructions, extra_signers, tables, None)
            .await
    }

    /// [`Client::send_through`], asking `already` whether the operation landed when a
    /// resend is refused and no signature sent shows a status: a node that lags, or an
    /// answer that was lost, hides the landing, and the refusal may be the very state it
    /// made. The send path knows nothing of what it sends; each operation knows how to
    /// recognise its own effect.
    pub async fn send_checked(
        &self,
        instructions: &[Instruction],
        extra_signers: &[&Keypair],
        tables: &[AddressLookupTableAccount],
        already: Option<&dyn AlreadyLanded>,
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
                        if let Some(result) = self.landed(&sent, &programs).await? {
                            return result;
                        }
                        if let Some(check) = already {
                            if let Some(signature) = check.landed_as(self).await? {
                                return Ok(signature);
                            }
                        }
                        return Err(Error::from_client_error(error, &programs));
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

    pub(crate) async fn latest_blockhash(&self) -> Result<solana_message::Hash, Error> {
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
        Ok(sized_compute_limit(
            units,
            self.options.compute_headroom_percent,
        ))
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
    pub(crate) async fn landed(
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
    pub(crate) async fn confirm(
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
}
