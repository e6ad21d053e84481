//! Every instruction at its maximum shape, with what it uses of the limits a real cluster
//! enforces and the native runtime does not: microdrop's sBPF heap and the instruction
//! trace.
//!
//! The suite (`limits`) asserts each figure against [`HEAP_BUDGET`] and, for mints,
//! [`TRACE_SPARE_FOR_WALLETS`]; the benchmark prints them. The heap is measured by
//! `microdrop_sdk::heap` and needs its counting allocator as the binary's global allocator.
//!
//! The maximum shapes: strings at their longest, 8 tiers' worth of regions, 8 split
//! recipients, a drop priced in an SPL token, and for a mint the most items with a
//! 32-hash allow-list proof, a holder gate with a holder limit and a single-use voucher
//! (its Ed25519 instruction and nonce record) at once, sent with both compute-budget
//! instructions as the SDK sends them.

use anchor_lang::prelude::Pubkey;
use microdrop::{
    constants::{max_items_per_mint, MAX_BURN_PER_REDEMPTION, MAX_PROOF_LEN},
    instructions::CreateDropArgs,
    state::{BenefitConfig, Currency, Drop, DropStatus, ItemStandard, SplitConfig, TierConfig},
    voucher::VoucherMessage,
};
use microdrop_sdk::{
    instructions::{self, MintRequest},
    items, pda,
    voucher::SignedVoucher,
    Instruction, Keypair, Signer,
};
use serde::Serialize;

use crate::{open_tier, Fixture, Sent, MAX_TRACE, SOL};

pub use crate::{HEAP_BUDGET, TRACE_SPARE_FOR_WALLETS};

/// One instruction's figures at one shape.
#[derive(Debug, Clone, Serialize)]
pub struct Limit {
    /// The instruction and its shape.
    pub name: String,
    /// microdrop's sBPF heap, estimated (bytes).
    pub heap_bytes: usize,
    /// Instruction trace entries the transaction used.
    pub trace: usize,
    /// Entries left for the caller's own instructions.
    pub trace_spare: usize,
    /// Whether it is a mint, which must leave [`TRACE_SPARE_FOR_WALLETS`].
    pub mint: bool,
    /// For a mint, the trace the SDK budgets for it (`instructions::mint_trace`).
    pub estimated_trace: Option<usize>,
    /// A mint whose every predictable address a griefer funded first: it must still fit
    /// the trace, but need not leave room for wallets' instructions.
    pub griefed: bool,
    /// For a mint, the items it created: the most the SDK sends in one transaction of
    /// that shape.
    pub items: Option<u8>,
}

const T0: i64 = 2_000_000_000;

/// What a griefer sends to an address: the least an empty account may hold.
const RENT_EXEMPT_EMPTY: u64 = 890_880;

fn text(len: usize) -> String {
    "x".repeat(len)
}

/// Runs every instruction at its maximum shape, for a drop of each item standard on a
/// fresh fixture, and returns the figures in the order sent.
pub async fn measure_all() -> Vec<Limit> {
    let mut out = measure_on(Fixture::new().await, ItemStandard::TokenMetadata).await;
    out.extend(measure_on(Fixture::new().await, ItemStandard::Token2022).await);
    out
}

/// The most items of `request`'s shape the SDK puts in one transaction: up to the
/// standard's most per mint, while the trace it budgets (with the two compute-budget
/// instructions) leaves [`TRACE_SPARE_FOR_WALLETS`].
pub fn sdk_quantity(request: &MintRequest) -> u8 {
    (1..=max_items_per_mint(request.standard))
        .rev()
        .find(|&quantity| {
            let candidate = MintRequest {
                quantity,
                ..request.clone()
            };
            instructions::mint_trace(&candidate, 2) + TRACE_SPARE_FOR_WALLETS <= MAX_TRACE
        })
        .unwrap_or(1)
}

