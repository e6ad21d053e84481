//! Minting: splitting a quantity into transactions that fit the packet and the
//! instruction trace, and recognising a mint that landed when its answer was lost.

use super::*;

/// Times a mint or redemption is rebuilt after another wallet's transaction took the
/// item or receipt numbers it was built for.
pub(crate) const MAX_RACE_RETRIES: u32 = 5;

/// A mint recognises its own landing by its items: they exist and the buyer holds each.
struct MintLanding<'a>(&'a MintRequest);

#[async_trait::async_trait]
impl AlreadyLanded for MintLanding<'_> {
    async fn landed_as(&self, client: &Client) -> Result<Option<Signature>, Error> {
        client.landed_mint(self.0).await
    }
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

/// How a mint or an airdrop goes on after a transaction of new items failed.
enum Retry {
    /// Another transaction took the item numbers: build again after this many items.
    Renumber(u64),
    /// The trace was longer than estimated: send at most this many items at a time.
    Fewer(u8),
}

impl Retry {
    /// Applies the retry to a loop's last count seen and its most items per transaction.
    fn apply(self, minted_seen: &mut u64, most: &mut u8) {
        match self {
            Retry::Renumber(now) => *minted_seen = now,
            Retry::Fewer(fewer) => *most = fewer,
        }
    }
}

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

impl Client {
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

    /// Whether a transaction making `quantity` new items from `first_index` that failed
    /// with `error` can be built again, and how; otherwise the error. `races` counts the
    /// renumberings so far, at most [`MAX_RACE_RETRIES`].
    async fn retry_items(
        &self,
        drop_address: &Pubkey,
        error: Error,
        first_index: u64,
        quantity: u8,
        races: &mut u32,
    ) -> Result<Retry, Error> {
        // Item addresses follow the drop's count: the send path has ruled out this very
        // transaction having landed, so another one took the numbers.
        if error.program_error_name() == Some("ItemAccountsMismatch") {
            let now = self.drop(drop_address).await?.minted;
            if now == first_index - 1 || *races >= MAX_RACE_RETRIES {
                return Err(error);
            }
            *races += 1;
            return Ok(Retry::Renumber(now));
        }
        // Funded addresses (griefing) or a stricter cluster can cost more trace entries
        // than estimated: send fewer items at a time.
        if error.is_trace_too_long() && quantity > 1 {
            return Ok(Retry::Fewer(quantity - 1));
        }
        Err(error)
    }

