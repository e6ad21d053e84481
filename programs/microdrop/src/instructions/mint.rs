use anchor_lang::prelude::*;
use anchor_spl::{
    associated_token::AssociatedToken,
    metadata::Metadata,
    token::{Token, TokenAccount},
    token_2022::Token2022,
};

use crate::{
    constants::*,
    cpi as shared_cpi,
    errors::MicrodropError,
    events::ItemsMinted,
    items::{self, StandardAccounts},
    merkle, payments,
    state::{
        item_prices, item_tiers, Currency, Drop, DropStatus, HolderRecord, ThresholdState, Tier,
        VoucherNonce, WalletRecord,
    },
    voucher::{verified_voucher, VoucherMessage},
};

/// The Instructions sysvar.
pub const INSTRUCTIONS_SYSVAR_ID: Pubkey =
    Pubkey::from_str_const("Sysvar1nstructions1111111111111111111111111");

/// Arguments of [`mint`](crate::microdrop::mint).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct MintArgs {
    /// The tier to buy from.
    pub tier_id: u8,
    /// Items in this transaction; the remaining accounts hold each item's accounts (four
    /// for Token Metadata, two for Token-2022).
    pub quantity: u8,
    /// The buyer's allowance from the allow list (allow-listed tiers only).
    pub allowance: Option<u32>,
    /// Sibling hashes from the buyer's leaf to the tier's root (allow-listed tiers only).
    pub proof: Vec<[u8; 32]>,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(args: MintArgs)]
pub struct MintItems<'info> {
    /// Pays the price, the rent of the new accounts, and receives the items.
    #[account(mut)]
    pub buyer: Signer<'info>,

    #[account(mut)]
    pub drop: Box<Account<'info, Drop>>,

    #[account(
        mut,
        seeds = [TIER_SEED, drop.key().as_ref(), &[args.tier_id]],
        bump = tier.bump,
        has_one = drop,
    )]
    pub tier: Box<Account<'info, Tier>>,

    /// CHECK: how many this buyer minted through the tier (`WalletRecord`), checked by its
    /// seeds; created on the first mint through the prefund-safe path, read in `validate`.
    #[account(
        mut,
        seeds = [WALLET_SEED, tier.key().as_ref(), buyer.key().as_ref()],
        bump,
    )]
    pub wallet_record: UncheckedAccount<'info>,

    /// CHECK: the drop's vault PDA, checked by its seeds; receives SOL payments and is the
    /// paid creator in every item's metadata.
    #[account(mut, seeds = [VAULT_SEED, drop.key().as_ref()], bump = drop.vault_bump)]
    pub vault: UncheckedAccount<'info>,

    /// CHECK: the drop's item-tier table, checked by its seeds and `item_tiers::check`;
    /// grown here (the buyer pays the extra rent) to record which tier sold each item.
    #[account(mut, seeds = [ITEM_TIERS_SEED, drop.key().as_ref()], bump = drop.item_tiers_bump)]
    pub item_tiers: UncheckedAccount<'info>,

    /// The buyer's token account in the drop's currency (SPL drops only).
    #[account(mut)]
    pub buyer_payment: Option<Box<Account<'info, TokenAccount>>>,

    /// The vault's token account in the drop's currency (SPL drops only).
    #[account(mut)]
    pub vault_payment: Option<Box<Account<'info, TokenAccount>>>,

    /// CHECK: the drop's collection mint, address-checked; Token-2022 counts members in
    /// its group as items join.
    #[account(mut, address = drop.collection_mint)]
    pub collection_mint: UncheckedAccount<'info>,

    /// CHECK: Token Metadata drops: the collection's metadata PDA (address-checked in
    /// `validate`); Token Metadata updates its size as items are verified.
    #[account(mut)]
    pub collection_metadata: Option<UncheckedAccount<'info>>,

    /// CHECK: Token Metadata drops: the collection's master edition PDA (address-checked).
    pub collection_master_edition: Option<UncheckedAccount<'info>>,

    /// CHECK: the Instructions sysvar, address-checked; voucher tiers read the Ed25519
    /// instruction before this one from it.
    #[account(address = INSTRUCTIONS_SYSVAR_ID @ MicrodropError::VoucherSysvarInvalid)]
    pub instructions_sysvar: Option<UncheckedAccount<'info>>,

    /// CHECK: for a single-use voucher, its nonce record PDA `["voucher", tier, nonce]`;
    /// the address is checked against the voucher in `validate`, and it is created here.
    #[account(mut)]
    pub voucher_nonce: Option<UncheckedAccount<'info>>,

    /// CHECK: for a holder-gated tier, the buyer's token account (SPL Token or Token-2022)
    /// holding an item of the required collection; checked in `validate`
    /// (`items::check_gate`).
    pub holder_token: Option<UncheckedAccount<'info>>,

    /// CHECK: for a holder-gated tier, what proves that item is the collection's: its
    /// Token Metadata metadata, or for a Token-2022 item its mint (a member of the
    /// collection's group); checked in `validate`.
    pub holder_metadata: Option<UncheckedAccount<'info>>,

    /// CHECK: for a tier with a holder limit, the gate item's `HolderRecord` PDA
    /// `["holder", tier, item mint]`; its address is checked in `validate`, and it is
    /// created (prefund-safe) on the item's first use.
    #[account(mut)]
    pub holder_record: Option<UncheckedAccount<'info>>,

    /// Token Metadata drops only.
    pub token_metadata_program: Option<Program<'info, Metadata>>,
    /// SPL Token: SPL payments, and Token Metadata items.
    pub token_program: Program<'info, Token>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
    /// Token-2022 drops only.
    pub token_2022_program: Option<Program<'info, Token2022>>,

    /// CHECK: preorders only: the drop's item-price table, checked by `item_prices::check`
    /// (this program's account, tagged and naming the drop, which only `create_drop` makes
    /// at its PDA); grown here while the threshold is pending (the buyer pays the extra
    /// rent) to record what each item cost, which a failed preorder refunds.
    #[account(mut)]
    pub item_prices: Option<UncheckedAccount<'info>>,
}

