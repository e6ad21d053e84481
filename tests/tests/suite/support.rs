//! Builders shared by the suite's modules.

use microdrop::{
    instructions::CreateDropArgs,
    state::{BenefitConfig, Drop, DropStatus, ItemStandard, SplitConfig, Tier, TierConfig},
};
use microdrop_sdk::{
    allowlist::AllowList,
    instructions::{self, MintRequest},
    pda,
    sandbox::Sandbox,
    Client, Instruction, Keypair, Pubkey, Signer,
};
use microdrop_tests::{Fixture, SOL};
use solana_commitment_config::CommitmentConfig;

/// A client of `sandbox` that signs and pays with `wallet`.
pub fn sandbox_client(sandbox: &Sandbox, wallet: Keypair) -> Client {
    Client::new(sandbox.rpc_client(CommitmentConfig::confirmed()), wallet)
}

/// Receives all the income of drops made with [`drop_args`].
pub const TREASURY: Pubkey = Pubkey::from_str_const("Treasury11111111111111111111111111111111111");

/// A valid drop config; tests change one field at a time.
pub fn drop_args(id: &str) -> CreateDropArgs {
    CreateDropArgs {
        id: id.to_string(),
        name: "Spring Zine".to_string(),
        symbol: "ZINE".to_string(),
        uri: "https://example.com/zine/collection.json".to_string(),
        item_uri: "https://example.com/zine/{index}.json".to_string(),
        supply: 250,
        seller_fee_bps: 500,
        splits: vec![SplitConfig {
            address: TREASURY,
            share_bps: 10_000,
        }],
        voucher_salt: microdrop_sdk::instructions::voucher_salt(),
        standard: ItemStandard::TokenMetadata,
        transferable: true,
        minimum: 0,
        deadline: 0,
    }
}

/// `create_drop` for `authority` in SOL, with its drop address.
pub fn create_drop_ix(authority: &Pubkey, args: CreateDropArgs) -> (Pubkey, Instruction) {
    let drop = pda::drop(authority, &args.id).0;
    (drop, instructions::create_drop(authority, None, args))
}

/// Start of every tier window in these tests (2030-01-01).
pub const T0: i64 = 1_893_456_000;
pub const DAY: i64 = 86_400;

/// A public tier open for a day from `T0`.
pub fn tier(label: &str, price: u64, supply: u64, per_wallet: u32) -> TierConfig {
    microdrop_tests::open_tier(label, T0, T0 + DAY, price, supply, per_wallet)
}

/// A drop of `supply` items with `tiers`, created by a new funded creator and activated.
pub struct TestDrop {
    pub creator: Keypair,
    pub address: Pubkey,
    pub collection_mint: Pubkey,
}

pub async fn launch(
    f: &mut Fixture,
    id: &str,
    supply: u64,
    currency_mint: Option<Pubkey>,
    tiers: Vec<TierConfig>,
) -> TestDrop {
    let creator = f.wallet(100 * SOL).await;
    launch_as(f, creator, id, supply, currency_mint, tiers).await
}

pub async fn launch_as(
    f: &mut Fixture,
    creator: Keypair,
    id: &str,
    supply: u64,
    currency_mint: Option<Pubkey>,
    tiers: Vec<TierConfig>,
) -> TestDrop {
    let mut args = drop_args(id);
    args.supply = supply;
    launch_with(f, creator, args, currency_mint, tiers).await
}

/// [`launch_as`] with every argument of the drop given.
pub async fn launch_with(
    f: &mut Fixture,
    creator: Keypair,
    args: CreateDropArgs,
    currency_mint: Option<Pubkey>,
    tiers: Vec<TierConfig>,
) -> TestDrop {
    let id = args.id.clone();
    let id = id.as_str();
    let address = pda::drop(&creator.pubkey(), id).0;
    let create = instructions::create_drop(&creator.pubkey(), currency_mint.as_ref(), args);
    f.send(&[create], &creator, &[]).await.expect("create_drop");
    for (id, config) in tiers.into_iter().enumerate() {
        let id = u8::try_from(id).unwrap();
        let ix = instructions::add_tier(&creator.pubkey(), &address, id, config);
        f.send(&[ix], &creator, &[]).await.expect("add_tier");
    }
    let activate = instructions::set_drop_status(&creator.pubkey(), &address, DropStatus::Active);
    f.send(&[activate], &creator, &[]).await.expect("activate");
    TestDrop {
        creator,
        collection_mint: pda::collection_mint(&address).0,
        address,
    }
}

/// What a mint sends: a compute budget and the mint instruction for the drop's next items.
pub async fn mint_ixs(
    f: &mut Fixture,
    drop: &Pubkey,
    tier_id: u8,
    buyer: &Pubkey,
    quantity: u8,
    proof: Option<(u32, Vec<[u8; 32]>)>,
) -> Vec<Instruction> {
    let state: Drop = f.anchor_account(drop).await;
    let (allowance, proof) = match proof {
        Some((allowance, proof)) => (Some(allowance), proof),
        None => (None, vec![]),
    };
    let request = MintRequest {
        quantity,
        allowance,
        proof,
        ..MintRequest::new(*drop, &state, tier_id, *buyer)
    };
    vec![
        instructions::compute_unit_limit(1_400_000),
        instructions::mint(&request),
    ]
}

/// Mints through `tier_id` as `buyer` (no allow list).
pub async fn mint(
    f: &mut Fixture,
    drop: &Pubkey,
    tier_id: u8,
    buyer: &Keypair,
    quantity: u8,
) -> Result<(), solana_transaction_error::TransactionError> {
    let ixs = mint_ixs(f, drop, tier_id, &buyer.pubkey(), quantity, None).await;
    f.send(&ixs, buyer, &[]).await
}

/// Counters a refused mint must leave alone.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub drop_minted: u64,
    pub tier_minted: Vec<u64>,
    pub buyer_lamports: u64,
    pub vault_lamports: u64,
}

pub async fn snapshot(f: &mut Fixture, drop: &Pubkey, buyer: &Pubkey) -> Snapshot {
    let state: Drop = f.anchor_account(drop).await;
    let mut tier_minted = Vec::new();
    for id in 0..state.tier_count {
        let tier: Tier = f.anchor_account(&pda::tier(drop, id).0).await;
        tier_minted.push(tier.minted);
    }
    Snapshot {
        drop_minted: state.minted,
        tier_minted,
        buyer_lamports: f.balance(buyer).await,
        vault_lamports: f.balance(&pda::vault(drop).0).await,
    }
}

/// An allow list over `entries` for tier `tier_id` of `drop`.
pub fn allow_list(drop: &Pubkey, tier_id: u8, entries: &[(Pubkey, u32)]) -> AllowList {
    AllowList::new(*drop, tier_id, entries.to_vec()).unwrap()
}

/// Creates `owner`'s associated token account for `mint` (if missing) and mints `amount`
/// into it with `authority`, the mint authority.
pub async fn fund_tokens(
    f: &mut Fixture,
    authority: &Keypair,
    mint: &Pubkey,
    owner: &Pubkey,
    amount: u64,
) -> Pubkey {
    f.fund_tokens(authority, mint, owner, amount).await
}

/// A benefit open at any time to items of every tier.
pub fn perk(label: &str, burn: u8, supply: u64) -> BenefitConfig {
    BenefitConfig {
        label: label.into(),
        burn,
        supply,
        start: None,
        end: None,
        tier_mask: 0,
    }
}