/// [`measure_all`] for one `standard` on `f`, a fixture with the feature set to try (see
/// `Fixture::without_features`). The Token-2022 drop under test is soulbound, its largest
/// item; its holder gate, a transferable Token-2022 drop, also measures a plain mint of
/// the most items.
pub async fn measure_on(mut f: Fixture, standard: ItemStandard) -> Vec<Limit> {
    let tag = items::standard_name(standard);
    let mut out = Vec::new();
    let creator = f.wallet(1_000 * SOL).await;
    let buyer = f.wallet(100 * SOL).await;
    let voucher_signer = Keypair::new();
    let currency = f.create_token_mint(&creator).await;
    f.fund_tokens(&creator, &currency, &buyer.pubkey(), 1_000_000_000_000)
        .await;

    // The gate: another drop whose item the buyer holds.
    let gate_id = "gate";
    let gate = pda::drop(&creator.pubkey(), gate_id).0;
    let gate_collection = pda::collection_mint(&gate).0;
    let mut gate_args = drop_args(gate_id, &creator.pubkey(), 10, standard);
    gate_args.transferable = true;
    gate_args.splits.truncate(1);
    gate_args.splits[0].share_bps = 10_000;
    send(
        &mut f,
        "",
        &[instructions::create_drop(
            &creator.pubkey(),
            None,
            gate_args,
        )],
        &creator,
        &[],
    )
    .await;
    let gate_tier = open_tier("gate", T0, T0 + 86_400, 1_000, 10, 10);
    send(
        &mut f,
        "",
        &[instructions::add_tier(
            &creator.pubkey(),
            &gate,
            0,
            gate_tier,
        )],
        &creator,
        &[],
    )
    .await;
    send(
        &mut f,
        "",
        &[instructions::set_drop_status(
            &creator.pubkey(),
            &gate,
            DropStatus::Active,
        )],
        &creator,
        &[],
    )
    .await;

    // The drop, priced in an SPL token, with every string at its longest and 8 recipients.
    let id = "limits-limits-limits-limits-lim"; // 31 bytes
    let drop = pda::drop(&creator.pubkey(), id).0;
    let collection_mint = pda::collection_mint(&drop).0;
    let args = drop_args(id, &creator.pubkey(), 1_000, standard);
    let splits = args.splits.clone();
    let create = instructions::create_drop(&creator.pubkey(), Some(&currency), args);
    out.push(
        measure(
            &mut f,
            &format!("[{tag}] create_drop (SPL price, 8 recipients, longest strings)"),
            &[create],
            &creator,
            &[],
        )
        .await,
    );

    // Tier 0: the worst mint's tier. A 32-hash proof to a root made for it.
    // A 32-hash proof for the buyer and one for a second buyer under one root: the two
    // leaves are each other's first sibling, and the 31 hashes above them are arbitrary.
    let allowance = 10;
    let victim = Keypair::new();
    let pair = [
        microdrop::merkle::leaf(&drop, 0, &buyer.pubkey(), allowance),
        microdrop::merkle::leaf(&drop, 0, &victim.pubkey(), allowance),
    ];
    let upper: Vec<[u8; 32]> = (1..MAX_PROOF_LEN)
        .map(|i| microdrop_sdk::sha256(&[u8::try_from(i).unwrap_or(0)]))
        .collect();
    let root = upper.iter().fold(
        microdrop::merkle::node(&pair[0], &pair[1]),
        |node, sibling| microdrop::merkle::node(&node, sibling),
    );
    let proof_of = |wallet: &Pubkey| {
        let sibling = if *wallet == buyer.pubkey() {
            pair[1]
        } else {
            pair[0]
        };
        std::iter::once(sibling)
            .chain(upper.iter().copied())
            .collect::<Vec<_>>()
    };
    let worst = TierConfig {
        label: text(32),
        allowlist_root: Some(root),
        holder_of: Some(gate_collection),
        holder_limit: 5,
        voucher_signer: Some(voucher_signer.pubkey()),
        regions: vec![
            *b"AA", *b"BB", *b"CC", *b"DD", *b"EE", *b"FF", *b"GG", *b"HH",
        ],
        ..open_tier("worst", T0, T0 + 86_400, 1_000, 100, 10)
    };
    let add = instructions::add_tier(&creator.pubkey(), &drop, 0, worst.clone());
    out.push(
        measure(
            &mut f,
            "add_tier (allow list, holder gate and limit, voucher, 8 regions)",
            &[add],
            &creator,
            &[],
        )
        .await,
    );
    let update = instructions::update_tier(&creator.pubkey(), &drop, 0, worst);
    out.push(
        measure(
            &mut f,
            "update_tier (the same shape)",
            &[update],
            &creator,
            &[],
        )
        .await,
    );
    let public = open_tier("public", T0, T0 + 86_400, 1_000, 100, 100);
    send(
        &mut f,
        "",
        &[instructions::add_tier(&creator.pubkey(), &drop, 1, public)],
        &creator,
        &[],
    )
    .await;
    let benefit = BenefitConfig {
        label: text(32),
        burn: MAX_BURN_PER_REDEMPTION,
        supply: 10,
        start: Some(T0),
        end: Some(T0 + 86_400),
        tier_mask: 0b11,
    };
    let add = instructions::add_benefit(&creator.pubkey(), &drop, 0, benefit);
    out.push(
        measure(
            &mut f,
            "add_benefit (longest label, window, tier mask)",
            &[add],
            &creator,
            &[],
        )
        .await,
    );
    let set = instructions::set_splits(&creator.pubkey(), &drop, splits.clone());
    out.push(measure(&mut f, "set_splits (8 recipients)", &[set], &creator, &[]).await);
    let table = f.lookup_table(&creator).await;
    let record = instructions::set_lookup_table(&creator.pubkey(), &drop, &table);
    out.push(measure(&mut f, "set_lookup_table", &[record], &creator, &[]).await);
    let activate = instructions::set_drop_status(&creator.pubkey(), &drop, DropStatus::Active);
    out.push(measure(&mut f, "set_drop_status", &[activate], &creator, &[]).await);

    f.warp_to(T0).await;
    let gate_mint = MintRequest {
        drop: gate,
        standard,
        soulbound: false,
        preorder: false,
        open: false,
        collection_mint: gate_collection,
        currency: Currency::Sol,
        tier_id: 0,
        buyer: buyer.pubkey(),
        first_index: 1,
        quantity: 1,
        allowance: None,
        proof: vec![],
        holder: None,
        holder_record: None,
        voucher: None,
    };
    send(
        &mut f,
        "",
        &budgeted(instructions::mint_instructions(&gate_mint)),
        &buyer,
        &[],
    )
    .await;
    let gate_item = pda::item_mint(&gate, 1).0;

    // A plain mint of the most items, priced in SOL, of transferable items (the gate drop).
    let plain = MintRequest {
        first_index: 2,
        quantity: sdk_quantity(&MintRequest {
            first_index: 2,
            ..gate_mint.clone()
        }),
        ..gate_mint.clone()
    };
    out.push(
        measure_mint(
            &mut f,
            &format!("[{tag}] mint, most items, plain (SOL price, transferable)"),
            &plain,
            &buyer,
        )
        .await,
    );
    let gate_minted = 1 + u64::from(plain.quantity);

    let soulbound = standard == ItemStandard::Token2022;
    let request = |first_index: u64, quantity: u8| MintRequest {
        drop,
        standard,
        soulbound,
        preorder: false,
        open: false,
        collection_mint,
        currency: Currency::Spl { mint: currency },
        tier_id: 1,
        buyer: buyer.pubkey(),
        first_index,
        quantity,
        allowance: None,
        proof: vec![],
        holder: None,
        holder_record: None,
        voucher: None,
    };
    out.push(
        measure_mint(
            &mut f,
            &format!("[{tag}] mint, 1 item (SPL price, new buyer)"),
            &request(1, 1),
            &buyer,
        )
        .await,
    );
    let most = request(2, sdk_quantity(&request(2, 1)));
    out.push(
        measure_mint(
            &mut f,
            &format!("[{tag}] mint, most items (SPL price)"),
            &most,
            &buyer,
        )
        .await,
    );
    let after_most = 2 + u64::from(most.quantity);

    // The worst mint: the most items, a 32-hash proof, a holder gate with a limit and a
    // single-use voucher, for a buyer's first mint from the tier (every record is new).
    let salt = f.anchor_account::<Drop>(&drop).await.voucher_salt;
    let tier0 = pda::tier(&drop, 0).0;
    let holder_token = |wallet: &Pubkey, item: &Pubkey| match standard {
        ItemStandard::TokenMetadata => pda::associated_token(wallet, item).0,
        ItemStandard::Token2022 => pda::associated_token_2022(wallet, item).0,
    };
    let worst_quantity = {
        let voucher = SignedVoucher::sign(
            VoucherMessage {
                program: microdrop::ID,
                drop,
                tier_id: 0,
                wallet: buyer.pubkey(),
                max_quantity: 1,
                expires: T0,
                region: *b"AA",
                nonce: 0,
                single_use: true,
                salt,
            },
            &voucher_signer,
        );
        sdk_quantity(&MintRequest {
            tier_id: 0,
            holder: Some((Pubkey::default(), Pubkey::default())),
            holder_record: Some(Pubkey::default()),
            voucher: Some(voucher),
            ..request(1, 1)
        })
    };
    let worst = |buyer: &Keypair, gate_item: Pubkey, nonce: u64, first_index: u64| {
        let voucher = SignedVoucher::sign(
            VoucherMessage {
                program: microdrop::ID,
                drop,
                tier_id: 0,
                wallet: buyer.pubkey(),
                max_quantity: u32::from(worst_quantity),
                expires: T0 + 3_600,
                region: *b"AA",
                nonce,
                single_use: true,
                salt,
            },
            &voucher_signer,
        );
        MintRequest {
            tier_id: 0,
            buyer: buyer.pubkey(),
            allowance: Some(allowance),
            proof: proof_of(&buyer.pubkey()),
            holder: Some((
                holder_token(&buyer.pubkey(), &gate_item),
                items::membership_account(&items::token_program(standard), &gate_item),
            )),
            holder_record: Some(pda::holder_record(&tier0, &gate_item).0),
            voucher: Some(voucher),
            ..request(first_index, worst_quantity)
        }
    };
    let first = after_most;
    out.push(
        measure_mint(
            &mut f,
            &format!("[{tag}] mint, most items, worst shape (SPL price, 32-hash proof, holder gate and limit, single-use voucher)"),
            &worst(&buyer, gate_item, 42, first),
            &buyer,
        )
        .await,
    );

    // The same for a second buyer, with every address the mint creates funded first by a
    // griefer: each then costs a transfer, an allocate and an assign instead of a create.
    f.transfer(&victim.pubkey(), 100 * SOL).await;
    f.fund_tokens(&creator, &currency, &victim.pubkey(), 1_000_000_000)
        .await;
    let victim_gate = MintRequest {
        buyer: victim.pubkey(),
        first_index: gate_minted + 1,
        ..gate_mint.clone()
    };
    send(
        &mut f,
        "",
        &budgeted(instructions::mint_instructions(&victim_gate)),
        &victim,
        &[],
    )
    .await;
    let victim_item = pda::item_mint(&gate, gate_minted + 1).0;
    let next = first + u64::from(worst_quantity);
    let griefed = worst(&victim, victim_item, 43, next);
    let mut funded = vec![
        pda::wallet_record(&tier0, &victim.pubkey()).0,
        pda::holder_record(&tier0, &victim_item).0,
        pda::voucher_nonce(&tier0, 43).0,
    ];
    for index in next..next + u64::from(worst_quantity) {
        funded.extend(instructions::item_accounts(
            standard,
            &drop,
            &victim.pubkey(),
            index,
        ));
    }
    for address in &funded {
        f.transfer(address, RENT_EXEMPT_EMPTY).await;
    }
    out.push(Limit {
        griefed: true,
        ..measure_mint(
            &mut f,
            &format!("[{tag}] mint, most items, worst shape, every address it creates funded by a griefer"),
            &griefed,
            &victim,
        )
        .await
    });

    let burn: Vec<u64> = (1..=u64::from(MAX_BURN_PER_REDEMPTION)).collect();
    let redeem = vec![
        instructions::compute_unit_limit(1_400_000),
        instructions::redeem(
            &buyer.pubkey(),
            &drop,
            standard,
            &collection_mint,
            0,
            0,
            &burn,
        ),
    ];
    out.push(
        measure(
            &mut f,
            &format!("[{tag}] redeem (most items burned)"),
            &redeem,
            &buyer,
            &[],
        )
        .await,
    );

    // Income for both distributions: the SPL proceeds, and SOL royalties.
    for split in &splits {
        f.fund_tokens(&creator, &currency, &split.address, 0).await;
    }
    f.transfer(&pda::vault(&drop).0, SOL).await;
    let state: Drop = f.anchor_account(&drop).await;
    let tokens = instructions::distribute(&drop, &state.splits, Some(&currency));
    out.push(
        measure(
            &mut f,
            "distribute tokens (8 recipients)",
            &[tokens],
            &creator,
            &[],
        )
        .await,
    );
    let lamports = instructions::distribute(&drop, &state.splits, None);
    out.push(
        measure(
            &mut f,
            "distribute lamports (8 recipients)",
            &[lamports],
            &creator,
            &[],
        )
        .await,
    );

    // Royalties in a token other than the currency, shared through its own ledger (whose
    // creation this first distribution pays for).
    let royalty = f.create_token_mint(&creator).await;
    f.fund_tokens(&creator, &royalty, &pda::vault(&drop).0, 1_000_000)
        .await;
    for split in &splits {
        f.fund_tokens(&creator, &royalty, &split.address, 0).await;
    }
    f.transfer(&pda::token_ledger(&drop, &royalty).0, RENT_EXEMPT_EMPTY)
        .await;
    let other = instructions::distribute_token(
        &creator.pubkey(),
        &drop,
        &state.splits,
        &royalty,
        &anchor_spl::token::ID,
    );
    out.push(
        measure(
            &mut f,
            "distribute_token (8 recipients, new ledger at a griefer-funded address)",
            &[other],
            &creator,
            &[],
        )
        .await,
    );

    let redemption = pda::redemption(&pda::benefit(&drop, 0).0, 0).0;
    let fulfill = instructions::fulfill(&creator.pubkey(), &drop, &redemption, [7; 32]);
    out.push(measure(&mut f, "fulfill", &[fulfill], &creator, &[]).await);
    let last = next - 1;
    let update = instructions::update_item_uri(&creator.pubkey(), &drop, standard, last, text(200));
    out.push(
        measure(
            &mut f,
            &format!("[{tag}] update_item_uri (200-byte URI)"),
            &[update],
            &creator,
            &[],
        )
        .await,
    );
    let successor = f.wallet(SOL).await;
    let offer = instructions::transfer_authority(&creator.pubkey(), &drop, &successor.pubkey());
    out.push(measure(&mut f, "transfer_authority", &[offer], &creator, &[]).await);
    let accept = instructions::accept_authority(&successor.pubkey(), &drop);
    out.push(measure(&mut f, "accept_authority", &[accept], &successor, &[]).await);
    let close = instructions::set_drop_status(&successor.pubkey(), &drop, DropStatus::Closed);
    send(&mut f, "", &[close], &successor, &[]).await;
    let record = instructions::close_wallet_record(&buyer.pubkey(), &drop, 1);
    out.push(measure(&mut f, "close_wallet_record", &[record], &buyer, &[]).await);
    let nonce = instructions::close_voucher_nonce(&buyer.pubkey(), &drop, 0, 42);
    out.push(measure(&mut f, "close_voucher_nonce", &[nonce], &buyer, &[]).await);
    out.extend(measure_demand(&mut f, standard, &creator, &buyer, currency).await);
    out
}

