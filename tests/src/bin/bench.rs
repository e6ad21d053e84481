//! The benchmark: compute units, transaction bytes, rent and allow-list timing.
//!
//! `cargo run --release -p microdrop-tests --bin bench [-- --json FILE]` prints one table
//! and, with `--json`, writes the same figures as JSON. Compute units are "CPI CU
//! (measured)": the sBPF callees (Token Metadata, SPL Token, ATA, System) exactly, plus the
//! runtime's fixed charges for microdrop's syscalls; microdrop itself runs natively here,
//! so its own instructions are not metered (see shared/TOOLCHAIN.md).

use std::{collections::BTreeMap, time::Instant};

use microdrop::state::{BenefitConfig, DropStatus, ItemStandard, SplitConfig, TierConfig};
use microdrop_sdk::{
    allowlist::AllowList,
    client::legacy_transaction_size,
    instructions::{self, MintRequest},
    pda, Instruction, Keypair, Pubkey, Signer,
};
use microdrop_tests::{Fixture, SOL};

/// Charges microdrop's allocations to the sBPF heap model, for the `limits` figures.
#[global_allocator]
static ALLOCATOR: microdrop_sdk::heap::CountingAllocator = microdrop_sdk::heap::CountingAllocator;
use serde_json::{json, Value};
use solana_message::{v0, AddressLookupTableAccount, VersionedMessage};
use solana_transaction::versioned::VersionedTransaction;

const T0: i64 = 2_000_000_000;
/// Transactions a cluster accepts, in bytes.
const PACKET: usize = 1232;

fn tier(label: &str, supply: u64, root: Option<[u8; 32]>) -> TierConfig {
    TierConfig {
        allowlist_root: root,
        ..microdrop_tests::open_tier(label, T0, T0 + 86_400, 1_000_000, supply, 100)
    }
}

/// Units a transaction consumes, by simulation (nothing is committed).
async fn units(f: &mut Fixture, ixs: &[Instruction], payer: &Keypair) -> u64 {
    let blockhash = f.context.get_new_latest_blockhash().await.unwrap();
    let tx = solana_transaction::Transaction::new_signed_with_payer(
        ixs,
        Some(&payer.pubkey()),
        &[payer],
        blockhash,
    );
    let simulated = f
        .context
        .banks_client
        .simulate_transaction(tx)
        .await
        .unwrap();
    if let Some(Err(err)) = simulated.result {
        panic!("benchmark transaction failed: {err:?}");
    }
    simulated.simulation_details.map_or(0, |d| d.units_consumed)
}

