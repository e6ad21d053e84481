use anchor_lang::prelude::*;
use anchor_spl::{
    associated_token::AssociatedToken, metadata::Metadata, token::Token, token_2022::Token2022,
};

use crate::{
    constants::*,
    cpi as shared_cpi,
    errors::MicrodropError,
    events::ItemsAirdropped,
    instructions::mint::item_mint_address,
    items::{self, StandardAccounts},
    state::{item_prices, item_tiers, AirdropRecord, Drop, DropStatus, ThresholdState, Tier},
};

/// Arguments of [`airdrop`](crate::microdrop::airdrop).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct AirdropArgs {
    /// The list's hash: with the recipient, the seeds of its airdrop record.
    pub list: [u8; 32],
    /// The recipient's quantity in the list; the record never lets more than this arrive.
    pub total: u32,
    /// Items in this instruction (1 to the standard's items per mint); the remaining
    /// accounts hold each item's accounts, for the recipient.
    pub quantity: u8,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(args: AirdropArgs)]
pub struct Airdrop<'info> {
    /// The drop's authority: pays every new account.
    #[account(mut)]
    pub authority: Signer<'info>,

    #[account(mut, has_one = authority @ MicrodropError::DropAuthorityMismatch)]
    pub drop: Box<Account<'info, Drop>>,

    /// The tier the items count toward, if any (its supply; never its per-wallet limit).
    #[account(
        mut,
        seeds = [TIER_SEED, drop.key().as_ref(), &[tier.id]],
        bump = tier.bump,
        has_one = drop,
    )]
    pub tier: Option<Box<Account<'info, Tier>>>,

    /// CHECK: any wallet; receives the items in its associated token accounts.
    pub recipient: UncheckedAccount<'info>,

    /// CHECK: the recipient's `AirdropRecord` for this list, checked by its seeds; created
    /// (prefund-safe) on its first airdrop.
    #[account(
        mut,
        seeds = [AIRDROP_SEED, drop.key().as_ref(), &args.list, recipient.key().as_ref()],
        bump,
    )]
    pub record: UncheckedAccount<'info>,

    /// CHECK: the drop's vault PDA, checked by its seeds; the paid creator in every item's
    /// metadata.
    #[account(seeds = [VAULT_SEED, drop.key().as_ref()], bump = drop.vault_bump)]
    pub vault: UncheckedAccount<'info>,

    /// CHECK: the drop's item-tier table, checked by its seeds and `item_tiers::check`;
    /// grown (the authority pays) to record the tier of Token Metadata items.
    #[account(mut, seeds = [ITEM_TIERS_SEED, drop.key().as_ref()], bump = drop.item_tiers_bump)]
    pub item_tiers: UncheckedAccount<'info>,

    /// CHECK: the drop's collection mint, address-checked.
    #[account(mut, address = drop.collection_mint)]
    pub collection_mint: UncheckedAccount<'info>,

    /// CHECK: Token Metadata drops: the collection's metadata PDA (address-checked).
    #[account(mut)]
    pub collection_metadata: Option<UncheckedAccount<'info>>,

    /// CHECK: Token Metadata drops: the collection's master edition PDA (address-checked).
    pub collection_master_edition: Option<UncheckedAccount<'info>>,

    /// Token Metadata drops only.
    pub token_metadata_program: Option<Program<'info, Metadata>>,
    pub token_program: Program<'info, Token>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
    /// Token-2022 drops only.
    pub token_2022_program: Option<Program<'info, Token2022>>,

    /// CHECK: preorders only: the drop's item-price table, checked by `item_prices::check`
    /// (this program's account, tagged and naming the drop, which only `create_drop` makes
    /// at its PDA); grown while the threshold is pending so that later sales' entries stay
    /// in place (an airdropped item's entry stays unrecorded: it cost nothing).
    #[account(mut)]
    pub item_prices: Option<UncheckedAccount<'info>>,
}

