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
        let table = self
            .account(&pda::item_tiers(drop_address).0)
            .await?
            .map(|a| a.data)
            .unwrap_or_default();
        let mut indexes = Vec::new();
        for token in self.token_accounts(Some(holder), None).await? {
            let membership = items::membership_account(&token.token_program, &token.mint);
            let Some(account) = self.account(&membership).await? else {
                continue;
            };
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
            let tier = items::tier_of(&token.token_program, &account.data, &table, index);
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