    /// The tier `tier_id` of a drop.
    pub(crate) async fn tier(&self, drop_address: &Pubkey, tier_id: u8) -> Result<Tier, Error> {
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
        let mut most = crate::items::max_items_per_mint(drop.standard);
        while remaining > 0 {
            let mut request = MintRequest {
                first_index: minted_seen + 1,
                allowance,
                proof: proof.clone(),
                holder: holder.map(|item| (item.token, item.metadata)),
                holder_record: holder
                    .filter(|_| tier.holder_limit > 0)
                    .map(|item| pda::holder_record(&tier_address, &item.mint).0),
                voucher: voucher.cloned(),
                ..MintRequest::new(*drop_address, &drop, tier_id, buyer)
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
                .send_checked(
                    &instructions::mint_instructions(&request),
                    &[],
                    table.as_slice(),
                    Some(&MintLanding(&request)),
                )
                .await;
            let signature = match sent {
                Ok(signature) => signature,
                Err(error) => match self
                    .retry_items(
                        drop_address,
                        error,
                        request.first_index,
                        request.quantity,
                        &mut races,
                    )
                    .await
                {
                    Ok(retry) => {
                        retry.apply(&mut minted_seen, &mut most);
                        continue;
                    }
                    Err(error) => return Err(incomplete(outcome, error)),
                },
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
        self.landed_items(
            &request.drop,
            request.standard,
            &request.buyer,
            request.first_index,
            request.quantity,
        )
        .await
    }

    /// The transaction that created items `first_index..first_index + quantity` of
    /// `drop`, when they exist and `owner` holds every one.
    async fn landed_items(
        &self,
        drop: &Pubkey,
        standard: ItemStandard,
        owner: &Pubkey,
        first_index: u64,
        quantity: u8,
    ) -> Result<Option<Signature>, Error> {
        for offset in 0..u64::from(quantity) {
            let holding =
                crate::items::item_accounts(standard, drop, owner, first_index + offset)[1];
            if !self.holds_one(&holding, owner).await? {
                return Ok(None);
            }
        }
        let first = pda::item_mint(drop, first_index).0;
        self.creation_signature(&first).await
    }

    /// The most items (up to the standard's most per mint and `remaining`) whose mint transaction
    /// still fits in a packet and, by [`instructions::mint_trace`], in the instruction
    /// trace with [`SendOptions::reserved_trace`] entries to spare.
    fn items_that_fit(
        &self,
        request: &MintRequest,
        remaining: u64,
        table: Option<&AddressLookupTableAccount>,
    ) -> u8 {
        self.most_that_fit(
            request.standard,
            remaining,
            &request.buyer,
            table,
            |quantity, top_level| {
                let mut candidate = request.clone();
                candidate.quantity = quantity;
                (
                    instructions::mint_trace(&candidate, top_level),
                    instructions::mint_instructions(&candidate),
                )
            },
        )
    }

    /// The most items (up to the standard's most per instruction and `remaining`) whose
    /// transaction, as `build` makes it for a quantity and the number of top-level
    /// instructions before it (its trace estimate and its instructions), fits a packet and
    /// the instruction trace with [`SendOptions::reserved_trace`] entries to spare; at
    /// least 1.
    pub(crate) fn most_that_fit(
        &self,
        standard: ItemStandard,
        remaining: u64,
        payer: &Pubkey,
        table: Option<&AddressLookupTableAccount>,
        build: impl Fn(u8, usize) -> (usize, Vec<Instruction>),
    ) -> u8 {
        let cap = crate::items::max_items_per_mint(standard);
        let most = u8::try_from(remaining.min(u64::from(cap))).unwrap_or(cap);
        (1..=most)
            .rev()
            .find(|&quantity| {
                let mut ixs = sizing_budget(self.options.priority_fee != PriorityFee::None);
                let (trace, body) = build(quantity, ixs.len());
                if trace + self.options.reserved_trace > instructions::MAX_TRACE {
                    return false;
                }
                ixs.extend(body);
                let size = match table {
                    Some(table) => v0_transaction_size(&ixs, payer, &table.addresses),
                    None => legacy_transaction_size(&ixs, payer),
                };
                size <= PACKET_DATA_SIZE
            })
            .unwrap_or(1)
    }
}

/// An airdrop recognises its own landing by the recipient's record: it counts the items.
struct AirdropLanding<'a> {
    request: &'a AirdropRequest,
    /// The record's count once this instruction landed.
    sent_after: u32,
}

#[async_trait::async_trait]
impl AlreadyLanded for AirdropLanding<'_> {
    async fn landed_as(&self, client: &Client) -> Result<Option<Signature>, Error> {
        let request = self.request;
        let sent = client
            .airdrop_sent(&request.drop, &request.list, &request.recipient)
            .await?;
        if sent < self.sent_after {
            return Ok(None);
        }
        let record = pda::airdrop_record(&request.drop, &request.list, &request.recipient).0;
        client.latest_signature(&record).await
    }
}

/// One recipient's items from an airdrop run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AirdropSent {
    pub wallet: Pubkey,
    /// The items sent in this run, in index order.
    pub mints: Vec<Pubkey>,
}

/// What an airdrop run did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AirdropOutcome {
    /// Recipients that got items in this run.
    pub sent: Vec<AirdropSent>,
    /// Recipients that already had their whole quantity from this list.
    pub skipped: Vec<Pubkey>,
    /// One signature per transaction.
    pub signatures: Vec<Signature>,
}