impl<'info> MintItems<'info> {
    /// The buyer and the vault, with their token accounts in the currency (SPL drops).
    pub fn payment(&self) -> payments::Sides<'_, 'info> {
        payments::Sides {
            wallet: self.buyer.as_ref(),
            wallet_token: self.buyer_payment.as_deref(),
            vault: self.vault.as_ref(),
            vault_token: self.vault_payment.as_deref(),
        }
    }

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

/// What `validate` found, for the effects to apply.
struct Checked {
    price: u64,
    /// Whether the sale is a pending preorder's, whose prices are recorded and escrowed.
    escrow: bool,
    items: Vec<ItemPlan>,
    /// A single-use voucher to spend: its nonce and its record's bump.
    spend: Option<(u64, u8)>,
    /// The buyer's record for this tier: its count so far, or `None` to create it.
    wallet: Option<WalletRecord>,
    /// For a holder-limited tier: the gate item's record, existing or to create.
    holder: Option<HolderUse>,
}

/// A gate item's use under a holder limit.
struct HolderUse {
    item: Pubkey,
    bump: u8,
    /// Its record so far (`None`: first use, to create).
    record: Option<HolderRecord>,
}

/// This program's account of type `T` at `account`, or `None` while nothing (or only
/// lamports) is there.
fn existing<T: AccountDeserialize>(account: &AccountInfo<'_>) -> Result<Option<T>> {
    if *account.owner != crate::ID {
        return Ok(None);
    }
    let data = account.try_borrow_data()?;
    T::try_deserialize(&mut &data[..]).map(Some)
}

/// One item's accounts and the bump of its mint PDA.
struct ItemPlan {
    index: u64,
    mint_bump: u8,
}

/// Every check, before any effect. Returns the price to pay and the items to create.
fn validate(ctx: &Context<'_, MintItems<'_>>, args: &MintArgs, now: i64) -> Result<Checked> {
    let accounts = &ctx.accounts;
    let drop = &accounts.drop;
    let tier = &accounts.tier;
    let buyer = accounts.buyer.key();

    require!(
        drop.status == DropStatus::Active,
        MicrodropError::DropNotActive
    );
    let threshold = drop.threshold(now);
    require!(
        threshold != ThresholdState::Failed,
        MicrodropError::ThresholdFailed
    );
    require!(args.quantity >= 1, MicrodropError::MintQuantityZero);
    require!(
        args.quantity <= max_items_per_mint(drop.standard),
        MicrodropError::MintQuantityTooLarge
    );
    tier.check_open(now)?;

    // The drop's cap first: when the whole drop is gone, that is the reason to give.
    let quantity = u64::from(args.quantity);
    let drop_after = drop
        .minted
        .checked_add(quantity)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    require_gte!(drop.cap(), drop_after, MicrodropError::DropSoldOut);
    let tier_after = tier
        .minted
        .checked_add(quantity)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    require_gte!(tier.supply, tier_after, MicrodropError::TierSoldOut);

    let limit = match &tier.allowlist_root {
        Some(root) => {
            require!(
                args.proof.len() <= MAX_PROOF_LEN,
                MicrodropError::AllowListProofTooLong
            );
            let allowance = args
                .allowance
                .ok_or(MicrodropError::AllowListProofInvalid)?;
            let leaf = merkle::leaf(&drop.key(), tier.id, &buyer, allowance);
            require!(
                merkle::verify(root, leaf, &args.proof),
                MicrodropError::AllowListProofInvalid
            );
            allowance
        }
        None => tier.per_wallet,
    };
    let wallet = if *accounts.wallet_record.owner == crate::ID {
        Some(WalletRecord::read(
            &accounts.wallet_record.try_borrow_data()?,
        )?)
    } else {
        None
    };
    let wallet_after = u64::from(wallet.as_ref().map_or(0, |w| w.minted))
        .checked_add(quantity)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    require_gte!(
        u64::from(limit),
        wallet_after,
        MicrodropError::WalletLimitReached
    );

    let holder = match tier.holder_of {
        Some(collection) => {
            let item = check_holder(accounts, &collection)?;
            check_holder_limit(accounts, item, quantity)?
        }
        None => None,
    };
    let spend = match &tier.voucher_signer {
        Some(signer) => check_voucher(accounts, signer, args.quantity, now)?,
        None => None,
    };

    let price = tier
        .price
        .checked_mul(quantity)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    accounts
        .payment()
        .check(&drop.currency, MicrodropError::PaymentAccountInvalid)?;

    accounts.standard_accounts().check(drop.standard, true)?;
    let items = check_item_accounts(ctx.remaining_accounts, drop, &buyer, quantity)?;
    item_tiers::check(&accounts.item_tiers, &drop.key())?;
    let escrow = threshold == ThresholdState::Pending;
    if escrow {
        let table = accounts
            .item_prices
            .as_ref()
            .ok_or(MicrodropError::ItemPricesInvalid)?;
        item_prices::check(table, &drop.key())?;
    }
    Ok(Checked {
        price,
        escrow,
        items,
        spend,
        wallet,
        holder,
    })
}

/// Under a holder limit, the gate item has room for `quantity` more mints.
fn check_holder_limit(
    accounts: &MintItems<'_>,
    item: Pubkey,
    quantity: u64,
) -> Result<Option<HolderUse>> {
    let tier = &accounts.tier;
    if tier.holder_limit == 0 {
        return Ok(None);
    }
    let account = accounts
        .holder_record
        .as_ref()
        .ok_or(MicrodropError::HolderRecordInvalid)?;
    let (expected, bump) = Pubkey::find_program_address(
        &[HOLDER_SEED, tier.key().as_ref(), item.as_ref()],
        &crate::ID,
    );
    require_keys_eq!(account.key(), expected, MicrodropError::HolderRecordInvalid);
    let record = existing::<HolderRecord>(account)?;
    let after = u64::from(record.as_ref().map_or(0, |r| r.minted))
        .checked_add(quantity)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    require_gte!(
        u64::from(tier.holder_limit),
        after,
        MicrodropError::HolderLimitReached
    );
    Ok(Some(HolderUse { item, bump, record }))
}

/// The voucher verified right before this instruction: signed by the tier's signer, for
/// this program, drop, tier and buyer, unexpired, from an allowed region, covering the
/// quantity, and (single-use) not spent. Returns the nonce to spend, if single-use.
fn check_voucher(
    accounts: &MintItems<'_>,
    signer: &Pubkey,
    quantity: u8,
    now: i64,
) -> Result<Option<(u64, u8)>> {
    let sysvar = accounts
        .instructions_sysvar
        .as_ref()
        .ok_or(MicrodropError::VoucherMissing)?;
    let voucher: VoucherMessage = verified_voucher(sysvar, signer)?;
    let tier = &accounts.tier;
    require!(
        voucher.salt == accounts.drop.voucher_salt,
        MicrodropError::VoucherWrongSalt
    );
    require!(
        voucher.program == crate::ID
            && voucher.drop == accounts.drop.key()
            && voucher.tier_id == tier.id,
        MicrodropError::VoucherWrongTier
    );
    require_keys_eq!(
        voucher.wallet,
        accounts.buyer.key(),
        MicrodropError::VoucherWrongWallet
    );
    require!(now <= voucher.expires, MicrodropError::VoucherExpired);
    require!(
        tier.regions.is_empty() || tier.regions.contains(&voucher.region),
        MicrodropError::VoucherRegionNotAllowed
    );
    require!(
        u32::from(quantity) <= voucher.max_quantity,
        MicrodropError::VoucherQuantityExceeded
    );
    if !voucher.single_use {
        return Ok(None);
    }
    let record = accounts
        .voucher_nonce
        .as_ref()
        .ok_or(MicrodropError::VoucherNonceAccountInvalid)?;
    let (expected, bump) = Pubkey::find_program_address(
        &[
            VOUCHER_SEED,
            tier.key().as_ref(),
            &voucher.nonce.to_le_bytes(),
        ],
        &crate::ID,
    );
    require_keys_eq!(
        record.key(),
        expected,
        MicrodropError::VoucherNonceAccountInvalid
    );
    // Spent records belong to this program; lamports alone (a griefer's transfer) are not.
    require!(
        *record.owner != crate::ID,
        MicrodropError::VoucherAlreadyUsed
    );
    Ok(Some((voucher.nonce, bump)))
}

/// Records a single-use voucher's nonce as spent.
fn spend_voucher(ctx: &Context<'_, MintItems<'_>>, nonce: u64, bump: u8, now: i64) -> Result<()> {
    let record = ctx
        .accounts
        .voucher_nonce
        .as_ref()
        .ok_or(MicrodropError::VoucherNonceAccountInvalid)?
        .to_account_info();
    let tier = ctx.accounts.tier.key();
    let nonce_bytes = nonce.to_le_bytes();
    let seeds: &[&[u8]] = &[VOUCHER_SEED, tier.as_ref(), &nonce_bytes, &[bump]];
    shared_cpi::create_pda_account(
        &ctx.accounts.buyer.to_account_info(),
        &record,
        &ctx.accounts.system_program.to_account_info(),
        8 + VoucherNonce::INIT_SPACE,
        &crate::ID,
        seeds,
    )?;
    let spent = VoucherNonce {
        tier,
        nonce,
        wallet: ctx.accounts.buyer.key(),
        used_at: now,
        bump,
    };
    let mut data = record.try_borrow_mut_data()?;
    spent.try_serialize(&mut &mut data[..])
}

/// The buyer holds an item of the required collection. Returns its mint.
fn check_holder(accounts: &MintItems<'_>, collection: &Pubkey) -> Result<Pubkey> {
    let (Some(token), Some(proof)) = (&accounts.holder_token, &accounts.holder_metadata) else {
        return err!(MicrodropError::HolderProofMissing);
    };
    items::check_gate(token, proof, &accounts.buyer.key(), collection)
}

/// The remaining accounts are, per item in index order, its accounts in the drop's
/// standard (`items::check_item_accounts`).
fn check_item_accounts(
    remaining: &[AccountInfo<'_>],
    drop: &Account<'_, Drop>,
    buyer: &Pubkey,
    quantity: u64,
) -> Result<Vec<ItemPlan>> {
    let per_item = items::accounts_per_item(drop.standard);
    let expected_len = usize::try_from(quantity)
        .ok()
        .and_then(|q| q.checked_mul(per_item))
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    require!(
        remaining.len() == expected_len,
        MicrodropError::ItemAccountsMismatch
    );
    let mut plans = Vec::with_capacity(remaining.len() / per_item);
    for (offset, accounts) in remaining.chunks_exact(per_item).enumerate() {
        let index = drop
            .minted
            .checked_add(u64::try_from(offset).map_err(|_| MicrodropError::ArithmeticOverflow)?)
            .and_then(|i| i.checked_add(1))
            .ok_or(MicrodropError::ArithmeticOverflow)?;
        let (mint, mint_bump) = item_mint_address(&drop.key(), index);
        items::check_item_accounts(drop.standard, accounts, &mint, buyer)?;
        plans.push(ItemPlan { index, mint_bump });
    }
    Ok(plans)
}

/// The mint PDA of item `index` of `drop`.
pub fn item_mint_address(drop: &Pubkey, index: u64) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[ITEM_SEED, drop.as_ref(), &index.to_le_bytes()],
        &crate::ID,
    )
}