/// Supply shaped by demand at its largest: an open-edition preorder priced in an SPL
/// token (each mint records prices and, for Token-2022, raises the group), with the
/// longest strings and (Token-2022) soulbound items. Measures its mint at the quantity
/// the SDK sends, an airdrop of the most items into a tier, and the refund of the most
/// items once the preorder failed.
async fn measure_demand(
    f: &mut Fixture,
    standard: ItemStandard,
    creator: &Keypair,
    buyer: &Keypair,
    currency: Pubkey,
) -> Vec<Limit> {
    let tag = items::standard_name(standard);
    let mut out = Vec::new();
    let start = T0 + 1_000_000;
    let id = "limits-preorder";
    let drop = pda::drop(&creator.pubkey(), id).0;
    let collection_mint = pda::collection_mint(&drop).0;
    let mut args = drop_args(
        id,
        &creator.pubkey(),
        microdrop::constants::OPEN_SUPPLY,
        standard,
    );
    args.minimum = 1_000;
    args.deadline = start + 1_000;
    let create = instructions::create_drop(&creator.pubkey(), Some(&currency), args);
    out.push(
        measure(
            f,
            &format!("[{tag}] create_drop (open-edition preorder, SPL price)"),
            &[create],
            creator,
            &[],
        )
        .await,
    );
    let tier = open_tier(
        "open",
        start,
        start + 86_400,
        1_000,
        microdrop::constants::OPEN_SUPPLY,
        100,
    );
    for ix in [
        instructions::add_tier(&creator.pubkey(), &drop, 0, tier),
        instructions::set_drop_status(&creator.pubkey(), &drop, DropStatus::Active),
    ] {
        send(f, "preorder setup", &[ix], creator, &[]).await;
    }
    f.warp_to(start).await;
    let state: Drop = f.anchor_account(&drop).await;
    let request = MintRequest::new(drop, &state, 0, buyer.pubkey());
    // What this row measures: an open-edition preorder priced in the SPL token.
    assert!(
        request.preorder && request.open && request.currency == Currency::Spl { mint: currency },
        "{request:?}"
    );
    let request = MintRequest {
        quantity: sdk_quantity(&request),
        ..request
    };
    out.push(
        measure_mint(
            f,
            &format!("[{tag}] mint, open-edition preorder (prices recorded, group raised)"),
            &request,
            buyer,
        )
        .await,
    );
    let most = max_items_per_mint(standard);
    let airdrop = instructions::AirdropRequest {
        authority: creator.pubkey(),
        drop,
        standard,
        soulbound: state.soulbound,
        preorder: true,
        open: true,
        collection_mint,
        tier_id: Some(0),
        list: [3; 32],
        recipient: buyer.pubkey(),
        total: u32::from(most),
        first_index: u64::from(request.quantity) + 1,
        quantity: most,
    };
    let ixs = budgeted(vec![instructions::airdrop(&airdrop)]);
    out.push(Limit {
        estimated_trace: Some(instructions::airdrop_trace(&airdrop, 2)),
        items: Some(most),
        ..measure(
            f,
            &format!("[{tag}] airdrop (most items, into a tier, open-edition preorder)"),
            &ixs,
            creator,
            &[],
        )
        .await
    });

    f.warp_to(start + 1_001).await;
    let held = u64::from(request.quantity) + u64::from(most);
    let indexes: Vec<u64> =
        (1..=held.min(u64::from(microdrop::constants::MAX_REFUND_ITEMS))).collect();
    let refund = budgeted(vec![instructions::refund(
        &buyer.pubkey(),
        &drop,
        standard,
        &collection_mint,
        Currency::Spl { mint: currency },
        &indexes,
    )]);
    out.push(Limit {
        items: u8::try_from(indexes.len()).ok(),
        ..measure(
            f,
            &format!("[{tag}] refund (most items, SPL price)"),
            &refund,
            buyer,
            &[],
        )
        .await
    });
    out
}