impl<'info> Airdrop<'info> {
    /// The accounts of the item standards.
    pub fn standard_accounts(&self) -> StandardAccounts<'_, 'info> {
        StandardAccounts {
            collection_mint: self.collection_mint.as_ref(),
            collection_metadata: self.collection_metadata.as_ref().map(AsRef::as_ref),
            collection_master_edition: self.collection_master_edition.as_ref().map(AsRef::as_ref),
            token_metadata_program: self.token_metadata_program.as_ref().map(AsRef::as_ref),
            token_2022_program: self.token_2022_program.as_ref().map(AsRef::as_ref),
        }
    }
}

/// Each new item's index and its mint PDA's bump.
type ItemPlans = Vec<(u64, u8)>;

/// Every check, before any effect. Returns the record so far (`None`: first airdrop) and
/// the new items.
fn validate(
    ctx: &Context<'_, Airdrop<'_>>,
    args: &AirdropArgs,
    now: i64,
) -> Result<(Option<AirdropRecord>, ItemPlans)> {
    let accounts = &ctx.accounts;
    let drop = &accounts.drop;
    require!(
        drop.status != DropStatus::Closed,
        MicrodropError::DropClosed
    );
    require!(
        drop.threshold(now) != ThresholdState::Failed,
        MicrodropError::ThresholdFailed
    );
    require!(
        args.total >= 1
            && args.quantity >= 1
            && args.quantity <= crate::constants::max_items_per_mint(drop.standard),
        MicrodropError::AirdropQuantityInvalid
    );
    let record = if *accounts.record.owner == crate::ID {
        let data = accounts.record.try_borrow_data()?;
        Some(AirdropRecord::try_deserialize(&mut &data[..])?)
    } else {
        None
    };
    let sent_after = record
        .as_ref()
        .map_or(0, |r| r.sent)
        .checked_add(u32::from(args.quantity))
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    require!(
        sent_after <= args.total && record.as_ref().is_none_or(|r| r.total == args.total),
        MicrodropError::AirdropAlreadySent
    );

    let quantity = u64::from(args.quantity);
    let drop_after = drop
        .minted
        .checked_add(quantity)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    require_gte!(drop.cap(), drop_after, MicrodropError::DropSoldOut);
    if let Some(tier) = &accounts.tier {
        let tier_after = tier
            .minted
            .checked_add(quantity)
            .ok_or(MicrodropError::ArithmeticOverflow)?;
        require_gte!(tier.supply, tier_after, MicrodropError::TierSoldOut);
    }

    accounts.standard_accounts().check(drop.standard, true)?;
    item_tiers::check(&accounts.item_tiers, &drop.key())?;
    if drop.threshold(now) == ThresholdState::Pending {
        let table = accounts
            .item_prices
            .as_ref()
            .ok_or(MicrodropError::ItemPricesInvalid)?;
        item_prices::check(table, &drop.key())?;
    }

    let per_item = items::accounts_per_item(drop.standard);
    require!(
        ctx.remaining_accounts.len() == usize::from(args.quantity) * per_item,
        MicrodropError::ItemAccountsMismatch
    );
    let recipient = accounts.recipient.key();
    let mut plans = Vec::with_capacity(usize::from(args.quantity));
    for (offset, item) in (1u64..).zip(ctx.remaining_accounts.chunks_exact(per_item)) {
        let index = drop
            .minted
            .checked_add(offset)
            .ok_or(MicrodropError::ArithmeticOverflow)?;
        let (mint, bump) = item_mint_address(&drop.key(), index);
        items::check_item_accounts(drop.standard, item, &mint, &recipient)?;
        plans.push((index, bump));
    }
    Ok((record, plans))
}