pub use items::item_uri;

/// Mints `quantity` items from one tier to the buyer. Every rule is checked first: drop
/// active, tier window, tier and drop caps, the wallet's limit (or allow-list allowance,
/// proven against the tier's Merkle root in this same instruction), the holder gate, and
/// the payment and item accounts. Then the buyer pays the vault and each item is created:
/// a mint PDA, one token in the buyer's ATA, metadata, a master edition, and verification
/// into the drop's sized collection.
pub fn handler<'info>(ctx: Context<'info, MintItems<'info>>, args: MintArgs) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let Checked {
        price,
        escrow,
        items,
        spend,
        wallet,
        holder,
    } = validate(&ctx, &args, now)?;

    if let Some((nonce, bump)) = spend {
        spend_voucher(&ctx, nonce, bump, now)?;
    }
    // A SOL price on a wallet's first mint from the tier travels with its new record's
    // rent (one CPI instead of two, which the instruction trace needs; see
    // `record_wallet`); otherwise it is paid now.
    let price_with_record = ctx.accounts.drop.currency == Currency::Sol && wallet.is_none();
    if !price_with_record {
        ctx.accounts.payment().pay_vault(
            &ctx.accounts.drop.currency,
            price,
            MicrodropError::PaymentAccountInvalid,
        )?;
    }

    let accounts = &ctx.accounts;
    let drop = &accounts.drop;
    let drop_key = drop.key();
    let drop_seeds = drop.signer_seeds();
    let signer: &[&[&[u8]]] = &[&drop_seeds[..]];
    let creation = items::Creation {
        drop: &drop.to_account_info(),
        payer: &accounts.buyer.to_account_info(),
        owner: &accounts.buyer.to_account_info(),
        token_program: &accounts.token_program.to_account_info(),
        system_program: &accounts.system_program.to_account_info(),
    };
    let standard = accounts.standard_accounts();
    let vault = accounts.vault.key();
    let per_item = items::accounts_per_item(drop.standard);
    let last = items.last().map_or(drop.minted, |p| p.index);
    items::make_room(&standard, &drop.to_account_info(), drop, last, signer)?;
    let mut mints = Vec::with_capacity(items.len());
    for (plan, item) in items
        .iter()
        .zip(ctx.remaining_accounts.chunks_exact(per_item))
    {
        let index_bytes = plan.index.to_le_bytes();
        let new = items::NewItem {
            accounts: item,
            index: plan.index,
            tier_id: Some(accounts.tier.id),
            mint_seeds: &[
                ITEM_SEED,
                drop_key.as_ref(),
                &index_bytes,
                std::slice::from_ref(&plan.mint_bump),
            ],
        };
        items::create_item(&creation, &standard, drop, &vault, &new, signer)?;
        mints.push(item[0].key());
    }

    if items::tier_in_table(drop.standard) {
        record_tiers(&ctx, &items)?;
    }
    if escrow {
        record_prices(&ctx, &items)?;
    }

    let quantity = u64::from(args.quantity);
    let first_index = items.first().map_or(0, |p| p.index);
    record_wallet(
        &ctx,
        wallet,
        args.quantity,
        if price_with_record { price } else { 0 },
    )?;
    if let Some(holder) = holder {
        record_holder(&ctx, holder, args.quantity)?;
    }
    let tier = &mut ctx.accounts.tier;
    tier.minted = tier
        .minted
        .checked_add(quantity)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    tier.invariant()?;
    let drop = &mut ctx.accounts.drop;
    drop.minted = drop
        .minted
        .checked_add(quantity)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    if escrow {
        drop.escrowed = drop
            .escrowed
            .checked_add(price)
            .ok_or(MicrodropError::ArithmeticOverflow)?;
    }
    drop.invariant()?;

    emit_cpi!(ItemsMinted {
        drop: ctx.accounts.drop.key(),
        tier: ctx.accounts.tier.key(),
        tier_id: ctx.accounts.tier.id,
        buyer: ctx.accounts.buyer.key(),
        mints,
        first_index,
        paid: price,
        timestamp: now,
    });
    Ok(())
}

