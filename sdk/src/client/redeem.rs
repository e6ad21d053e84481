//! Redeeming: burning qualifying items for a benefit, and fulfilling receipts.

use super::*;
use crate::items;

/// A redemption recognises its own landing by its receipt: the numbered receipt exists, for
/// this holder and these burned items.
struct RedemptionLanding {
    receipt: Pubkey,
    holder: Pubkey,
    burned: Vec<Pubkey>,
}

#[async_trait::async_trait]
impl AlreadyLanded for RedemptionLanding {
    async fn landed_as(&self, client: &Client) -> Result<Option<Signature>, Error> {
        let Some(account) = client.account(&self.receipt).await? else {
            return Ok(None);
        };
        let Ok(receipt) = accounts::decode_redemption(&account.data) else {
            return Ok(None);
        };
        if account.owner != microdrop::ID
            || receipt.holder != self.holder
            || receipt.burned != self.burned
        {
            return Ok(None);
        }
        client.creation_signature(&self.receipt).await
    }
}

/// What a redemption did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedeemOutcome {
    pub redemption: Pubkey,
    pub burned: Vec<Pubkey>,
    pub signature: Signature,
    /// Lamports that came back to the holder from the burned items' accounts: all of a
    /// Token-2022 item's, and for a Token Metadata item its token account, metadata and
    /// edition less Token Metadata's create fee (its mint stays, empty).
    pub returned: u64,
}

/// A refund recognises its own landing by its items: burned, their token accounts gone.
struct RefundLanding {
    holder: Pubkey,
    tokens: Vec<Pubkey>,
    mints: Vec<Pubkey>,
}

#[async_trait::async_trait]
impl AlreadyLanded for RefundLanding {
    async fn landed_as(&self, client: &Client) -> Result<Option<Signature>, Error> {
        for token in &self.tokens {
            if client.holds_one(token, &self.holder).await? {
                return Ok(None);
            }
        }
        match self.mints.first() {
            Some(mint) => client.latest_signature(mint).await,
            None => Ok(None),
        }
    }
}

/// What a refund did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RefundOutcome {
    /// Paid back, in the drop's currency's smallest units.
    pub refunded: u64,
    /// The burned items' mints.
    pub burned: Vec<Pubkey>,
    /// One signature per transaction.
    pub signatures: Vec<Signature>,
}

impl Client {
    /// Indexes of the items of `drop` that `holder` holds and that `benefit` accepts, in
    /// index order.
    pub async fn qualifying_items(
        &self,
        drop_address: &Pubkey,
        drop_state: &Drop,
        benefit: &Benefit,
        holder: &Pubkey,
    ) -> Result<Vec<u64>, Error> {
        Ok(self
            .drop_items_held(drop_address, drop_state, holder)
            .await?
            .into_iter()
            .filter(|(_, tier)| {
                benefit.tier_mask == 0 || tier.is_some_and(|t| benefit.accepts_tier(t))
            })
            .map(|(index, _)| index)
            .collect())
    }