/// Bytes of the same instructions as a v0 transaction through a lookup table holding
/// `table`.
fn v0_size(ixs: &[Instruction], payer: &Pubkey, table: &[Pubkey]) -> usize {
    let lookup = AddressLookupTableAccount {
        key: Pubkey::new_unique(),
        addresses: table.to_vec(),
    };
    let message =
        v0::Message::try_compile(payer, ixs, &[lookup], Default::default()).expect("compile v0");
    let signatures = usize::from(message.header.num_required_signatures);
    let tx = VersionedTransaction {
        signatures: vec![Default::default(); signatures],
        message: VersionedMessage::V0(message),
    };
    bincode::serialized_size(&tx).map_or(usize::MAX, |n| n as usize)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let json_path = {
        let args: Vec<String> = std::env::args().collect();
        args.iter()
            .position(|a| a == "--json")
            .and_then(|i| args.get(i + 1).cloned())
    };
    let mut f = Fixture::new().await;
    let creator = f.wallet(1_000 * SOL).await;
    let buyer = f.wallet(100 * SOL).await;
    let id = "bench";
    let drop = pda::drop(&creator.pubkey(), id).0;
    let depth_wallets = 1 << 20;

    // A drop with a public tier and an allow-listed tier of 2^20 wallets (depth 20).
    let mut entries: Vec<(Pubkey, u32)> = (0..depth_wallets - 1)
        .map(|_| (Pubkey::new_unique(), 1))
        .collect();
    entries.push((buyer.pubkey(), 10));
    let list = AllowList::new(drop, 1, entries).unwrap();
    let args = microdrop::instructions::CreateDropArgs {
        id: id.into(),
        name: "Bench".into(),
        symbol: "B".into(),
        uri: "https://example.com/c.json".into(),
        item_uri: "https://example.com/{index}.json".into(),
        supply: 1_000,
        seller_fee_bps: 500,
        splits: (0..4)
            .map(|_| SplitConfig {
                address: Pubkey::new_unique(),
                share_bps: 2_500,
            })
            .collect(),
        voucher_salt: microdrop_sdk::instructions::voucher_salt(),
        standard: ItemStandard::TokenMetadata,
        transferable: true,
        minimum: 0,
        deadline: 0,
    };
    let create = vec![instructions::create_drop(&creator.pubkey(), None, args)];
    let create_cu = units(&mut f, &create, &creator).await;
    f.send(&create, &creator, &[]).await.unwrap();
    let add_public = vec![instructions::add_tier(
        &creator.pubkey(),
        &drop,
        0,
        tier("public", 500, None),
    )];
    let add_tier_cu = units(&mut f, &add_public, &creator).await;
    f.send(&add_public, &creator, &[]).await.unwrap();
    let add_listed = instructions::add_tier(
        &creator.pubkey(),
        &drop,
        1,
        tier("listed", 500, Some(list.root())),
    );
    let benefit = instructions::add_benefit(
        &creator.pubkey(),
        &drop,
        0,
        BenefitConfig {
            label: "perk".into(),
            burn: 1,
            supply: 100,
            start: None,
            end: None,
            tier_mask: 0,
        },
    );
    let activate = instructions::set_drop_status(&creator.pubkey(), &drop, DropStatus::Active);
    for ix in [add_listed, benefit, activate] {
        f.send(&[ix], &creator, &[]).await.unwrap();
    }
    f.warp_to(T0).await;
    let collection_mint = pda::collection_mint(&drop).0;

    let request = |tier_id: u8,
                   first_index: u64,
                   quantity: u8,
                   proof: Option<(u32, Vec<[u8; 32]>)>| MintRequest {
        drop,
        standard: ItemStandard::TokenMetadata,
        soulbound: false,
        preorder: false,
        open: false,
        collection_mint,
        currency: microdrop::state::Currency::Sol,
        tier_id,
        buyer: buyer.pubkey(),
        first_index,
        quantity,
        allowance: proof.as_ref().map(|p| p.0),
        proof: proof.map(|p| p.1).unwrap_or_default(),
        holder: None,
        holder_record: None,
        voucher: None,
    };
    let with_budget = |ix: Instruction| vec![instructions::compute_unit_limit(1_400_000), ix];
    let max = microdrop::constants::MAX_ITEMS_PER_MINT;
    let proof = list.proof(&buyer.pubkey());
    let mint_one = units(
        &mut f,
        &with_budget(instructions::mint(&request(0, 1, 1, None))),
        &buyer,
    )
    .await;
    let mint_max = units(
        &mut f,
        &with_budget(instructions::mint(&request(0, 1, max, None))),
        &buyer,
    )
    .await;
    let listed_one = units(
        &mut f,
        &with_budget(instructions::mint(&request(1, 1, 1, proof.clone()))),
        &buyer,
    )
    .await;
    let listed_max = units(
        &mut f,
        &with_budget(instructions::mint(&request(1, 1, max, proof.clone()))),
        &buyer,
    )
    .await;

    // What a collector pays per item beyond Token Metadata's accounts (and its fee).
    let table = pda::item_tiers(&drop).0;
    let table_before = f.balance(&table).await;
    let before = f.balance(&buyer.pubkey()).await;
    f.send(
        &with_budget(instructions::mint(&request(0, 1, 1, None))),
        &buyer,
        &[],
    )
    .await
    .unwrap();
    let paid = before - f.balance(&buyer.pubkey()).await;
    let item = pda::item_mint(&drop, 1).0;
    let metadata_rent = f.balance(&pda::metadata(&item).0).await;
    let edition_rent = f.balance(&pda::master_edition(&item).0).await;
    let collector_rent = paid - 1_000_000 - 10_000 - metadata_rent - edition_rent;
    let record_rent = f
        .balance(&pda::wallet_record(&pda::tier(&drop, 0).0, &buyer.pubkey()).0)
        .await;
    // Every account a buyer's first item created, from the chain.
    let mint_rent = f.balance(&item).await;
    let token_rent = f
        .balance(&pda::associated_token(&buyer.pubkey(), &item).0)
        .await;
    let table_share = f.balance(&table).await - table_before;
    let fee = microdrop_sdk::TOKEN_METADATA_CREATE_FEE;
    let first_item = [
        ("item mint (82 bytes)", mint_rent),
        ("token account (165 bytes)", token_rent),
        ("metadata (607 bytes), rent", metadata_rent - fee),
        ("Token Metadata's create fee, held in the metadata", fee),
        ("master edition (20 bytes)", edition_rent),
        (
            "wallet record (first item from a tier; back once the drop closes)",
            record_rent,
        ),
        ("item-tier table entry (half a byte)", table_share),
    ];
    let first_item_total: u64 = first_item.iter().map(|(_, lamports)| lamports).sum();
    // The parts add up to what the buyer paid beyond the price and the signature fee.
    assert_eq!(
        first_item_total + 1_000_000 + 5_000,
        paid,
        "accounts of a first item"
    );

    let redeem = with_budget(instructions::redeem(
        &buyer.pubkey(),
        &drop,
        ItemStandard::TokenMetadata,
        &collection_mint,
        0,
        0,
        &[1],
    ));
    let redeem_cu = units(&mut f, &redeem, &buyer).await;
    let vault = pda::vault(&drop).0;
    f.transfer(&vault, SOL).await;
    let state: microdrop::state::Drop = f.anchor_account(&drop).await;
    let distribute_cu = units(
        &mut f,
        &[instructions::distribute(&drop, &state.splits, None)],
        &buyer,
    )
    .await;

    // Transaction bytes of an allow-listed mint of one item by proof depth.
    let table: Vec<Pubkey> = vec![
        microdrop::ID,
        drop,
        pda::tier(&drop, 1).0,
        vault,
        pda::item_tiers(&drop).0,
        collection_mint,
        pda::metadata(&collection_mint).0,
        pda::master_edition(&collection_mint).0,
        pda::event_authority().0,
        microdrop_sdk::TOKEN_METADATA_PROGRAM_ID,
        microdrop_sdk::TOKEN_PROGRAM_ID,
        microdrop_sdk::ASSOCIATED_TOKEN_PROGRAM_ID,
        microdrop_sdk::SYSTEM_PROGRAM_ID,
        instructions::COMPUTE_BUDGET_PROGRAM_ID,
    ];
    let mut sizes = BTreeMap::new();
    for depth in [0usize, 10, 15, 20] {
        let proof = Some((10u32, vec![[7u8; 32]; depth]));
        let ixs = with_budget(instructions::mint(&request(1, 2, 1, proof)));
        let legacy = legacy_transaction_size(&ixs, &buyer.pubkey());
        let v0 = v0_size(&ixs, &buyer.pubkey(), &table);
        sizes.insert(depth, (legacy, v0));
    }

    // A million wallets: the tree and every proof, against a floor of the same hashing.
    let n = 1_000_000usize;
    let wallets: Vec<(Pubkey, u32)> = (0..n)
        .map(|i| {
            (
                Pubkey::new_from_array({
                    let mut b = [0u8; 32];
                    b[..8].copy_from_slice(&(i as u64 + 1).to_le_bytes());
                    b
                }),
                1,
            )
        })
        .collect();
    let started = Instant::now();
    let big = AllowList::new(drop, 1, wallets.clone()).unwrap();
    let proofs: usize = big.all_proofs().map(|(_, _, p)| p.len()).sum();
    let seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut level: Vec<[u8; 32]> = wallets
        .iter()
        .map(|(w, a)| microdrop::merkle::leaf(&drop, 1, w, *a))
        .collect();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| {
                if pair.len() == 2 {
                    microdrop::merkle::node(&pair[0], &pair[1])
                } else {
                    pair[0]
                }
            })
            .collect();
    }
    let floor = started.elapsed().as_secs_f64();
    // The floor hashes as many leaves and nodes as the tree (unsorted, so another root).
    std::hint::black_box(&level);

    // Launching a drop with 8 tiers and 4 benefits, as `microdrop launch` sends it: the
    // create, then every configuration instruction packed into as few transactions as fit.
    let launch_id = "launch-8x4";
    let launched = pda::drop(&creator.pubkey(), launch_id).0;
    let mut launch_args = microdrop::instructions::CreateDropArgs {
        id: launch_id.into(),
        name: "Eight".into(),
        symbol: "E".into(),
        uri: "https://example.com/c.json".into(),
        item_uri: "https://example.com/{index}.json".into(),
        supply: 800,
        seller_fee_bps: 500,
        splits: vec![SplitConfig {
            address: creator.pubkey(),
            share_bps: 10_000,
        }],
        voucher_salt: microdrop_sdk::instructions::voucher_salt(),
        standard: ItemStandard::TokenMetadata,
        transferable: true,
        minimum: 0,
        deadline: 0,
    };
    launch_args.splits[0].share_bps = 10_000;
    f.send(
        &[instructions::create_drop(
            &creator.pubkey(),
            None,
            launch_args,
        )],
        &creator,
        &[],
    )
    .await
    .unwrap();
    let mut configuration: Vec<Instruction> = (0..8u8)
        .map(|id| {
            instructions::add_tier(
                &creator.pubkey(),
                &launched,
                id,
                tier(&format!("tier-{id}"), 100, None),
            )
        })
        .collect();
    configuration.extend((0..4u8).map(|id| {
        instructions::add_benefit(
            &creator.pubkey(),
            &launched,
            id,
            BenefitConfig {
                label: format!("perk-{id}"),
                burn: 1,
                supply: 10,
                start: None,
                end: None,
                tier_mask: 0,
            },
        )
    }));
    configuration.push(instructions::set_drop_status(
        &creator.pubkey(),
        &launched,
        DropStatus::Active,
    ));
    let mut launch_transactions = 1;
    for batch in microdrop_sdk::client::pack_transactions(configuration, &creator.pubkey()) {
        f.send(&batch, &creator, &[])
            .await
            .expect("launch transaction");
        launch_transactions += 1;
    }
    let state: microdrop::state::Drop = f.anchor_account(&launched).await;
    assert_eq!(
        (state.tier_count, state.benefit_count, state.status),
        (8, 4, DropStatus::Active)
    );
    // sBPF heap and instruction trace, every instruction at its maximum shape.
    let limits = microdrop_tests::limits::measure_all().await;
    let mut standards = serde_json::Map::new();
    let mut standard_rows = Vec::new();
    for standard in [ItemStandard::TokenMetadata, ItemStandard::Token2022] {
        let figures = standard_figures(standard).await;
        standard_rows.push((
            microdrop_sdk::items::standard_name(standard),
            figures.clone(),
        ));
        standards.insert(
            microdrop_sdk::items::standard_name(standard).into(),
            json!({
                "collector_lamports_per_item": figures.first_item,
                "further_item_lamports": figures.further_item,
                "returned_on_burn_lamports": figures.returned_on_burn,
                "mint_cpi_cu_per_item": figures.cu_per_item,
                "mint_cpi_cu_one_item": figures.cu_one_item,
                "max_items_per_tx": figures.max_items_per_tx,
                "first_item_accounts": figures.accounts.iter().map(|(name, lamports)| json!({"account": name, "lamports": lamports})).collect::<Vec<_>>(),
            }),
        );
    }
    let report = json!({
        "standards": standards,
        "limits": limits.iter().map(|l| json!({
            "name": l.name, "heap_bytes": l.heap_bytes, "trace": l.trace, "trace_spare": l.trace_spare,
        })).collect::<Vec<_>>(),
        "create_drop_cpi_cu": create_cu,
        "add_tier_cpi_cu": add_tier_cu,
        "mint_cpi_cu": mint_one,
        "mint_cpi_cu_detail": {
            "one": mint_one, "max": mint_max, "one_allowlisted": listed_one, "max_allowlisted": listed_max,
        },
        "mint_max_per_tx": max,
        "redeem_cpi_cu": redeem_cu,
        "distribute_cpi_cu": distribute_cu,
        "mint_tx_bytes": sizes.iter().map(|(d, (l, v))| (d.to_string(), json!({"legacy": l, "v0": v}))).collect::<serde_json::Map<String, Value>>(),
        "collector_rent_lamports": collector_rent,
        "first_item_lamports": first_item.iter().map(|(name, lamports)| json!({"account": name, "lamports": lamports})).collect::<Vec<_>>(),
        "first_item_total_lamports": first_item_total,
        "wallet_record_rent_lamports": record_rent,
        "launch_transactions": launch_transactions,
        "merkle_1m": { "seconds": seconds, "floor_seconds": floor, "ratio": seconds / floor, "proof_hashes": proofs },
    });

    println!("{:<44} {:>12}", "figure", "value");
    println!("{:<44} {:>12}", "create_drop CPI CU (measured)", create_cu);
    println!("{:<44} {:>12}", "add_tier CPI CU", add_tier_cu);
    println!("{:<44} {:>12}", "mint 1 item CPI CU", mint_one);
    println!(
        "{:<44} {:>12}",
        format!("mint {max} items (max per tx) CPI CU"),
        mint_max
    );
    println!(
        "{:<44} {:>12}",
        "mint 1 item, allow list depth 20, CPI CU", listed_one
    );
    println!(
        "{:<44} {:>12}",
        format!("mint {max} items, allow list depth 20, CPI CU"),
        listed_max
    );
    println!("{:<44} {:>12}", "redeem (1 item) CPI CU", redeem_cu);
    println!(
        "{:<44} {:>12}",
        "distribute (4 recipients) CPI CU", distribute_cu
    );
    for (depth, (legacy, v0)) in &sizes {
        println!(
            "{:<44} {:>12}",
            format!("allow-listed mint bytes, depth {depth} (legacy / v0)"),
            format!(
                "{legacy}{} / {v0}{}",
                if *legacy > PACKET { "!" } else { "" },
                if *v0 > PACKET { "!" } else { "" }
            )
        );
    }
    println!(
        "{:<44} {:>12}",
        "collector rent per item beyond TM accounts", collector_rent
    );
    println!(
        "{:<44} {:>12}",
        "wallet record rent (recoverable)", record_rent
    );
    println!(
        "{:<44} {:>12}",
        "launch transactions (8 tiers, 4 benefits)", launch_transactions
    );
    println!(
        "{:<44} {:>12.3}",
        "1M-wallet tree + all proofs (s)", seconds
    );
    println!("{:<44} {:>12.3}", "hashing floor (s)", floor);
    println!("{:<44} {:>12.2}", "ratio", seconds / floor);
    println!("(! = over the {PACKET}-byte packet limit)");
    println!();
    println!(
        "{:<72} {:>12}",
        "a buyer's first item, per account", "lamports"
    );
    for (name, lamports) in &first_item {
        println!("{name:<72} {lamports:>12}");
    }
    println!(
        "{:<72} {:>12}",
        "total beyond price and fees", first_item_total
    );
    println!();
    println!(
        "{:<100} {:>6} {:>6} {:>6}",
        "instruction at its maximum shape", "heap", "trace", "spare"
    );
    for limit in &limits {
        println!(
            "{:<100} {:>6} {:>6} {:>6}",
            limit.name, limit.heap_bytes, limit.trace, limit.trace_spare
        );
    }
    println!();
    println!(
        "{:<44} {:>16} {:>16}",
        "per item standard", standard_rows[0].0, standard_rows[1].0
    );
    let row = |name: &str, value: fn(&StandardFigures) -> u64| {
        println!(
            "{:<44} {:>16} {:>16}",
            name,
            value(&standard_rows[0].1),
            value(&standard_rows[1].1)
        );
    };
    row("collector lamports, first item", |f| f.first_item);
    row("collector lamports, further item", |f| f.further_item);
    row("returned to the holder on burn", |f| f.returned_on_burn);
    row("mint CPI CU per item", |f| f.cu_per_item);
    row("mint CPI CU, one item", |f| f.cu_one_item);
    row("most items per mint transaction", |f| {
        u64::from(f.max_items_per_tx)
    });
    for (name, figures) in &standard_rows {
        println!();
        println!(
            "{:<72} {:>12}",
            format!("{name}: a buyer's first item, per account"),
            "lamports"
        );
        for (account, lamports) in &figures.accounts {
            println!("{account:<72} {lamports:>12}");
        }
    }
    if let Some(path) = json_path {
        std::fs::write(&path, serde_json::to_vec_pretty(&report).unwrap()).expect("write --json");
    }
}