/// Counts the items against the buyer's record for the tier, creating it on the first
/// mint (prefund-safe). `price`, for a new record, is the SOL price still to pay: the
/// record is created holding it on top of its rent, and it moves on to the vault.
fn record_wallet(
    ctx: &Context<'_, MintItems<'_>>,
    existing: Option<WalletRecord>,
    quantity: u8,
    price: u64,
) -> Result<()> {
    let tier = ctx.accounts.tier.key();
    let buyer = ctx.accounts.buyer.key();
    let account = ctx.accounts.wallet_record.to_account_info();
    let size = 8 + WalletRecord::INIT_SPACE;
    let is_new = existing.is_none();
    if !is_new && account.data_len() != size {
        // A record of the old, larger layout: shrink it and give the freed rent back.
        account.resize(size)?;
        let freed = account
            .lamports()
            .saturating_sub(Rent::get()?.minimum_balance(size));
        **account.try_borrow_mut_lamports()? -= freed;
        **ctx.accounts.buyer.try_borrow_mut_lamports()? += freed;
    }
    let mut record = existing.unwrap_or(WalletRecord {
        minted: 0,
        bump: ctx.bumps.wallet_record,
    });
    record.minted = record
        .minted
        .checked_add(u32::from(quantity))
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    let seeds: &[&[u8]] = &[
        WALLET_SEED,
        tier.as_ref(),
        buyer.as_ref(),
        &[ctx.bumps.wallet_record],
    ];
    if !is_new {
        return shared_cpi::write_account(&account, &record);
    }
    let rent = Rent::get()?.minimum_balance(size);
    shared_cpi::create_pda_account_holding(
        &ctx.accounts.buyer.to_account_info(),
        &account,
        &ctx.accounts.system_program.to_account_info(),
        size,
        rent.checked_add(price)
            .ok_or(MicrodropError::ArithmeticOverflow)?,
        &crate::ID,
        seeds,
    )?;
    shared_cpi::write_account(&account, &record)?;
    if price > 0 {
        // The record is this program's now, so its lamports can move without a CPI.
        **account.try_borrow_mut_lamports()? -= price;
        **ctx.accounts.vault.try_borrow_mut_lamports()? += price;
    }
    Ok(())
}