    /// The items of `drop` that `holder` holds (verified into its collection), with the
    /// tier that sold each, in index order. What proves each token's collection is read in
    /// one `getMultipleAccounts` per 100 tokens.
    pub async fn drop_items_held(
        &self,
        drop_address: &Pubkey,
        drop_state: &Drop,
        holder: &Pubkey,
    ) -> Result<Vec<(u64, Option<u8>)>, Error> {
        let table = self
            .account(&pda::item_tiers(drop_address).0)
            .await?
            .map(|a| a.data)
            .unwrap_or_default();
        let mut indexes = Vec::new();
        for (token, _, account) in self.tokens_with_membership(holder).await? {
            let Some((drop, index)) =
                items::origin(&token.token_program, &account.data, &token.mint)
            else {
                continue;
            };
            let in_collection = drop == *drop_address
                && items::is_verified_member(
                    &token.token_program,
                    &account.data,
                    &token.mint,
                    &drop_state.collection_mint,
                );
            if in_collection {
                let tier = items::tier_of(&token.token_program, &account.data, &table, index);
                indexes.push((index, tier));
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
        let item_accounts: Vec<Pubkey> = indexes
            .iter()
            .flat_map(|i| items::item_accounts(drop.standard, drop_address, &holder, *i))
            .collect();
        let held_lamports = |accounts: Vec<Option<solana_account::Account>>| -> u64 {
            accounts.into_iter().flatten().map(|a| a.lamports).sum()
        };
        let before = held_lamports(self.accounts(&item_accounts).await?);
        let benefit_address = pda::benefit(drop_address, benefit_id).0;
        let mut number = benefit.redeemed;
        let mut races = 0;
        let signature = loop {
            let ix = instructions::redeem(
                &holder,
                drop_address,
                drop.standard,
                &drop.collection_mint,
                benefit_id,
                number,
                &indexes,
            );
            let landing = RedemptionLanding {
                receipt: pda::redemption(&benefit_address, number).0,
                holder,
                burned: indexes
                    .iter()
                    .map(|i| pda::item_mint(drop_address, *i).0)
                    .collect(),
            };
            match self.send_checked(&[ix], &[], &[], Some(&landing)).await {
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
        let after = held_lamports(self.accounts(&item_accounts).await?);
        Ok(RedeemOutcome {
            returned: before.saturating_sub(after),
            redemption,
            burned: indexes
                .iter()
                .map(|i| pda::item_mint(drop_address, *i).0)
                .collect(),
            signature,
        })
    }

    /// Burns every item of a failed preorder the payer holds and gets back what each was
    /// sold for, in as many transactions as size and the program's limit require. Before
    /// anything is sent the drop must have failed and the payer must hold its items.
    pub async fn refund(&self, drop_address: &Pubkey) -> Result<RefundOutcome, Error> {
        let drop = self.drop(drop_address).await?;
        let holder = self.payer();
        match drop.threshold(self.cluster_time().await?) {
            ThresholdState::Failed => {}
            ThresholdState::Pending => {
                return Err(Error::InvalidInput(format!(
                    "the preorder is still open: refunds start if {} item(s) have not sold by \
                     its deadline",
                    drop.minimum
                )))
            }
            ThresholdState::Met => {
                return Err(Error::InvalidInput(
                    "the preorder met its minimum: its sales stand and nothing is refunded".into(),
                ))
            }
            ThresholdState::Unconditional => {
                return Err(Error::InvalidInput(
                    "the drop is no preorder (it has no minimum): nothing is refunded".into(),
                ))
            }
        }
        let held: Vec<u64> = self
            .drop_items_held(drop_address, &drop, &holder)
            .await?
            .into_iter()
            .map(|(index, _)| index)
            .collect();
        if held.is_empty() {
            return Err(Error::NotFound(format!(
                "{holder} holds no item of this drop to refund"
            )));
        }
        let table = self.lookup_table(&drop).await?;
        let mut setup = Vec::new();
        if let Currency::Spl { mint } = drop.currency {
            setup.push(
                anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent(
                    &holder, &holder, &mint, &TOKEN_PROGRAM_ID,
                ),
            );
        }
        let build = |indexes: &[u64], first: bool| {
            let mut ixs = if first { setup.clone() } else { vec![] };
            ixs.push(instructions::refund(
                &holder,
                drop_address,
                drop.standard,
                &drop.collection_mint,
                drop.currency,
                indexes,
            ));
            ixs
        };
        let mut outcome = RefundOutcome::default();
        let mut rest = held.as_slice();
        while !rest.is_empty() {
            let first = outcome.signatures.is_empty();
            let most = rest
                .len()
                .min(usize::from(microdrop::constants::MAX_REFUND_ITEMS));
            let count = (1..=most)
                .rev()
                .find(|&n| {
                    let mut ixs = sizing_budget(self.options.priority_fee != PriorityFee::None);
                    ixs.extend(build(&rest[..n], first));
                    let size = match &table {
                        Some(table) => v0_transaction_size(&ixs, &holder, &table.addresses),
                        None => legacy_transaction_size(&ixs, &holder),
                    };
                    size <= PACKET_DATA_SIZE
                })
                .unwrap_or(1);
            let (batch, after) = rest.split_at(count);
            let item_accounts: Vec<Pubkey> = batch
                .iter()
                .flat_map(|i| items::item_accounts(drop.standard, drop_address, &holder, *i))
                .collect();
            let mints: Vec<Pubkey> = batch
                .iter()
                .map(|i| pda::item_mint(drop_address, *i).0)
                .collect();
            let landing = RefundLanding {
                holder,
                tokens: item_accounts
                    .chunks(items::accounts_per_item(drop.standard))
                    .map(|item| item[1])
                    .collect(),
                mints: mints.clone(),
            };
            let signature = self
                .send_checked(&build(batch, first), &[], table.as_slice(), Some(&landing))
                .await?;
            let refunded = self
                .transaction_events(&signature)
                .await?
                .into_iter()
                .find_map(|event| match event {
                    crate::events::Event::Refunded(refunded) => Some(refunded.amount),
                    _ => None,
                })
                .ok_or_else(|| {
                    Error::Decode(format!("refund {signature} carries no Refunded event"))
                })?;
            outcome.refunded += refunded;
            outcome.burned.extend(mints);
            outcome.signatures.push(signature);
            rest = after;
        }
        Ok(outcome)
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
}
