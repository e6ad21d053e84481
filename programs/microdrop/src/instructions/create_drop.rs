use anchor_lang::prelude::*;
use anchor_spl::{
    associated_token::AssociatedToken,
    metadata::Metadata,
    token::{Mint, Token},
    token_2022::Token2022,
};

use crate::{
    constants::*,
    errors::MicrodropError,
    events::DropCreated,
    items::{token_2022, token_metadata, StandardAccounts},
    state::{
        item_prices, item_tiers, validate_splits, Currency, Drop, DropStatus, ItemStandard, Split,
        SplitConfig,
    },
};

/// Arguments of [`create_drop`](crate::microdrop::create_drop).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct CreateDropArgs {
    /// Slug unique per authority: 1-32 bytes of `a-z`, `0-9`, `-`, `_`.
    pub id: String,
    /// Collection name, 1-32 bytes, leaving room for ` #<supply>` in item names.
    pub name: String,
    /// Token Metadata symbol, at most 10 bytes.
    pub symbol: String,
    /// Collection metadata URI, 1-200 bytes.
    pub uri: String,
    /// Item metadata URI template containing `{index}`.
    pub item_uri: String,
    /// Most items that can ever be minted: 1 to `MAX_SUPPLY`, or `OPEN_SUPPLY` for an open
    /// edition.
    pub supply: u64,
    /// Secondary royalty in basis points, at most 10 000.
    pub seller_fee_bps: u16,
    /// Who receives the drop's income: 1-8 unique recipients whose shares add up to 10 000.
    pub splits: Vec<SplitConfig>,
    /// Random bytes every voucher of this drop must carry (not all zeros): a drop of the
    /// same authority and id on another cluster gets other bytes, so its vouchers never
    /// work here.
    pub voucher_salt: [u8; 32],
    /// What the drop's items are.
    pub standard: ItemStandard,
    /// Whether items can be transferred; `false` (soulbound) needs Token-2022 items.
    pub transferable: bool,
    /// For a preorder, the items that must sell by `deadline` (1 to the supply, at most
    /// `MAX_PREORDER_MINIMUM`); 0 for an unconditional sale.
    pub minimum: u64,
    /// For a preorder, the last second (unix time) at which sales count toward `minimum`;
    /// 0 for an unconditional sale.
    pub deadline: i64,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(args: CreateDropArgs)]
pub struct CreateDrop<'info> {
    /// The creator: pays for every account and receives the collection NFT.
    #[account(mut)]
    pub authority: Signer<'info>,

    /// CHECK: the drop PDA, checked by its seeds; created here through the prefund-safe
    /// path (`cpi::create_pda_account`), so lamports sent to the address first cannot
    /// block it.
    #[account(
        mut,
        seeds = [DROP_SEED, authority.key().as_ref(), Drop::id_seed(&args.id)],
        bump,
    )]
    pub drop: UncheckedAccount<'info>,

    /// CHECK: the collection's mint PDA, checked by its seeds; created (prefund-safe) and
    /// initialised here in the drop's standard.
    #[account(mut, seeds = [COLLECTION_MINT_SEED, drop.key().as_ref()], bump)]
    pub collection_mint: UncheckedAccount<'info>,

    /// CHECK: the creator's associated token account for the collection (of the
    /// standard's token program); the ATA program checks its address when it creates it.
    #[account(mut)]
    pub collection_token: UncheckedAccount<'info>,

    /// CHECK: Token Metadata drops: the collection mint's metadata PDA, address-checked
    /// (`StandardAccounts::check`) and created by Token Metadata. Absent for Token-2022.
    #[account(mut)]
    pub collection_metadata: Option<UncheckedAccount<'info>>,

    /// CHECK: Token Metadata drops: the collection mint's master edition PDA,
    /// address-checked and created by Token Metadata. Absent for Token-2022.
    #[account(mut)]
    pub collection_master_edition: Option<UncheckedAccount<'info>>,

    /// CHECK: the drop's vault PDA, a plain system account that receives SOL proceeds and
    /// royalties (and owns the SPL vault token account). Checked by its seeds; funded here
    /// with its rent-exempt minimum so any later payment can land in it.
    #[account(mut, seeds = [VAULT_SEED, drop.key().as_ref()], bump)]
    pub vault: UncheckedAccount<'info>,

    /// CHECK: the drop's item-tier table PDA (checked by its seeds), created here; see
    /// `state::item_tiers`.
    #[account(mut, seeds = [ITEM_TIERS_SEED, drop.key().as_ref()], bump)]
    pub item_tiers: UncheckedAccount<'info>,

    /// The SPL mint buyers pay in; absent for a drop priced in SOL.
    pub currency_mint: Option<Box<Account<'info, Mint>>>,

    /// CHECK: the vault's associated token account for `currency_mint`, created here for a
    /// drop priced in an SPL token; the ATA program checks its address.
    #[account(mut)]
    pub vault_token: Option<UncheckedAccount<'info>>,

    /// Token Metadata drops only.
    pub token_metadata_program: Option<Program<'info, Metadata>>,
    pub token_program: Program<'info, Token>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
    /// Token-2022 drops only.
    pub token_2022_program: Option<Program<'info, Token2022>>,

    /// CHECK: preorders only (a `minimum`): the drop's item-price table PDA, address-checked
    /// in `create_item_prices` and created there; see `state::item_prices`. (No seeds
    /// constraint, so that clients pass it only for preorders.)
    #[account(mut)]
    pub item_prices: Option<UncheckedAccount<'info>>,
}

