//! Configuring a drop: creating it, its tiers, benefits, split, status and authority,
//! correcting items, and distributing its vault.

use super::*;

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

impl Client {
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
        let standard = self.drop(&drop).await?.standard;
        let ix =
            instructions::update_item_uri(&self.payer(), &drop, standard, index, uri.to_string());
        let signature = self.send(&[ix], &[]).await?;
        Ok((drop, index, signature))
    }
}