/// A drop config with the longest name, symbol and URIs `supply` allows, and 8 recipients;
/// Token-2022 items soulbound (their largest shape).
fn drop_args(id: &str, creator: &Pubkey, supply: u64, standard: ItemStandard) -> CreateDropArgs {
    let digits = microdrop::instructions::create_drop::decimal_digits(
        supply.min(microdrop::constants::MAX_SUPPLY),
    );
    CreateDropArgs {
        id: id.into(),
        name: text(32 - 2 - digits),
        symbol: text(10),
        uri: text(200),
        // The template and its longest rendering both fit 200 bytes.
        item_uri: format!("{}{{index}}", text(200 - digits.max(7))),
        supply,
        seller_fee_bps: 500,
        splits: (0..8)
            .map(|i| SplitConfig {
                address: if i == 0 {
                    *creator
                } else {
                    Pubkey::new_unique()
                },
                share_bps: 1_250,
            })
            .collect(),
        voucher_salt: instructions::voucher_salt(),
        standard,
        transferable: standard == ItemStandard::TokenMetadata,
        minimum: 0,
        deadline: 0,
    }
}

/// The compute-budget instructions the SDK puts before every transaction it sends.
fn budgeted(ixs: Vec<Instruction>) -> Vec<Instruction> {
    let mut all = vec![
        instructions::compute_unit_limit(1_400_000),
        instructions::compute_unit_price(1),
    ];
    all.extend(ixs);
    all
}

async fn send(
    f: &mut Fixture,
    what: &str,
    ixs: &[Instruction],
    payer: &Keypair,
    signers: &[&Keypair],
) -> Sent {
    f.send_measured(ixs, payer, signers)
        .await
        .unwrap_or_else(|e| panic!("{what}: {e:?}"))
}

async fn measure(
    f: &mut Fixture,
    name: &str,
    ixs: &[Instruction],
    payer: &Keypair,
    signers: &[&Keypair],
) -> Limit {
    let sent = send(f, name, ixs, payer, signers).await;
    Limit {
        name: name.into(),
        heap_bytes: sent.heap_bytes,
        trace: sent.trace,
        trace_spare: MAX_TRACE.saturating_sub(sent.trace),
        mint: false,
        estimated_trace: None,
        griefed: false,
        items: None,
    }
}

async fn measure_mint(
    f: &mut Fixture,
    name: &str,
    request: &MintRequest,
    payer: &Keypair,
) -> Limit {
    let ixs = budgeted(instructions::mint_instructions(request));
    Limit {
        mint: true,
        estimated_trace: Some(instructions::mint_trace(request, 2)),
        items: Some(request.quantity),
        ..measure(f, name, &ixs, payer, &[]).await
    }
}