impl Client {
    /// Mints each recipient of `list` its quantity of items, free, the payer (the drop's
    /// authority) paying their rent; counted toward tier `tier_id` when given.
    ///
    /// Idempotent and resumable: each recipient's on-chain record counts what it got
    /// from this list (for this tier), so a rerun after a failure or a kill sends only what
    /// is missing, and a replayed transaction is refused rather than sending twice. Before
    /// anything is sent, the drop must have room for everything still missing.
    ///
    /// `progress` is told the items done so far (those already sent before included)
    /// after each transaction; the total is `list.total()`.
    pub async fn airdrop(
        &self,
        drop_address: &Pubkey,
        list: &AirdropList,
        tier_id: Option<u8>,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<AirdropOutcome, Error> {
        let authority = self.payer();
        let drop = self.drop(drop_address).await?;
        if drop.authority != authority {
            return Err(Error::InvalidInput(format!(
                "only the drop's authority {} can airdrop; the keypair is {authority}",
                drop.authority
            )));
        }
        if drop.status == DropStatus::Closed {
            return Err(Error::InvalidInput("the drop is closed".into()));
        }
        if drop.threshold(self.cluster_time().await?) == ThresholdState::Failed {
            return Err(Error::InvalidInput(
                "the drop's preorder failed: no more items are made".into(),
            ));
        }
        let tier = match tier_id {
            Some(id) => Some(self.tier(drop_address, id).await?),
            None => None,
        };
        let list_hash = list.hash(tier_id);
        let records: Vec<Pubkey> = list
            .entries
            .iter()
            .map(|e| pda::airdrop_record(drop_address, &list_hash, &e.wallet).0)
            .collect();
        let mut missing = Vec::with_capacity(list.entries.len());
        for (entry, account) in list.entries.iter().zip(self.accounts(&records).await?) {
            let sent = match account {
                Some(account) if account.owner == microdrop::ID => {
                    microdrop::state::AirdropRecord::try_deserialize(&mut account.data.as_slice())
                        .map_err(|e| Error::Decode(format!("airdrop record: {e}")))?
                        .sent
                }
                _ => 0,
            };
            missing.push(entry.quantity.saturating_sub(sent));
        }
        let to_send: u64 = missing.iter().map(|m| u64::from(*m)).sum();
        let room = drop.cap() - drop.minted;
        if to_send > room {
            return Err(Error::InvalidInput(format!(
                "the list still has {to_send} item(s) to send; the drop has room for {room}"
            )));
        }
        if let Some(tier) = &tier {
            let room = tier.supply - tier.minted;
            if to_send > room {
                return Err(Error::InvalidInput(format!(
                    "the list still has {to_send} item(s) to send; tier {:?} has room for {room}",
                    tier.label
                )));
            }
        }

        let table = self.lookup_table(&drop).await?;
        let mut outcome = AirdropOutcome::default();
        let mut done = list.total() - to_send;
        progress(done);
        let mut minted_seen = drop.minted;
        let mut most = crate::items::max_items_per_mint(drop.standard);
        for (entry, missing) in list.entries.iter().zip(missing) {
            if missing == 0 {
                outcome.skipped.push(entry.wallet);
                continue;
            }
            let mut sent = AirdropSent {
                wallet: entry.wallet,
                mints: vec![],
            };
            let mut remaining = u64::from(missing);
            let mut races = 0;
            while remaining > 0 {
                let mut request = AirdropRequest {
                    first_index: minted_seen + 1,
                    ..AirdropRequest::new(
                        *drop_address,
                        &drop,
                        tier_id,
                        list_hash,
                        entry.wallet,
                        entry.quantity,
                    )
                };
                request.quantity = self.most_that_fit(
                    drop.standard,
                    remaining.min(u64::from(most)),
                    &authority,
                    table.as_ref(),
                    |quantity, top_level| {
                        let mut candidate = request.clone();
                        candidate.quantity = quantity;
                        (
                            instructions::airdrop_trace(&candidate, top_level),
                            vec![instructions::airdrop(&candidate)],
                        )
                    },
                );
                let landing = AirdropLanding {
                    request: &request,
                    sent_after: entry.quantity - u32::try_from(remaining).unwrap_or(u32::MAX)
                        + u32::from(request.quantity),
                };
                let result = self
                    .send_checked(
                        &[instructions::airdrop(&request)],
                        &[],
                        table.as_slice(),
                        Some(&landing),
                    )
                    .await;
                let signature = match result {
                    Ok(signature) => signature,
                    Err(error) => {
                        self.retry_items(
                            drop_address,
                            error,
                            request.first_index,
                            request.quantity,
                            &mut races,
                        )
                        .await?
                        .apply(&mut minted_seen, &mut most);
                        continue;
                    }
                };
                outcome.signatures.push(signature);
                for offset in 0..u64::from(request.quantity) {
                    sent.mints
                        .push(pda::item_mint(drop_address, request.first_index + offset).0);
                }
                remaining -= u64::from(request.quantity);
                done += u64::from(request.quantity);
                races = 0;
                minted_seen = request.first_index + u64::from(request.quantity) - 1;
                progress(done);
            }
            outcome.sent.push(sent);
        }
        Ok(outcome)
    }
}