/// Counts the items against the gate item's record, creating it on its first use.
fn record_holder(ctx: &Context<'_, MintItems<'_>>, holder: HolderUse, quantity: u8) -> Result<()> {
    let account = ctx
        .accounts
        .holder_record
        .as_ref()
        .ok_or(MicrodropError::HolderRecordInvalid)?;
    let tier = ctx.accounts.tier.key();
    let mut record = holder.record.unwrap_or(HolderRecord {
        tier,
        item: holder.item,
        minted: 0,
        bump: holder.bump,
    });
    record.minted = record
        .minted
        .checked_add(u32::from(quantity))
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    shared_cpi::save_program_account(
        &ctx.accounts.buyer.to_account_info(),
        &account.to_account_info(),
        &ctx.accounts.system_program.to_account_info(),
        &[
            HOLDER_SEED,
            tier.as_ref(),
            holder.item.as_ref(),
            &[holder.bump],
        ],
        &record,
    )
}

/// Grows the item-tier table to hold the new items (the buyer pays its rent) and records
/// this tier for each.
fn record_tiers(ctx: &Context<'_, MintItems<'_>>, items: &[ItemPlan]) -> Result<()> {
    let Some(last) = items.last() else {
        return Ok(());
    };
    let table = ctx.accounts.item_tiers.to_account_info();
    shared_cpi::grow_table(
        &ctx.accounts.buyer.to_account_info(),
        &table,
        item_tiers::size_for(last.index)?,
    )?;
    let mut data = table.try_borrow_mut_data()?;
    for plan in items {
        item_tiers::record(&mut data, plan.index, ctx.accounts.tier.id)?;
    }
    Ok(())
}

/// Grows the item-price table to hold the new items (the buyer pays its rent) and records
/// what each cost: the tier's price at this sale.
fn record_prices(ctx: &Context<'_, MintItems<'_>>, items: &[ItemPlan]) -> Result<()> {
    let (Some(last), Some(table)) = (items.last(), &ctx.accounts.item_prices) else {
        return Ok(());
    };
    let table = table.to_account_info();
    shared_cpi::grow_table(
        &ctx.accounts.buyer.to_account_info(),
        &table,
        item_prices::size_for(last.index)?,
    )?;
    let mut data = table.try_borrow_mut_data()?;
    for plan in items {
        item_prices::record(&mut data, plan.index, ctx.accounts.tier.price)?;
    }
    Ok(())
}