/// What one item standard costs a collector and the chain, measured on a fresh fixture.
#[derive(Clone, Debug)]
struct StandardFigures {
    /// Everything a buyer's first item costs beyond price and signature fee.
    first_item: u64,
    /// The same for the buyer's next item (its wallet record exists).
    further_item: u64,
    /// Lamports that came back to the holder when an item was burned for a benefit.
    returned_on_burn: u64,
    /// Extra CPI CU a mint spends per item (the most items' mint less a one-item mint,
    /// per added item).
    cu_per_item: u64,
    cu_one_item: u64,
    /// Items in a plain mint transaction as the SDK sends it (both compute-budget
    /// instructions, 8 trace entries spare).
    max_items_per_tx: u8,
    /// The first item's accounts and what each holds.
    accounts: Vec<(String, u64)>,
}

async fn standard_figures(standard: ItemStandard) -> StandardFigures {
    let mut f = Fixture::new().await;
    let creator = f.wallet(100 * SOL).await;
    let buyer = f.wallet(100 * SOL).await;
    let id = "standard";
    let drop = pda::drop(&creator.pubkey(), id).0;
    let args = microdrop::instructions::CreateDropArgs {
        id: id.into(),
        name: "Bench".into(),
        symbol: "B".into(),
        uri: "https://example.com/c.json".into(),
        item_uri: "https://example.com/{index}.json".into(),
        supply: 1_000,
        seller_fee_bps: 500,
        splits: vec![SplitConfig {
            address: creator.pubkey(),
            share_bps: 10_000,
        }],
        voucher_salt: microdrop_sdk::instructions::voucher_salt(),
        standard,
        transferable: true,
        minimum: 0,
        deadline: 0,
    };
    let price = 1_000_000;
    let setup = [
        instructions::create_drop(&creator.pubkey(), None, args),
        instructions::add_tier(&creator.pubkey(), &drop, 0, tier("public", 1_000, None)),
        instructions::add_benefit(
            &creator.pubkey(),
            &drop,
            0,
            BenefitConfig {
                label: "perk".into(),
                burn: 1,
                supply: 10,
                start: None,
                end: None,
                tier_mask: 0,
            },
        ),
        instructions::set_drop_status(&creator.pubkey(), &drop, DropStatus::Active),
    ];
    for ix in setup {
        f.send(&[ix], &creator, &[]).await.expect("setup");
    }
    f.warp_to(T0).await;
    let request = |first_index: u64, quantity: u8| MintRequest {
        drop,
        standard,
        soulbound: false,
        preorder: false,
        open: false,
        collection_mint: pda::collection_mint(&drop).0,
        currency: microdrop::state::Currency::Sol,
        tier_id: 0,
        buyer: buyer.pubkey(),
        first_index,
        quantity,
        allowance: None,
        proof: vec![],
        holder: None,
        holder_record: None,
        voucher: None,
    };
    let with_budget = |ix: Instruction| vec![instructions::compute_unit_limit(1_400_000), ix];
    let max_items_per_tx = microdrop_tests::limits::sdk_quantity(&request(1, 1));
    let cu_one_item = units(
        &mut f,
        &with_budget(instructions::mint(&request(1, 1))),
        &buyer,
    )
    .await;
    let cu_most = units(
        &mut f,
        &with_budget(instructions::mint(&request(1, max_items_per_tx))),
        &buyer,
    )
    .await;
    let cu_per_item = (cu_most - cu_one_item) / u64::from(max_items_per_tx.max(2) - 1);

    // What the buyer paid beyond price and signature fee for its first item (its wallet
    // record new) and its second.
    let mut paid = [0; 2];
    for (cost, index) in paid.iter_mut().zip(1..) {
        let before = f.balance(&buyer.pubkey()).await;
        f.send(
            &with_budget(instructions::mint(&request(index, 1))),
            &buyer,
            &[],
        )
        .await
        .unwrap_or_else(|e| panic!("item {index}: {e:?}"));
        *cost = before - f.balance(&buyer.pubkey()).await - price - 5_000;
    }
    let [first_item, further_item] = paid;

    let item_accounts = microdrop_sdk::items::item_accounts(standard, &drop, &buyer.pubkey(), 1);
    let names: &[&str] = match standard {
        ItemStandard::TokenMetadata => &[
            "item mint",
            "token account",
            "metadata (rent and Token Metadata's create fee)",
            "master edition",
        ],
        ItemStandard::Token2022 => &[
            "item mint (metadata, group member, close authority inside)",
            "token account",
        ],
    };
    let mut accounts = Vec::new();
    for (name, address) in names.iter().zip(&item_accounts) {
        accounts.push((name.to_string(), f.balance(address).await));
    }
    accounts.push((
        "wallet record (first item from a tier; back once the drop closes)".into(),
        f.balance(&pda::wallet_record(&pda::tier(&drop, 0).0, &buyer.pubkey()).0)
            .await,
    ));
    let accounted: u64 = accounts.iter().map(|(_, l)| l).sum();
    accounts.push((
        "item-tier table entry (Token Metadata only)".into(),
        first_item - accounted,
    ));

    let held_before = f.balances(&item_accounts).await;
    let redeem = with_budget(instructions::redeem(
        &buyer.pubkey(),
        &drop,
        standard,
        &pda::collection_mint(&drop).0,
        0,
        0,
        &[1],
    ));
    f.send(&redeem, &buyer, &[]).await.expect("redeem");
    let held_after = f.balances(&item_accounts).await;
    StandardFigures {
        first_item,
        further_item,
        returned_on_burn: held_before - held_after,
        cu_per_item,
        cu_one_item,
        max_items_per_tx,
        accounts,
    }
}