impl<'info> CreateDrop<'info> {
    pub fn validate(&self, args: &CreateDropArgs) -> Result<()> {
        validate_id(&args.id)?;
        validate_supply(args.supply)?;
        validate_name(&args.name, args.supply)?;
        validate_threshold(args.minimum, args.deadline, args.supply)?;
        require!(
            (args.minimum > 0) == self.item_prices.is_some(),
            MicrodropError::ItemPricesInvalid
        );
        if let Some(table) = &self.item_prices {
            require_keys_eq!(
                table.key(),
                item_prices_address(&self.drop.key()).0,
                MicrodropError::ItemPricesInvalid
            );
        }
        require!(
            args.symbol.len() <= MAX_SYMBOL_LEN,
            MicrodropError::DropSymbolTooLong
        );
        require!(
            !args.uri.is_empty() && args.uri.len() <= MAX_URI_LEN,
            MicrodropError::DropUriInvalid
        );
        validate_item_uri(&args.item_uri, args.supply)?;
        require!(
            args.seller_fee_bps <= MAX_BPS,
            MicrodropError::DropSellerFeeTooHigh
        );
        validate_splits(&args.splits, &self.drop.key(), &self.vault.key())?;
        require!(
            args.voucher_salt != [0; 32],
            MicrodropError::DropVoucherSaltInvalid
        );
        require!(
            args.transferable || args.standard == ItemStandard::Token2022,
            MicrodropError::DropSoulboundNeedsToken2022
        );
        self.standard_accounts().check(args.standard, true)
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

/// A drop id is a PDA seed and part of file names and URLs: keep it a plain slug.
pub fn validate_id(id: &str) -> Result<()> {
    let valid = (1..=MAX_ID_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    require!(valid, MicrodropError::DropIdInvalid);
    Ok(())
}

/// A supply of at least one item, and no more than the item-tier table can record; or an
/// open edition.
pub fn validate_supply(supply: u64) -> Result<()> {
    require!(supply >= 1, MicrodropError::DropSupplyZero);
    require!(
        supply <= MAX_SUPPLY || supply == OPEN_SUPPLY,
        MicrodropError::DropSupplyTooLarge
    );
    Ok(())
}

/// The highest index an item of a drop with `supply` can have.
fn highest_index(supply: u64) -> u64 {
    supply.min(MAX_SUPPLY)
}

/// A preorder names both its minimum and its deadline, or neither; the minimum fits the
/// supply and the item-price table.
pub fn validate_threshold(minimum: u64, deadline: i64, supply: u64) -> Result<()> {
    require!(
        (minimum == 0) == (deadline == 0)
            && deadline >= 0
            && minimum <= supply
            && minimum <= MAX_PREORDER_MINIMUM,
        MicrodropError::DropThresholdInvalid
    );
    Ok(())
}

/// The name must fit Token Metadata, and so must every item's `<name> #<index>`.
pub fn validate_name(name: &str, supply: u64) -> Result<()> {
    require!(
        !name.is_empty() && name.len() <= MAX_NAME_LEN,
        MicrodropError::DropNameInvalid
    );
    require!(supply >= 1, MicrodropError::DropSupplyZero);
    let longest_item_name = name.len() + " #".len() + decimal_digits(highest_index(supply));
    require!(
        longest_item_name <= MAX_NAME_LEN,
        MicrodropError::DropNameTooLongForItems
    );
    Ok(())
}

/// The template must name where the index goes, and both the template (stored in the
/// drop, in space reserved for 200 bytes) and its longest rendering must fit.
pub fn validate_item_uri(template: &str, supply: u64) -> Result<()> {
    require!(supply >= 1, MicrodropError::DropSupplyZero);
    require!(
        template.len() <= MAX_URI_LEN,
        MicrodropError::DropItemUriInvalid
    );
    let placeholders = template.matches(ITEM_URI_INDEX_PLACEHOLDER).count();
    let rendered_len = template.len() - placeholders * ITEM_URI_INDEX_PLACEHOLDER.len()
        + placeholders * decimal_digits(highest_index(supply));
    require!(
        placeholders >= 1 && rendered_len <= MAX_URI_LEN,
        MicrodropError::DropItemUriInvalid
    );
    Ok(())
}

/// Number of decimal digits of `n` (at least 1).
pub fn decimal_digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// Makes the vault able to receive: rent-exempt as a system account, and for an SPL drop,
/// with its associated token account.
fn fund_vault(ctx: &Context<CreateDrop>) -> Result<()> {
    let vault = &ctx.accounts.vault;
    let needed = Rent::get()?
        .minimum_balance(0)
        .saturating_sub(vault.lamports());
    if needed > 0 {
        anchor_lang::system_program::transfer(
            CpiContext::new(
                System::id(),
                anchor_lang::system_program::Transfer {
                    from: ctx.accounts.authority.to_account_info(),
                    to: vault.to_account_info(),
                },
            ),
            needed,
        )?;
    }
    if let Some(mint) = &ctx.accounts.currency_mint {
        let vault_token = ctx
            .accounts
            .vault_token
            .as_ref()
            .ok_or(MicrodropError::PaymentAccountInvalid)?;
        anchor_spl::associated_token::create_idempotent(CpiContext::new(
            anchor_spl::associated_token::ID,
            anchor_spl::associated_token::Create {
                payer: ctx.accounts.authority.to_account_info(),
                associated_token: vault_token.to_account_info(),
                authority: vault.to_account_info(),
                mint: mint.to_account_info(),
                system_program: ctx.accounts.system_program.to_account_info(),
                token_program: ctx.accounts.token_program.to_account_info(),
            },
        ))?;
    }
    Ok(())
}

/// Creates the (empty) item-tier table; mints grow it.
fn create_item_tiers(ctx: &Context<CreateDrop>) -> Result<()> {
    let drop = ctx.accounts.drop.key();
    let bump = [ctx.bumps.item_tiers];
    let seeds: &[&[u8]] = &[ITEM_TIERS_SEED, drop.as_ref(), &bump];
    let table = ctx.accounts.item_tiers.to_account_info();
    crate::cpi::create_pda_account(
        &ctx.accounts.authority.to_account_info(),
        &table,
        &ctx.accounts.system_program.to_account_info(),
        item_tiers::HEADER_LEN,
        &crate::ID,
        seeds,
    )?;
    let mut data = table.try_borrow_mut_data()?;
    item_tiers::initialize(&mut data, &drop)
}

/// The item-price table PDA of `drop` and its bump.
fn item_prices_address(drop: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[ITEM_PRICES_SEED, drop.as_ref()], &crate::ID)
}

/// A preorder's (empty) item-price table; sales while the threshold is pending grow it.
fn create_item_prices(ctx: &Context<CreateDrop>, bump: Option<u8>) -> Result<()> {
    let (Some(table), Some(bump)) = (&ctx.accounts.item_prices, bump) else {
        return Ok(());
    };
    let drop = ctx.accounts.drop.key();
    let seeds: &[&[u8]] = &[ITEM_PRICES_SEED, drop.as_ref(), &[bump]];
    let table = table.to_account_info();
    crate::cpi::create_pda_account(
        &ctx.accounts.authority.to_account_info(),
        &table,
        &ctx.accounts.system_program.to_account_info(),
        item_prices::HEADER_LEN,
        &crate::ID,
        seeds,
    )?;
    let mut data = table.try_borrow_mut_data()?;
    item_prices::initialize(&mut data, &drop)
}

/// Creates the drop account through the prefund-safe path.
fn create_drop_account(ctx: &Context<CreateDrop>, args: &CreateDropArgs) -> Result<()> {
    let creator = ctx.accounts.authority.key();
    crate::cpi::create_pda_account(
        &ctx.accounts.authority.to_account_info(),
        &ctx.accounts.drop.to_account_info(),
        &ctx.accounts.system_program.to_account_info(),
        8 + Drop::INIT_SPACE,
        &crate::ID,
        &[
            DROP_SEED,
            creator.as_ref(),
            Drop::id_seed(&args.id),
            &[ctx.bumps.drop],
        ],
    )
}

/// Creates the drop in draft and its sized collection NFT, owned by the creator, with the
/// drop PDA as update authority so the program can later verify items into it.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<CreateDrop>, args: CreateDropArgs) -> Result<()> {
    let currency = match &ctx.accounts.currency_mint {
        Some(mint) => Currency::Spl { mint: mint.key() },
        None => Currency::Sol,
    };
    create_drop_account(&ctx, &args)?;
    // Its address was checked in `validate`.
    let item_prices_bump = ctx
        .accounts
        .item_prices
        .as_ref()
        .map(|_| item_prices_address(&ctx.accounts.drop.key()).1);

    let drop = Drop {
        authority: ctx.accounts.authority.key(),
        id: args.id.clone(),
        collection_mint: ctx.accounts.collection_mint.key(),
        name: args.name.clone(),
        symbol: args.symbol.clone(),
        uri: args.uri.clone(),
        item_uri: args.item_uri,
        supply: args.supply,
        minted: 0,
        burned: 0,
        status: DropStatus::Draft,
        currency,
        seller_fee_bps: args.seller_fee_bps,
        bump: ctx.bumps.drop,
        collection_mint_bump: ctx.bumps.collection_mint,
        vault_bump: ctx.bumps.vault,
        tier_count: 0,
        tier_supply_total: 0,
        splits: args.splits.iter().map(Split::from).collect(),
        distributed_lamports: 0,
        distributed_tokens: 0,
        benefit_count: 0,
        item_tiers_bump: ctx.bumps.item_tiers,
        lookup_table: Pubkey::default(),
        creator: ctx.accounts.authority.key(),
        pending_authority: Pubkey::default(),
        voucher_salt: args.voucher_salt,
        standard: args.standard,
        soulbound: !args.transferable,
        minimum: args.minimum,
        deadline: args.deadline,
        airdropped: 0,
        escrowed: 0,
        refunded: 0,
        item_prices_bump: item_prices_bump.unwrap_or(0),
        reserved: [0; 85],
    };
    drop.invariant()?;

    let drop_info = ctx.accounts.drop.to_account_info();
    let seeds = drop.signer_seeds();
    let signer = &[&seeds[..]];
    let drop_key = drop_info.key();
    let mint_seeds: &[&[u8]] = &[
        COLLECTION_MINT_SEED,
        drop_key.as_ref(),
        &[ctx.bumps.collection_mint],
    ];
    let accounts = &ctx.accounts;
    let payer = accounts.authority.to_account_info();
    let system_program = accounts.system_program.to_account_info();
    let mint = accounts.collection_mint.to_account_info();
    let token_account = accounts.collection_token.to_account_info();
    match drop.standard {
        ItemStandard::TokenMetadata => {
            let (Some(metadata), Some(edition)) = (
                &accounts.collection_metadata,
                &accounts.collection_master_edition,
            ) else {
                return err!(MicrodropError::StandardAccountsMismatch);
            };
            let collection = [
                mint,
                token_account,
                metadata.to_account_info(),
                edition.to_account_info(),
            ];
            token_metadata::create_collection(
                &token_metadata::Creation {
                    drop: &drop_info,
                    payer: &payer,
                    owner: &payer,
                    token_program: &accounts.token_program.to_account_info(),
                    system_program: &system_program,
                },
                &token_metadata::NewNft {
                    accounts: &collection,
                    mint_seeds,
                },
                args.name,
                args.symbol,
                args.uri,
                signer,
            )?;
        }
        ItemStandard::Token2022 => {
            let program = accounts
                .token_2022_program
                .as_ref()
                .ok_or(MicrodropError::StandardAccountsMismatch)?
                .to_account_info();
            token_2022::create_collection(
                &token_2022::Creation {
                    drop: &drop_info,
                    payer: &payer,
                    owner: &payer,
                    token_program: &program,
                    system_program: &system_program,
                },
                &token_2022::NewMint {
                    mint: &mint,
                    token_account: &token_account,
                    mint_seeds,
                },
                args.name,
                args.symbol,
                args.uri,
                // An open edition's group starts empty and is raised as items join.
                if drop.is_open() { 0 } else { drop.supply },
                signer,
            )?;
        }
    }

    fund_vault(&ctx)?;
    create_item_tiers(&ctx)?;
    create_item_prices(&ctx, item_prices_bump)?;
    crate::cpi::write_account(&drop_info, &drop)?;

    emit_cpi!(DropCreated {
        drop: drop_info.key(),
        authority: drop.authority,
        id: drop.id.clone(),
        collection_mint: drop.collection_mint,
        supply: drop.supply,
        currency: drop.currency,
        seller_fee_bps: drop.seller_fee_bps,
        minimum: drop.minimum,
        deadline: drop.deadline,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