/// Mints items free to one recipient of an airdrop list, the authority paying their rent.
/// The recipient's record makes the list idempotent: however often a transaction is sent
/// or a list rerun, the recipient never gets more than `total` from it.
pub fn handler<'info>(ctx: Context<'info, Airdrop<'info>>, args: AirdropArgs) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let (record, plans) = validate(&ctx, &args, now)?;

    let accounts = &ctx.accounts;
    let drop = &accounts.drop;
    let drop_key = drop.key();
    let drop_seeds = drop.signer_seeds();
    let signer: &[&[&[u8]]] = &[&drop_seeds[..]];
    let authority = accounts.authority.to_account_info();
    let recipient = accounts.recipient.to_account_info();
    let creation = items::Creation {
        drop: &drop.to_account_info(),
        payer: &authority,
        owner: &recipient,
        token_program: &accounts.token_program.to_account_info(),
        system_program: &accounts.system_program.to_account_info(),
    };
    let standard = accounts.standard_accounts();
    let vault = accounts.vault.key();
    let tier_id = accounts.tier.as_ref().map(|t| t.id);
    let per_item = items::accounts_per_item(drop.standard);
    let last = plans.last().map_or(drop.minted, |p| p.0);
    items::make_room(&standard, &drop.to_account_info(), drop, last, signer)?;
    let mut mints = Vec::with_capacity(plans.len());
    for ((index, bump), item) in plans
        .iter()
        .zip(ctx.remaining_accounts.chunks_exact(per_item))
    {
        let index_bytes = index.to_le_bytes();
        let new = items::NewItem {
            accounts: item,
            index: *index,
            tier_id,
            mint_seeds: &[
                ITEM_SEED,
                drop_key.as_ref(),
                &index_bytes,
                std::slice::from_ref(bump),
            ],
        };
        items::create_item(&creation, &standard, drop, &vault, &new, signer)?;
        mints.push(item[0].key());
    }

    if let (Some(tier_id), true) = (tier_id, items::tier_in_table(drop.standard)) {
        let table = accounts.item_tiers.to_account_info();
        shared_cpi::grow_table(&authority, &table, item_tiers::size_for(last)?)?;
        let mut data = table.try_borrow_mut_data()?;
        for (index, _) in &plans {
            item_tiers::record(&mut data, *index, tier_id)?;
        }
    }
    if drop.threshold(now) == ThresholdState::Pending {
        if let Some(table) = &accounts.item_prices {
            shared_cpi::grow_table(
                &authority,
                &table.to_account_info(),
                item_prices::size_for(last)?,
            )?;
        }
    }

    let quantity = u64::from(args.quantity);
    let mut saved = record.unwrap_or(AirdropRecord {
        drop: drop_key,
        list: args.list,
        recipient: recipient.key(),
        total: args.total,
        sent: 0,
        bump: ctx.bumps.record,
    });
    saved.sent = saved
        .sent
        .checked_add(u32::from(args.quantity))
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    shared_cpi::save_program_account(
        &authority,
        &accounts.record.to_account_info(),
        &accounts.system_program.to_account_info(),
        &[
            AIRDROP_SEED,
            drop_key.as_ref(),
            &args.list,
            recipient.key.as_ref(),
            &[ctx.bumps.record],
        ],
        &saved,
    )?;
    if let Some(tier) = &mut ctx.accounts.tier {
        tier.minted = tier
            .minted
            .checked_add(quantity)
            .ok_or(MicrodropError::ArithmeticOverflow)?;
        tier.invariant()?;
    }
    let drop = &mut ctx.accounts.drop;
    drop.minted = drop
        .minted
        .checked_add(quantity)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    drop.airdropped = drop
        .airdropped
        .checked_add(quantity)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    drop.invariant()?;

    emit_cpi!(ItemsAirdropped {
        drop: ctx.accounts.drop.key(),
        tier_id,
        recipient: ctx.accounts.recipient.key(),
        list: args.list,
        mints,
        first_index: plans.first().map_or(0, |p| p.0),
        sent: saved.sent,
        total: saved.total,
        timestamp: now,
    });
    Ok(())
}
