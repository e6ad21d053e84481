//! Instruction builders: pure functions that return [`Instruction`]s and never send.

use anchor_lang::{prelude::Pubkey, InstructionData, ToAccountMetas};
use microdrop::{
    instructions::{
        AirdropArgs, CreateDropArgs, DistributeArgs, MintArgs, RedeemArgs, RefundArgs,
        SetDropStatusArgs,
    },
    state::{
        BenefitConfig, Currency, Drop, DropStatus, ItemStandard, Split, SplitConfig, TierConfig,
    },
};
use solana_message::{AccountMeta, Instruction};

use crate::{
    items::token_metadata, pda, ASSOCIATED_TOKEN_PROGRAM_ID, SYSTEM_PROGRAM_ID,
    TOKEN_2022_PROGRAM_ID, TOKEN_METADATA_PROGRAM_ID, TOKEN_PROGRAM_ID,
};

/// `create_drop`: the drop, its collection (in `args.standard`) and the creator's token
/// account for it, its vault and its item-tier table (and a preorder's item-price table).
///
/// `currency_mint` prices the drop in that SPL token; `None` prices it in SOL.
///
/// ```
/// # use microdrop_sdk::{instructions, Pubkey, microdrop::instructions::CreateDropArgs};
/// let creator = Pubkey::new_unique();
/// let ix = instructions::create_drop(&creator, None, CreateDropArgs {
///     id: "spring-zine".into(), name: "Spring Zine".into(), symbol: "ZINE".into(),
///     uri: "https://example.com/c.json".into(),
///     item_uri: "https://example.com/{index}.json".into(),
///     supply: 100, seller_fee_bps: 500,
///     splits: vec![microdrop_sdk::microdrop::SplitConfig { address: creator, share_bps: 10_000 }],
///     voucher_salt: instructions::voucher_salt(),
///     standard: microdrop_sdk::microdrop::state::ItemStandard::Token2022,
///     transferable: true, minimum: 0, deadline: 0,
/// });
/// assert_eq!(ix.program_id, microdrop_sdk::microdrop::ID);
/// ```
pub fn create_drop(
    authority: &Pubkey,
    currency_mint: Option<&Pubkey>,
    args: CreateDropArgs,
) -> Instruction {
    let drop = pda::drop(authority, &args.id).0;
    let collection_mint = pda::collection_mint(&drop).0;
    let vault = pda::vault(&drop).0;
    let metadata = args.standard == ItemStandard::TokenMetadata;
    let [collection_metadata, collection_master_edition] =
        token_metadata::collection_accounts(&collection_mint);
    let collection_token = match args.standard {
        ItemStandard::TokenMetadata => pda::associated_token(authority, &collection_mint).0,
        ItemStandard::Token2022 => pda::associated_token_2022(authority, &collection_mint).0,
    };
    let accounts = microdrop::accounts::CreateDrop {
        authority: *authority,
        drop,
        collection_mint,
        collection_token,
        collection_metadata: metadata.then_some(collection_metadata),
        collection_master_edition: metadata.then_some(collection_master_edition),
        vault,
        item_tiers: pda::item_tiers(&drop).0,
        currency_mint: currency_mint.copied(),
        vault_token: currency_mint.map(|mint| pda::associated_token(&vault, mint).0),
        token_metadata_program: metadata.then_some(TOKEN_METADATA_PROGRAM_ID),
        token_program: TOKEN_PROGRAM_ID,
        associated_token_program: ASSOCIATED_TOKEN_PROGRAM_ID,
        system_program: SYSTEM_PROGRAM_ID,
        token_2022_program: (!metadata).then_some(TOKEN_2022_PROGRAM_ID),
        item_prices: (args.minimum > 0).then(|| pda::item_prices(&drop).0),
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    program_instruction(&accounts, microdrop::instruction::CreateDrop { args })
}

/// 32 random bytes from the operating system for a new drop's `voucher_salt`: vouchers
/// signed for this drop then work nowhere else, not even for a drop of the same authority
/// and id on another cluster.
pub fn voucher_salt() -> [u8; 32] {
    let mut salt = [0u8; 32];
    // The OS random source failing is not something a caller could recover from.
    getrandom::getrandom(&mut salt).expect("the operating system's random source");
    salt
}

/// `set_drop_status`, signed by the drop's authority.
pub fn set_drop_status(authority: &Pubkey, drop: &Pubkey, status: DropStatus) -> Instruction {
    let accounts = microdrop::accounts::SetDropStatus {
        authority: *authority,
        drop: *drop,
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    program_instruction(
        &accounts,
        microdrop::instruction::SetDropStatus {
            args: SetDropStatusArgs { status },
        },
    )
}

/// `add_tier`: the drop's next tier, with id `next_id` (the drop's current tier count).
pub fn add_tier(authority: &Pubkey, drop: &Pubkey, next_id: u8, config: TierConfig) -> Instruction {
    let accounts = microdrop::accounts::AddTier {
        authority: *authority,
        drop: *drop,
        tier: pda::tier(drop, next_id).0,
        system_program: SYSTEM_PROGRAM_ID,
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    program_instruction(&accounts, microdrop::instruction::AddTier { config })
}

/// `update_tier`: replaces tier `id`'s configuration.
pub fn update_tier(authority: &Pubkey, drop: &Pubkey, id: u8, config: TierConfig) -> Instruction {
    let accounts = microdrop::accounts::UpdateTier {
        authority: *authority,
        drop: *drop,
        tier: pda::tier(drop, id).0,
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    program_instruction(&accounts, microdrop::instruction::UpdateTier { config })
}

/// Everything a `mint` instruction needs to know about the drop and the buyer.
#[derive(Debug, Clone)]
pub struct MintRequest {
    pub drop: Pubkey,
    /// The drop's item standard, and whether its items are soulbound.
    pub standard: ItemStandard,
    pub soulbound: bool,
    /// Whether the drop is a preorder (has a `minimum`): the mint then carries its
    /// item-price table.
    pub preorder: bool,
    /// Whether the drop is an open edition (its supply is `OPEN_SUPPLY`).
    pub open: bool,
    pub collection_mint: Pubkey,
    pub currency: Currency,
    pub tier_id: u8,
    pub buyer: Pubkey,
    /// Index of the first item this instruction creates: the drop's `minted + 1`.
    pub first_index: u64,
    pub quantity: u8,
    /// Allowance and proof, for an allow-listed tier.
    pub allowance: Option<u32>,
    pub proof: Vec<[u8; 32]>,
    /// The buyer's token account and what proves its item's collection
    /// ([`crate::items::membership_account`]), for a holder-gated tier.
    pub holder: Option<(Pubkey, Pubkey)>,
    /// The gate item's record ([`pda::holder_record`]), for a tier with a holder limit.
    pub holder_record: Option<Pubkey>,
    /// The signed voucher, for a voucher-gated tier.
    pub voucher: Option<crate::voucher::SignedVoucher>,
}

impl MintRequest {
    /// A mint of one item, the drop's next, from tier `tier_id` for `buyer`, without an
    /// allow-list proof, a gate or a voucher; the drop's shape (standard, soulbound,
    /// preorder, open edition, collection, currency) read from its account `state`.
    pub fn new(drop: Pubkey, state: &Drop, tier_id: u8, buyer: Pubkey) -> Self {
        Self {
            drop,
            standard: state.standard,
            soulbound: state.soulbound,
            preorder: state.minimum > 0,
            open: state.is_open(),
            collection_mint: state.collection_mint,
            currency: state.currency,
            tier_id,
            buyer,
            first_index: state.minted + 1,
            quantity: 1,
            allowance: None,
            proof: vec![],
            holder: None,
            holder_record: None,
            voucher: None,
        }
    }
}

/// The Instructions sysvar.
pub const INSTRUCTIONS_SYSVAR_ID: Pubkey =
    Pubkey::from_str_const("Sysvar1nstructions1111111111111111111111111");

/// What a mint sends, in order: for a voucher tier the voucher's Ed25519 instruction, then
/// the mint instruction (the program reads the instruction right before itself).
pub fn mint_instructions(request: &MintRequest) -> Vec<Instruction> {
    let mut ixs = Vec::with_capacity(2);
    if let Some(voucher) = &request.voucher {
        ixs.push(voucher.ed25519_instruction());
    }
    ixs.push(mint(request));
    ixs
}

/// Most instruction-trace entries a transaction may use: its top-level instructions and
/// every CPI beneath them.
pub const MAX_TRACE: usize = 64;

/// Trace entries each Token Metadata item adds to a mint, measured by the suite's
/// `limits`: the mint account, `InitializeMint2`, the ATA (with its 4 inner calls),
/// `MintTo`, the metadata and master edition (with their inner calls) and the collection
/// verification.
pub const MINT_TRACE_PER_ITEM: usize = 19;

/// Trace entries each Token-2022 item adds to a mint, measured by the suite's `limits`:
/// the mint account, its close authority, metadata pointer and group member pointer,
/// `InitializeMint2`, the metadata and its three fields, the group membership, the ATA
/// (with its 4 inner calls), `MintTo` and the mint authority's removal. A soulbound item
/// adds its non-transferable extension.
pub const TOKEN_2022_MINT_TRACE_PER_ITEM: usize = 17;

/// Trace entries each item of `request`'s drop adds to a mint.
pub fn mint_trace_per_item(standard: ItemStandard, soulbound: bool) -> usize {
    match standard {
        ItemStandard::TokenMetadata => MINT_TRACE_PER_ITEM,
        ItemStandard::Token2022 => TOKEN_2022_MINT_TRACE_PER_ITEM + usize::from(soulbound),
    }
}

/// Trace entries a mint transaction uses at most: the top-level instructions (the mint,
/// a voucher's Ed25519 instruction, and `other_top_level` more, such as compute budget or
/// the caller's own), plus the mint's CPIs: per item [`mint_trace_per_item`], and once the
/// event, the payment, the item-tier table's top-up (Token Metadata), a preorder's
/// item-price table top-up, an open Token-2022 edition's group raise, and the records it
/// may create (the wallet's, a gate item's, a single-use voucher's).
///
/// An address a griefer funded beforehand costs up to 2 entries more each (a transfer,
/// an allocate and an assign instead of one create); the suite measures that worst case.
///
/// ```
/// # use microdrop_sdk::{instructions::{mint_trace, MintRequest, MINT_TRACE_PER_ITEM}, Pubkey};
/// # use microdrop_sdk::microdrop::state::Currency;
/// # use microdrop_sdk::microdrop::state::ItemStandard;
/// let request = MintRequest {
///     drop: Pubkey::new_unique(), standard: ItemStandard::TokenMetadata, soulbound: false,
///     preorder: false, open: false, collection_mint: Pubkey::new_unique(),
///     currency: Currency::Sol, tier_id: 0, buyer: Pubkey::new_unique(), first_index: 1,
///     quantity: 2, allowance: None, proof: vec![], holder: None, holder_record: None,
///     voucher: None,
/// };
/// // Two compute-budget instructions, the mint, 3 once-per-mint CPIs and 2 items.
/// assert_eq!(mint_trace(&request, 2), 3 + 3 + 2 * MINT_TRACE_PER_ITEM);
/// ```
pub fn mint_trace(request: &MintRequest, other_top_level: usize) -> usize {
    let top_level = other_top_level + usize::from(request.voucher.is_some()) + 1;
    // The event's self-invocation; the payment and the wallet's record (a SOL price
    // travels with a new record's rent, so SOL mints make one of the two, SPL mints up to
    // both); the item-tier table's top-up (Token Metadata drops only).
    let payment_and_record = match request.currency {
        Currency::Sol => 1,
        Currency::Spl { .. } => 2,
    };
    let once = 1
        + payment_and_record
        + usize::from(microdrop::items::tier_in_table(request.standard))
        + usize::from(request.preorder)
        + open_edition_trace(request.standard, request.open)
        + usize::from(request.holder_record.is_some())
        + usize::from(
            request
                .voucher
                .as_ref()
                .is_some_and(|v| v.message.single_use),
        );
    top_level
        + once
        + usize::from(request.quantity) * mint_trace_per_item(request.standard, request.soulbound)
}

/// Trace entries an open edition adds once to each instruction that creates items: the
/// raise of a Token-2022 group's `max_size` (Token Metadata sizes its collection itself).
pub fn open_edition_trace(standard: ItemStandard, open: bool) -> usize {
    usize::from(open && standard == ItemStandard::Token2022)
}

pub use crate::items::item_accounts;

/// The remaining accounts of the items at `indexes` held (or to be held) by `holder`, in
/// the standard's order, all writable.
fn item_metas<'a>(
    standard: ItemStandard,
    drop: &'a Pubkey,
    holder: &'a Pubkey,
    indexes: impl Iterator<Item = u64> + 'a,
) -> impl Iterator<Item = AccountMeta> + 'a {
    indexes.flat_map(move |index| {
        item_accounts(standard, drop, holder, index)
            .into_iter()
            .map(|key| AccountMeta::new(key, false))
    })
}

/// `mint`: `quantity` items from one tier, with their accounts as remaining accounts. For a
/// voucher tier, send it after the voucher's Ed25519 instruction ([`mint_instructions`]).
pub fn mint(request: &MintRequest) -> Instruction {
    let drop = &request.drop;
    let tier = pda::tier(drop, request.tier_id).0;
    let vault = pda::vault(drop).0;
    let (buyer_payment, vault_payment) = match request.currency {
        Currency::Sol => (None, None),
        Currency::Spl { mint } => (
            Some(pda::associated_token(&request.buyer, &mint).0),
            Some(pda::associated_token(&vault, &mint).0),
        ),
    };
    let metadata = request.standard == ItemStandard::TokenMetadata;
    let [collection_metadata, collection_master_edition] =
        token_metadata::collection_accounts(&request.collection_mint);
    let accounts = microdrop::accounts::MintItems {
        buyer: request.buyer,
        drop: *drop,
        tier,
        wallet_record: pda::wallet_record(&tier, &request.buyer).0,
        vault,
        item_tiers: pda::item_tiers(drop).0,
        buyer_payment,
        vault_payment,
        collection_mint: request.collection_mint,
        collection_metadata: metadata.then_some(collection_metadata),
        collection_master_edition: metadata.then_some(collection_master_edition),
        instructions_sysvar: request.voucher.as_ref().map(|_| INSTRUCTIONS_SYSVAR_ID),
        voucher_nonce: request
            .voucher
            .as_ref()
            .filter(|v| v.message.single_use)
            .map(|v| pda::voucher_nonce(&tier, v.message.nonce).0),
        holder_token: request.holder.map(|(token, _)| token),
        holder_metadata: request.holder.map(|(_, metadata)| metadata),
        holder_record: request.holder_record,
        token_metadata_program: metadata.then_some(TOKEN_METADATA_PROGRAM_ID),
        token_program: TOKEN_PROGRAM_ID,
        associated_token_program: ASSOCIATED_TOKEN_PROGRAM_ID,
        system_program: SYSTEM_PROGRAM_ID,
        token_2022_program: (!metadata).then_some(TOKEN_2022_PROGRAM_ID),
        item_prices: request.preorder.then(|| pda::item_prices(drop).0),
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    let mut metas = accounts.to_account_metas(None);
    metas.extend(item_metas(
        request.standard,
        drop,
        &request.buyer,
        request.first_index..request.first_index + u64::from(request.quantity),
    ));
    Instruction {
        program_id: microdrop::ID,
        accounts: metas,
        data: microdrop::instruction::Mint {
            args: MintArgs {
                tier_id: request.tier_id,
                quantity: request.quantity,
                allowance: request.allowance,
                proof: request.proof.clone(),
            },
        }
        .data(),
    }
}

/// `close_wallet_record`: the wallet recovers its record's rent once the drop is closed.
pub fn close_wallet_record(wallet: &Pubkey, drop: &Pubkey, tier_id: u8) -> Instruction {
    let tier = pda::tier(drop, tier_id).0;
    let accounts = microdrop::accounts::CloseWalletRecord {
        wallet: *wallet,
        drop: *drop,
        tier,
        wallet_record: pda::wallet_record(&tier, wallet).0,
    };
    program_instruction(&accounts, microdrop::instruction::CloseWalletRecord {})
}

/// The Compute Budget program.
pub const COMPUTE_BUDGET_PROGRAM_ID: Pubkey =
    Pubkey::from_str_const("ComputeBudget111111111111111111111111111111");

/// `SetComputeUnitLimit`: mints need more than the default 200,000 units (Token Metadata
/// alone spends about 145,000 per item).
pub fn compute_unit_limit(units: u32) -> Instruction {
    let mut data = vec![2u8];
    data.extend_from_slice(&units.to_le_bytes());
    Instruction {
        program_id: COMPUTE_BUDGET_PROGRAM_ID,
        accounts: vec![],
        data,
    }
}

/// `SetComputeUnitPrice`: a priority fee of `micro_lamports` per compute unit requested.
pub fn compute_unit_price(micro_lamports: u64) -> Instruction {
    let mut data = vec![3u8];
    data.extend_from_slice(&micro_lamports.to_le_bytes());
    Instruction {
        program_id: COMPUTE_BUDGET_PROGRAM_ID,
        accounts: vec![],
        data,
    }
}

/// The compute-unit limit and price (micro-lamports per unit) a message sets with
/// compute-budget instructions; the runtime's defaults where it sets none.
pub fn compute_budget_of(message: &solana_message::VersionedMessage) -> (u32, u64) {
    let keys = message.static_account_keys();
    let (mut limit, mut price) = (None, 0);
    let mut others: u32 = 0;
    for ix in message.instructions() {
        if keys.get(usize::from(ix.program_id_index)) != Some(&COMPUTE_BUDGET_PROGRAM_ID) {
            others += 1;
            continue;
        }
        match ix.data.split_first() {
            Some((2, rest)) => limit = rest.try_into().ok().map(u32::from_le_bytes),
            Some((3, rest)) => price = rest.try_into().map_or(0, u64::from_le_bytes),
            _ => {}
        }
    }
    let limit = limit.unwrap_or_else(|| others.saturating_mul(200_000).min(1_400_000));
    (limit, price)
}

/// The priority fee a message pays: its compute-unit limit times its price, rounded up.
pub fn priority_fee_lamports(message: &solana_message::VersionedMessage) -> u64 {
    let (limit, price) = compute_budget_of(message);
    let micro = u128::from(limit) * u128::from(price);
    u64::try_from(micro.div_ceil(1_000_000)).unwrap_or(u64::MAX)
}

/// `set_splits`: replaces who receives the drop's income (before the first sale).
pub fn set_splits(authority: &Pubkey, drop: &Pubkey, splits: Vec<SplitConfig>) -> Instruction {
    let accounts = microdrop::accounts::SetSplits {
        authority: *authority,
        drop: *drop,
        vault: pda::vault(drop).0,
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    program_instruction(&accounts, microdrop::instruction::SetSplits { splits })
}

/// `distribute`: pays the split's recipients from the vault. `splits` is the drop's stored
/// split (its order matters); for tokens, `currency_mint` is the drop's SPL currency and
/// the recipients' associated token accounts receive.
pub fn distribute(drop: &Pubkey, splits: &[Split], currency_mint: Option<&Pubkey>) -> Instruction {
    let vault = pda::vault(drop).0;
    let accounts = microdrop::accounts::Distribute {
        drop: *drop,
        vault,
        vault_token: currency_mint.map(|mint| pda::associated_token(&vault, mint).0),
        token_program: currency_mint.map(|_| TOKEN_PROGRAM_ID),
        system_program: SYSTEM_PROGRAM_ID,
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    let mut metas = accounts.to_account_metas(None);
    metas.extend(splits.iter().map(|split| {
        let recipient = match currency_mint {
            Some(mint) => pda::associated_token(&split.address, mint).0,
            None => split.address,
        };
        AccountMeta::new(recipient, false)
    }));
    Instruction {
        program_id: microdrop::ID,
        accounts: metas,
        data: microdrop::instruction::Distribute {
            args: DistributeArgs {
                tokens: currency_mint.is_some(),
            },
        }
        .data(),
    }
}

/// `distribute_token`: shares the vault's tokens of `mint` (not the drop's currency) by
/// the split, paying `payer`-funded rent for the mint's ledger on its first distribution.
/// `token_program` is SPL Token's or Token-2022's, whichever owns `mint`.
pub fn distribute_token(
    payer: &Pubkey,
    drop: &Pubkey,
    splits: &[Split],
    mint: &Pubkey,
    token_program: &Pubkey,
) -> Instruction {
    let vault = pda::vault(drop).0;
    let associated = |owner: &Pubkey| {
        anchor_spl::associated_token::get_associated_token_address_with_program_id(
            owner,
            mint,
            token_program,
        )
    };
    let accounts = microdrop::accounts::DistributeToken {
        payer: *payer,
        drop: *drop,
        vault,
        mint: *mint,
        vault_token: associated(&vault),
        ledger: pda::token_ledger(drop, mint).0,
        token_program: *token_program,
        system_program: SYSTEM_PROGRAM_ID,
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    let mut metas = accounts.to_account_metas(None);
    metas.extend(
        splits
            .iter()
            .map(|split| AccountMeta::new(associated(&split.address), false)),
    );
    Instruction {
        program_id: microdrop::ID,
        accounts: metas,
        data: microdrop::instruction::DistributeToken {}.data(),
    }
}

/// `add_benefit`: the drop's next benefit, with id `next_id`.
pub fn add_benefit(
    authority: &Pubkey,
    drop: &Pubkey,
    next_id: u8,
    config: BenefitConfig,
) -> Instruction {
    let accounts = microdrop::accounts::AddBenefit {
        authority: *authority,
        drop: *drop,
        benefit: pda::benefit(drop, next_id).0,
        system_program: SYSTEM_PROGRAM_ID,
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    program_instruction(&accounts, microdrop::instruction::AddBenefit { config })
}

/// `redeem`: burns the items at `indexes` (held by `holder`) of a `standard` drop for
/// benefit `benefit_id`. `redemption_index` is the benefit's current redemption count.
pub fn redeem(
    holder: &Pubkey,
    drop: &Pubkey,
    standard: ItemStandard,
    collection_mint: &Pubkey,
    benefit_id: u8,
    redemption_index: u64,
    indexes: &[u64],
) -> Instruction {
    let benefit = pda::benefit(drop, benefit_id).0;
    let metadata = standard == ItemStandard::TokenMetadata;
    let [collection_metadata, _] = token_metadata::collection_accounts(collection_mint);
    let accounts = microdrop::accounts::Redeem {
        holder: *holder,
        drop: *drop,
        benefit,
        redemption: pda::redemption(&benefit, redemption_index).0,
        item_tiers: pda::item_tiers(drop).0,
        collection_mint: *collection_mint,
        collection_metadata: metadata.then_some(collection_metadata),
        token_metadata_program: metadata.then_some(TOKEN_METADATA_PROGRAM_ID),
        token_program: TOKEN_PROGRAM_ID,
        system_program: SYSTEM_PROGRAM_ID,
        token_2022_program: (!metadata).then_some(TOKEN_2022_PROGRAM_ID),
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    let mut metas = accounts.to_account_metas(None);
    metas.extend(item_metas(standard, drop, holder, indexes.iter().copied()));
    Instruction {
        program_id: microdrop::ID,
        accounts: metas,
        data: microdrop::instruction::Redeem {
            args: RedeemArgs {
                benefit_id,
                indexes: indexes.to_vec(),
            },
        }
        .data(),
    }
}

/// `refund`: burns the items at `indexes` (held by `holder`) of a failed preorder of a
/// `standard` drop, and pays back what each was sold for in `currency`.
pub fn refund(
    holder: &Pubkey,
    drop: &Pubkey,
    standard: ItemStandard,
    collection_mint: &Pubkey,
    currency: Currency,
    indexes: &[u64],
) -> Instruction {
    let vault = pda::vault(drop).0;
    let metadata = standard == ItemStandard::TokenMetadata;
    let [collection_metadata, _] = token_metadata::collection_accounts(collection_mint);
    let (holder_payment, vault_payment) = match currency {
        Currency::Sol => (None, None),
        Currency::Spl { mint } => (
            Some(pda::associated_token(holder, &mint).0),
            Some(pda::associated_token(&vault, &mint).0),
        ),
    };
    let accounts = microdrop::accounts::Refund {
        holder: *holder,
        drop: *drop,
        vault,
        item_prices: pda::item_prices(drop).0,
        holder_payment,
        vault_payment,
        collection_mint: *collection_mint,
        collection_metadata: metadata.then_some(collection_metadata),
        token_metadata_program: metadata.then_some(TOKEN_METADATA_PROGRAM_ID),
        token_program: TOKEN_PROGRAM_ID,
        system_program: SYSTEM_PROGRAM_ID,
        token_2022_program: (!metadata).then_some(TOKEN_2022_PROGRAM_ID),
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    let mut metas = accounts.to_account_metas(None);
    metas.extend(item_metas(standard, drop, holder, indexes.iter().copied()));
    Instruction {
        program_id: microdrop::ID,
        accounts: metas,
        data: microdrop::instruction::Refund {
            args: RefundArgs {
                indexes: indexes.to_vec(),
            },
        }
        .data(),
    }
}

/// Everything an `airdrop` instruction needs to know about the drop and the recipient.
#[derive(Debug, Clone)]
pub struct AirdropRequest {
    pub authority: Pubkey,
    pub drop: Pubkey,
    pub standard: ItemStandard,
    pub soulbound: bool,
    /// Whether the drop is a preorder (carries its item-price table).
    pub preorder: bool,
    /// Whether the drop is an open edition.
    pub open: bool,
    pub collection_mint: Pubkey,
    /// The tier the items count toward, if any.
    pub tier_id: Option<u8>,
    /// The list's hash and this recipient's quantity in it.
    pub list: [u8; 32],
    pub recipient: Pubkey,
    pub total: u32,
    /// Index of the first item this instruction creates: the drop's `minted + 1`.
    pub first_index: u64,
    pub quantity: u8,
}

impl AirdropRequest {
    /// An airdrop of one item, the drop's next, to `recipient` of `list` (whose entry is
    /// `total` items), counted toward tier `tier_id` if any, sent by the drop's authority;
    /// the drop's shape read from its account `state`.
    pub fn new(
        drop: Pubkey,
        state: &Drop,
        tier_id: Option<u8>,
        list: [u8; 32],
        recipient: Pubkey,
        total: u32,
    ) -> Self {
        Self {
            authority: state.authority,
            drop,
            standard: state.standard,
            soulbound: state.soulbound,
            preorder: state.minimum > 0,
            open: state.is_open(),
            collection_mint: state.collection_mint,
            tier_id,
            list,
            recipient,
            total,
            first_index: state.minted + 1,
            quantity: 1,
        }
    }
}

/// `airdrop`: `quantity` items free to one recipient of a list, the authority paying.
pub fn airdrop(request: &AirdropRequest) -> Instruction {
    let drop = &request.drop;
    let metadata = request.standard == ItemStandard::TokenMetadata;
    let [collection_metadata, collection_master_edition] =
        token_metadata::collection_accounts(&request.collection_mint);
    let accounts = microdrop::accounts::Airdrop {
        authority: request.authority,
        drop: *drop,
        tier: request.tier_id.map(|id| pda::tier(drop, id).0),
        recipient: request.recipient,
        record: pda::airdrop_record(drop, &request.list, &request.recipient).0,
        vault: pda::vault(drop).0,
        item_tiers: pda::item_tiers(drop).0,
        collection_mint: request.collection_mint,
        collection_metadata: metadata.then_some(collection_metadata),
        collection_master_edition: metadata.then_some(collection_master_edition),
        token_metadata_program: metadata.then_some(TOKEN_METADATA_PROGRAM_ID),
        token_program: TOKEN_PROGRAM_ID,
        associated_token_program: ASSOCIATED_TOKEN_PROGRAM_ID,
        system_program: SYSTEM_PROGRAM_ID,
        token_2022_program: (!metadata).then_some(TOKEN_2022_PROGRAM_ID),
        item_prices: request.preorder.then(|| pda::item_prices(drop).0),
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    let mut metas = accounts.to_account_metas(None);
    metas.extend(item_metas(
        request.standard,
        drop,
        &request.recipient,
        request.first_index..request.first_index + u64::from(request.quantity),
    ));
    Instruction {
        program_id: microdrop::ID,
        accounts: metas,
        data: microdrop::instruction::Airdrop {
            args: AirdropArgs {
                list: request.list,
                total: request.total,
                quantity: request.quantity,
            },
        }
        .data(),
    }
}

/// Trace entries an airdrop transaction uses at most: its top-level instructions (the
/// airdrop and `other_top_level` more), then once the event, the record's creation, the
/// item-tier table's top-up (Token Metadata items with a tier), a preorder's item-price
/// table top-up and an open Token-2022 edition's group raise, and per item what a mint's
/// item takes.
pub fn airdrop_trace(request: &AirdropRequest, other_top_level: usize) -> usize {
    let once =
        2 + usize::from(
            request.tier_id.is_some() && microdrop::items::tier_in_table(request.standard),
        ) + usize::from(request.preorder)
            + open_edition_trace(request.standard, request.open);
    other_top_level
        + 1
        + once
        + usize::from(request.quantity) * mint_trace_per_item(request.standard, request.soulbound)
}

/// `fulfill`: the authority marks a redemption delivered.
pub fn fulfill(
    authority: &Pubkey,
    drop: &Pubkey,
    redemption: &Pubkey,
    reference: [u8; 32],
) -> Instruction {
    let accounts = microdrop::accounts::Fulfill {
        authority: *authority,
        drop: *drop,
        redemption: *redemption,
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    program_instruction(&accounts, microdrop::instruction::Fulfill { reference })
}

/// `close_voucher_nonce`: the buyer recovers a spent voucher record's rent once the drop
/// is closed.
pub fn close_voucher_nonce(wallet: &Pubkey, drop: &Pubkey, tier_id: u8, nonce: u64) -> Instruction {
    let tier = pda::tier(drop, tier_id).0;
    let accounts = microdrop::accounts::CloseVoucherNonce {
        wallet: *wallet,
        drop: *drop,
        tier,
        voucher_nonce: pda::voucher_nonce(&tier, nonce).0,
    };
    program_instruction(&accounts, microdrop::instruction::CloseVoucherNonce {})
}

/// A microdrop instruction over `accounts` (Anchor's account list) with `data`.
fn program_instruction(accounts: &impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: microdrop::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

/// `set_lookup_table`: records the drop's address lookup table.
pub fn set_lookup_table(authority: &Pubkey, drop: &Pubkey, lookup_table: &Pubkey) -> Instruction {
    let accounts = microdrop::accounts::SetLookupTable {
        authority: *authority,
        drop: *drop,
        lookup_table: *lookup_table,
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    program_instruction(&accounts, microdrop::instruction::SetLookupTable {})
}

/// `transfer_authority`: offers the drop to `new_authority` (the default address withdraws
/// the offer); signed by the current authority.
pub fn transfer_authority(
    authority: &Pubkey,
    drop: &Pubkey,
    new_authority: &Pubkey,
) -> Instruction {
    let accounts = microdrop::accounts::TransferAuthority {
        authority: *authority,
        drop: *drop,
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    program_instruction(
        &accounts,
        microdrop::instruction::TransferAuthority {
            new_authority: *new_authority,
        },
    )
}

/// `accept_authority`: signed by the pending authority, which takes the drop over.
pub fn accept_authority(new_authority: &Pubkey, drop: &Pubkey) -> Instruction {
    let accounts = microdrop::accounts::AcceptAuthority {
        new_authority: *new_authority,
        drop: *drop,
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    program_instruction(&accounts, microdrop::instruction::AcceptAuthority {})
}

/// `update_item_uri`: replaces item `index`'s metadata URI in a `standard` drop; signed by
/// the authority, who pays any rent a longer URI needs.
pub fn update_item_uri(
    authority: &Pubkey,
    drop: &Pubkey,
    standard: ItemStandard,
    index: u64,
    uri: String,
) -> Instruction {
    let mint = pda::item_mint(drop, index).0;
    let metadata = standard == ItemStandard::TokenMetadata;
    let accounts = microdrop::accounts::UpdateItemUri {
        authority: *authority,
        drop: *drop,
        item_mint: mint,
        item_metadata: metadata.then(|| pda::metadata(&mint).0),
        token_metadata_program: metadata.then_some(TOKEN_METADATA_PROGRAM_ID),
        token_2022_program: (!metadata).then_some(TOKEN_2022_PROGRAM_ID),
        system_program: (!metadata).then_some(SYSTEM_PROGRAM_ID),
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    program_instruction(
        &accounts,
        microdrop::instruction::UpdateItemUri {
            args: microdrop::instructions::UpdateItemUriArgs { index, uri },
        },
    )
}
