//! The invariant (property) suite: random sequences of a drop's operations, across several
//! wallets, tiers and benefits with random clock jumps, checked after every step.
//!
//! A model predicts whether each operation must succeed (the program's rules, restated
//! independently); a disagreement with the chain is a violation. After every step:
//! - minted never exceeds the drop's or any tier's cap, and the tiers add up to the drop;
//! - no wallet exceeds its per-wallet limit;
//! - the vault's lamports are conserved: income (sales and royalties) equals what it holds
//!   above its reserve plus what it distributed;
//! - each recipient was paid exactly floor(income × share / 10 000) as of the last
//!   distribution, with less dust left than there are recipients;
//! - counters match the accounts: burned items, redemptions and fulfilments.
//!
//! Seeds whose third bit is set (5-8, ...) run a preorder, with airdrops, item transfers
//! between wallets and refunds among the operations: 5 and 6 a minimum that cannot sell by
//! the deadline (it fails), 7 and 8 one that can. After every step, also:
//! - refunds never exceed what was paid: what was refunded plus what the vault still holds
//!   for refunds equals the recorded prices, item by item;
//! - no payment is refunded twice: each refunded item's entry says so, and a second refund
//!   is refused;
//! - the vault can always pay every outstanding refund (its balance in the currency is at
//!   least what it holds for refunds).
//!
//! Even seeds run a drop priced in SOL, odd seeds one priced in an SPL token; seeds whose
//! second bit is set (2, 3, 6, 7, ...) run Token-2022 items, the others Token Metadata
//! items. For the
//! token drop, also: every buyer's tokens went down by exactly what it bought, the vault's
//! tokens plus what it distributed equal the sales, each recipient holds exactly its share
//! of the distributed sales, and no token appears or vanishes across buyers, vault and
//! recipients. Its vault's lamports then carry only the royalties.

use std::collections::{HashMap, HashSet};

use microdrop::state::{
    item_prices, Benefit, BenefitConfig, Drop, DropStatus, Redemption, RedemptionStatus,
    SplitConfig, ThresholdState, Tier, TierConfig, WalletRecord,
};
use microdrop_sdk::{instructions, pda, Keypair, Pubkey, Signer};

use crate::{Fixture, SOL};

/// What a run found.
#[derive(Debug, Default)]
pub struct Report {
    pub operations: u64,
    pub violations: Vec<String>,
    /// Operations the program accepted and refused.
    pub accepted: u64,
    pub refused: u64,
    /// Accepted operations by name (`mint`, `refund`, ...).
    pub accepted_by: std::collections::BTreeMap<&'static str, u64>,
}

/// A small deterministic generator (SplitMix64), so a seed replays a run exactly.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

const T0: i64 = 2_000_000_000;
const WALLETS: usize = 3;
const SHARES: [u16; 3] = [5_003, 2_999, 1_998];
/// Tokens each buyer starts with in a token-priced run: more than it can ever spend.
const BUYER_TOKENS: u64 = 1_000_000_000_000;

/// A token-priced run's currency and what the chain should show of it.
struct Tokens {
    mint: Pubkey,
    /// Tokens each wallet paid for its items.
    spent: Vec<u64>,
    /// Tokens refunds paid each wallet.
    refunded: Vec<u64>,
    /// Sales, in tokens.
    income: u64,
    /// Sales as of the last token distribution.
    distributed_income: u64,
}

/// The model: the rules and everything the chain should show.
struct Model {
    status: DropStatus,
    now: i64,
    supply: u64,
    tiers: Vec<TierConfig>,
    tier_minted: Vec<u64>,
    wallet_minted: HashMap<(usize, u8), u32>,
    /// Item index -> (holder, tier; none when airdropped outside tiers), for live items.
    items: HashMap<u64, (usize, Option<u8>)>,
    minted: u64,
    burned: u64,
    benefits: Vec<BenefitConfig>,
    redeemed: Vec<u64>,
    redemptions: Vec<(Pubkey, bool)>,
    /// Lamports that entered the vault (sales and royalties).
    income: u64,
    /// Income as of the last distribution.
    distributed_income: u64,
    /// The currency, for a token-priced run.
    tokens: Option<Tokens>,
    /// A preorder's minimum and deadline (0 and 0: unconditional).
    minimum: u64,
    deadline: i64,
    airdropped: u64,
    /// Items airdropped outside tiers (the tiers' counts leave them out).
    untiered: u64,
    /// Item index -> price recorded for an item sold while the preorder was pending.
    prices: HashMap<u64, u64>,
    /// Items refunded.
    refunded_items: HashSet<u64>,
    /// What refunds paid, in the currency.
    refunded: u64,
    /// Airdrop lists used, for replays that must be refused.
    lists: Vec<([u8; 32], usize, u32)>,
}

impl Model {
    fn threshold(&self) -> ThresholdState {
        let sold = self.minted - self.airdropped;
        if self.minimum == 0 {
            ThresholdState::Unconditional
        } else if sold >= self.minimum {
            ThresholdState::Met
        } else if self.now > self.deadline {
            ThresholdState::Failed
        } else {
            ThresholdState::Pending
        }
    }

    /// What the vault holds for refunds: the unrefunded recorded prices.
    fn escrowed(&self) -> u64 {
        self.prices
            .iter()
            .filter(|(index, _)| !self.refunded_items.contains(index))
            .map(|(_, price)| price)
            .sum()
    }
}

pub async fn run(operations: u64, seed: u64) -> Report {
    let mut rng = Rng::new(seed);
    let mut f = Fixture::new().await;
    let mut report = Report::default();
    let creator = f.wallet(50 * SOL).await;
    let mut wallets = Vec::new();
    for _ in 0..WALLETS {
        wallets.push(f.wallet(20 * SOL).await);
    }
    let mut recipients = Vec::new();
    for _ in SHARES {
        recipients.push(f.wallet(SOL).await);
    }
    let tokens = if seed % 2 == 1 {
        let treasurer = f.wallet(SOL).await;
        let mint = f.create_token_mint(&treasurer).await;
        for w in &wallets {
            f.fund_tokens(&treasurer, &mint, &w.pubkey(), BUYER_TOKENS)
                .await;
        }
        for r in &recipients {
            f.fund_tokens(&treasurer, &mint, &r.pubkey(), 0).await;
        }
        Some(Tokens {
            mint,
            spent: vec![0; WALLETS],
            refunded: vec![0; WALLETS],
            income: 0,
            distributed_income: 0,
        })
    } else {
        None
    };
    let currency_mint = tokens.as_ref().map(|t| t.mint);
    // Seeds cover both item standards: the second bit picks Token-2022 (with the first,
    // the currency, any four consecutive seeds cover every pairing).
    let standard = if (seed / 2) % 2 == 1 {
        microdrop::state::ItemStandard::Token2022
    } else {
        microdrop::state::ItemStandard::TokenMetadata
    };
    let currency = match currency_mint {
        Some(mint) => microdrop::state::Currency::Spl { mint },
        None => microdrop::state::Currency::Sol,
    };
    let recipient_start: Vec<u64> = {
        let mut v = Vec::new();
        for r in &recipients {
            v.push(f.balance(&r.pubkey()).await);
        }
        v
    };

    // Launch: three staggered/overlapping tiers, a split, two benefits.
    let tier = crate::open_tier;
    let tiers = vec![
        tier("early", T0, T0 + 6_000, 10_007, 8, 2),
        tier("main", T0 + 1_000, T0 + 30_000, 33_333, 15, 3),
        tier("late", T0 + 20_000, T0 + 60_000, 7, 8, 2),
    ];
    let benefits = vec![
        BenefitConfig {
            label: "pair".into(),
            burn: 2,
            supply: 4,
            start: None,
            end: None,
            tier_mask: 0b011,
        },
        BenefitConfig {
            label: "single".into(),
            burn: 1,
            supply: 6,
            start: Some(T0 + 2_000),
            end: None,
            tier_mask: 0,
        },
    ];
    let id = "invariants";
    let drop = pda::drop(&creator.pubkey(), id).0;
    let mut args = microdrop::instructions::CreateDropArgs {
        id: id.into(),
        name: "Prop".into(),
        symbol: "P".into(),
        uri: "https://example.com/c.json".into(),
        item_uri: "https://example.com/{index}.json".into(),
        supply: 60,
        seller_fee_bps: 300,
        splits: vec![],
        voucher_salt: microdrop_sdk::instructions::voucher_salt(),
        standard,
        transferable: true,
        minimum: 0,
        deadline: 0,
    };
    // Preorders: seeds 5 and 6 need more than the tiers open by the deadline can sell
    // (they fail); 7 and 8 need a few (they are met).
    let preorder = (seed.saturating_sub(1) / 4) % 2 == 1;
    if preorder {
        (args.minimum, args.deadline) = if (seed - 1) % 4 < 2 {
            (30, T0 + 4_000)
        } else {
            (5, T0 + 25_000)
        };
    }
    let (minimum, deadline) = (args.minimum, args.deadline);
    args.splits = recipients
        .iter()
        .zip(SHARES)
        .map(|(r, share_bps)| SplitConfig {
            address: r.pubkey(),
            share_bps,
        })
        .collect();
    let mut setup = vec![instructions::create_drop(
        &creator.pubkey(),
        currency_mint.as_ref(),
        args,
    )];
    for (i, t) in tiers.iter().enumerate() {
        setup.push(instructions::add_tier(
            &creator.pubkey(),
            &drop,
            i as u8,
            t.clone(),
        ));
    }
    for ix in setup {
        f.send(&[ix], &creator, &[]).await.expect("setup");
    }
    for (i, b) in benefits.iter().enumerate() {
        let ix = instructions::add_benefit(&creator.pubkey(), &drop, i as u8, b.clone());
        f.send(&[ix], &creator, &[]).await.expect("benefit");
    }
    let ix = instructions::set_drop_status(&creator.pubkey(), &drop, DropStatus::Active);
    f.send(&[ix], &creator, &[]).await.expect("activate");
    f.warp_to(T0).await;
    let vault = pda::vault(&drop).0;
    let reserve = f.balance(&vault).await;
    let collection_mint = pda::collection_mint(&drop).0;
    let mut m = Model {
        status: DropStatus::Active,
        now: T0,
        supply: 60,
        tier_minted: vec![0; tiers.len()],
        tiers,
        wallet_minted: HashMap::new(),
        items: HashMap::new(),
        minted: 0,
        burned: 0,
        redeemed: vec![0; benefits.len()],
        benefits,
        redemptions: vec![],
        income: 0,
        distributed_income: 0,
        tokens,
        minimum,
        deadline,
        airdropped: 0,
        untiered: 0,
        prices: HashMap::new(),
        refunded_items: HashSet::new(),
        refunded: 0,
        lists: vec![],
    };

    for step in 0..operations {
        let closing = step + 1 == operations;
        let op = if closing { 99 } else { rng.below(100) };
        // Preorder runs give a share of the mints' turns to airdrops, transfers and
        // refunds.
        let op = match (preorder, op) {
            (true, 0..=9) => 200 + op,
            _ => op,
        };
        let (name, predicted, result) = match op {
            200..=202 => {
                // The creator airdrops to a wallet: a new list, or a replay of one (refused).
                let replay = rng.below(4) == 0 && !m.lists.is_empty();
                let (list, w, total) = if replay {
                    m.lists[rng.below(m.lists.len() as u64) as usize]
                } else {
                    let mut list = [0u8; 32];
                    list[..8].copy_from_slice(&step.to_le_bytes());
                    (
                        list,
                        rng.below(WALLETS as u64) as usize,
                        1 + rng.below(2) as u32,
                    )
                };
                let tier = match rng.below(2) {
                    0 => None,
                    _ => Some(rng.below(m.tiers.len() as u64) as u8),
                };
                let q = total as u8;
                let tier_room = tier.is_none_or(|t| {
                    m.tier_minted[usize::from(t)] + u64::from(q) <= m.tiers[usize::from(t)].supply
                });
                let ok = !replay
                    && m.status != DropStatus::Closed
                    && m.threshold() != ThresholdState::Failed
                    && m.minted + u64::from(q) <= m.supply
                    && tier_room;
                let request = instructions::AirdropRequest {
                    authority: creator.pubkey(),
                    drop,
                    standard,
                    soulbound: false,
                    preorder,
                    open: false,
                    collection_mint,
                    tier_id: tier,
                    list,
                    recipient: wallets[w].pubkey(),
                    total,
                    first_index: m.minted + 1,
                    quantity: q,
                };
                let ixs = vec![
                    instructions::compute_unit_limit(1_400_000),
                    instructions::airdrop(&request),
                ];
                let result = f.send(&ixs, &creator, &[]).await;
                if result.is_ok() {
                    for i in 0..u64::from(q) {
                        m.items.insert(m.minted + 1 + i, (w, tier));
                    }
                    m.minted += u64::from(q);
                    m.airdropped += u64::from(q);
                    match tier {
                        Some(t) => m.tier_minted[usize::from(t)] += u64::from(q),
                        None => m.untiered += u64::from(q),
                    }
                    m.lists.push((list, w, total));
                }
                ("airdrop", ok, result)
            }
            203..=205 => {
                // A holder passes an item to another wallet: its refund goes with it.
                let mut held: Vec<(u64, usize)> =
                    m.items.iter().map(|(index, (w, _))| (*index, *w)).collect();
                if held.is_empty() {
                    continue;
                }
                held.sort_unstable();
                let (index, from) = held[rng.below(held.len() as u64) as usize];
                let to = (from + 1 + rng.below(WALLETS as u64 - 1) as usize) % WALLETS;
                let result = f
                    .transfer_item(
                        standard,
                        &drop,
                        index,
                        &wallets[from],
                        &wallets[to].pubkey(),
                    )
                    .await;
                if result.is_ok() {
                    if let Some(item) = m.items.get_mut(&index) {
                        item.0 = to;
                    }
                }
                ("transfer", true, result)
            }
            206..=209 => {
                // A holder asks for refunds of up to 4 of its items, now and then naming
                // one already refunded (which must be refused).
                let w = rng.below(WALLETS as u64) as usize;
                let mut held: Vec<u64> = m
                    .items
                    .iter()
                    .filter(|(_, (holder, _))| *holder == w)
                    .map(|(index, _)| *index)
                    .collect();
                held.sort_unstable();
                held.truncate(1 + rng.below(4) as usize);
                let again = rng.below(5) == 0 && !m.refunded_items.is_empty();
                if again {
                    let mut refunded: Vec<u64> = m.refunded_items.iter().copied().collect();
                    refunded.sort_unstable();
                    held.push(refunded[rng.below(refunded.len() as u64) as usize]);
                    held.truncate(4);
                    held.rotate_right(1);
                }
                if held.is_empty() {
                    continue;
                }
                let ok = !again && m.threshold() == ThresholdState::Failed;
                let ix = instructions::refund(
                    &wallets[w].pubkey(),
                    &drop,
                    standard,
                    &collection_mint,
                    currency,
                    &held,
                );
                let result = f
                    .send(
                        &[instructions::compute_unit_limit(1_400_000), ix],
                        &wallets[w],
                        &[],
                    )
                    .await;
                if result.is_ok() {
                    let amount: u64 = held.iter().filter_map(|i| m.prices.get(i)).sum();
                    m.refunded += amount;
                    if let Some(tokens) = &mut m.tokens {
                        tokens.refunded[w] += amount;
                    }
                    m.burned += held.len() as u64;
                    for index in &held {
                        m.items.remove(index);
                        m.refunded_items.insert(*index);
                    }
                }
                ("refund", ok, result)
            }
            0..=49 => {
                // Mint.
                let w = rng.below(WALLETS as u64) as usize;
                let t = rng.below(m.tiers.len() as u64) as u8;
                let q = 1 + rng.below(3) as u8;
                let tc = &m.tiers[usize::from(t)];
                let already = *m.wallet_minted.get(&(w, t)).unwrap_or(&0);
                let ok = m.status == DropStatus::Active
                    && m.threshold() != ThresholdState::Failed
                    && q <= microdrop::constants::max_items_per_mint(standard)
                    && m.now >= tc.start
                    && m.now < tc.end
                    && m.minted + u64::from(q) <= m.supply
                    && m.tier_minted[usize::from(t)] + u64::from(q) <= tc.supply
                    && already + u32::from(q) <= tc.per_wallet;
                let request = instructions::MintRequest {
                    drop,
                    standard,
                    soulbound: false,
                    preorder,
                    open: false,
                    collection_mint,
                    currency,
                    tier_id: t,
                    buyer: wallets[w].pubkey(),
                    first_index: m.minted + 1,
                    quantity: q,
                    allowance: None,
                    proof: vec![],
                    holder: None,
                    holder_record: None,
                    voucher: None,
                };
                let ixs = vec![
                    instructions::compute_unit_limit(1_400_000),
                    instructions::mint(&request),
                ];
                let result = f.send(&ixs, &wallets[w], &[]).await;
                if result.is_ok() {
                    let pending = m.threshold() == ThresholdState::Pending;
                    for i in 0..u64::from(q) {
                        m.items.insert(m.minted + 1 + i, (w, Some(t)));
                        if pending {
                            m.prices.insert(m.minted + 1 + i, tc.price);
                        }
                    }
                    m.minted += u64::from(q);
                    m.tier_minted[usize::from(t)] += u64::from(q);
                    *m.wallet_minted.entry((w, t)).or_default() += u32::from(q);
                    let paid = tc.price * u64::from(q);
                    match &mut m.tokens {
                        Some(tokens) => {
                            tokens.spent[w] += paid;
                            tokens.income += paid;
                        }
                        None => m.income += paid,
                    }
                }
                ("mint", ok, result)
            }
            50..=57 => {
                // Clock jump forward.
                let jump = 1 + rng.below(2_000) as i64;
                m.now += jump;
                f.warp_to(m.now).await;
                ("clock", true, Ok(()))
            }
            58..=67 => {
                // Redeem with the first qualifying items of a random holder.
                let b = rng.below(m.benefits.len() as u64) as usize;
                let w = rng.below(WALLETS as u64) as usize;
                let bc = m.benefits[b].clone();
                let mut held: Vec<u64> = m
                    .items
                    .iter()
                    .filter(|(_, (holder, tier))| {
                        *holder == w
                            && (bc.tier_mask == 0
                                || tier.is_some_and(|t| bc.tier_mask & (1 << t) != 0))
                    })
                    .map(|(index, _)| *index)
                    .collect();
                held.sort_unstable();
                if held.len() < usize::from(bc.burn) {
                    continue;
                }
                held.truncate(usize::from(bc.burn));
                let ok = m.status != DropStatus::Paused
                    && matches!(
                        m.threshold(),
                        ThresholdState::Unconditional | ThresholdState::Met
                    )
                    && bc.start.is_none_or(|s| m.now >= s)
                    && bc.end.is_none_or(|e| m.now < e)
                    && m.redeemed[b] < bc.supply;
                let ix = instructions::redeem(
                    &wallets[w].pubkey(),
                    &drop,
                    standard,
                    &collection_mint,
                    b as u8,
                    m.redeemed[b],
                    &held,
                );
                let result = f
                    .send(
                        &[instructions::compute_unit_limit(1_400_000), ix],
                        &wallets[w],
                        &[],
                    )
                    .await;
                if result.is_ok() {
                    let receipt = pda::redemption(&pda::benefit(&drop, b as u8).0, m.redeemed[b]).0;
                    m.redemptions.push((receipt, false));
                    m.redeemed[b] += 1;
                    m.burned += u64::from(bc.burn);
                    for index in &held {
                        m.items.remove(index);
                    }
                }
                ("redeem", ok, result)
            }
            68..=71 => {
                // Fulfil a random redemption (twice is refused).
                if m.redemptions.is_empty() {
                    continue;
                }
                let r = rng.below(m.redemptions.len() as u64) as usize;
                let (receipt, done) = m.redemptions[r];
                let ix = instructions::fulfill(&creator.pubkey(), &drop, &receipt, [r as u8; 32]);
                let result = f.send(&[ix], &creator, &[]).await;
                if result.is_ok() {
                    m.redemptions[r].1 = true;
                }
                ("fulfill", !done, result)
            }
            72..=79 => {
                // Distribute (anyone may): a token drop's sales or, as for a SOL drop,
                // the vault's lamports.
                let state: Drop = f.anchor_account(&drop).await;
                let in_tokens = currency_mint.filter(|_| rng.below(2) == 0);
                let ix = instructions::distribute(&drop, &state.splits, in_tokens.as_ref());
                let w = rng.below(WALLETS as u64) as usize;
                let result = f.send(&[ix], &wallets[w], &[]).await;
                // A pending preorder pays nothing; a failed one only what exceeds the
                // outstanding refunds in its currency.
                let threshold = m.threshold();
                let held_back = match threshold {
                    ThresholdState::Failed => m.refunded + m.escrowed(),
                    _ => 0,
                };
                // Before the first sale a distribution pays nothing.
                if result.is_ok() && m.minted > 0 {
                    match (&mut m.tokens, in_tokens) {
                        (Some(tokens), Some(_)) => {
                            tokens.distributed_income = tokens.income - held_back
                        }
                        (Some(_), None) => m.distributed_income = m.income,
                        (None, _) => m.distributed_income = m.income - held_back,
                    }
                }
                ("distribute", threshold != ThresholdState::Pending, result)
            }
            80..=85 => {
                // A marketplace royalty straight into the vault.
                let amount = 1 + rng.below(5_000_000);
                f.transfer(&vault, amount).await;
                m.income += amount;
                ("royalty", true, Ok(()))
            }
            86..=91 => {
                // Pause, or resume a paused drop; tier updates while paused.
                let (next, ok) = match m.status {
                    DropStatus::Active => (DropStatus::Paused, true),
                    DropStatus::Paused => (DropStatus::Active, true),
                    other => (other, false),
                };
                let ix = instructions::set_drop_status(&creator.pubkey(), &drop, next);
                let result = f.send(&[ix], &creator, &[]).await;
                if result.is_ok() {
                    m.status = next;
                }
                if m.status == DropStatus::Paused && rng.below(2) == 0 {
                    let t = rng.below(m.tiers.len() as u64) as usize;
                    let mut config = m.tiers[t].clone();
                    config.per_wallet = 1 + rng.below(6) as u32;
                    // Sometimes below what sold: must be refused.
                    config.supply = m.tier_minted[t].saturating_sub(1) + rng.below(4);
                    let total: u64 = m
                        .tiers
                        .iter()
                        .enumerate()
                        .map(|(i, c)| if i == t { config.supply } else { c.supply })
                        .sum();
                    let ok = config.supply >= m.tier_minted[t]
                        && config.supply >= 1
                        && total <= m.supply;
                    // The price may change too: a preorder refunds what each item cost.
                    if preorder {
                        config.price = 1 + rng.below(50_000);
                    }
                    let ix = instructions::update_tier(
                        &creator.pubkey(),
                        &drop,
                        t as u8,
                        config.clone(),
                    );
                    let update = f.send(&[ix], &creator, &[]).await;
                    if update.is_ok() {
                        m.tiers[t] = config;
                    }
                    check(&mut report, "update_tier", ok, &update);
                }
                ("status", ok, result)
            }
            _ => {
                // Close (always the last step; sometimes earlier).
                if !closing && rng.below(10) != 0 {
                    continue;
                }
                let ok = m.status != DropStatus::Closed;
                let ix =
                    instructions::set_drop_status(&creator.pubkey(), &drop, DropStatus::Closed);
                let result = f.send(&[ix], &creator, &[]).await;
                if result.is_ok() {
                    m.status = DropStatus::Closed;
                }
                ("close", ok, result)
            }
        };
        report.operations += 1;
        check(&mut report, name, predicted, &result);
        check_state(
            &mut f,
            &mut report,
            &m,
            &drop,
            reserve,
            &recipients,
            &recipient_start,
            &wallets,
        )
        .await;
    }
    report
}

fn check(
    report: &mut Report,
    name: &'static str,
    predicted: bool,
    result: &Result<(), solana_transaction_error::TransactionError>,
) {
    match (predicted, result) {
        (true, Ok(())) => {
            report.accepted += 1;
            *report.accepted_by.entry(name).or_default() += 1;
        }
        (false, Err(_)) => report.refused += 1,
        (true, Err(e)) => report.violations.push(format!(
            "{name}: the rules allow it, the program refused: {e:?}"
        )),
        (false, Ok(())) => report
            .violations
            .push(format!("{name}: the rules refuse it, the program accepted")),
    }
}

#[allow(clippy::too_many_arguments)]
async fn check_state(
    f: &mut Fixture,
    report: &mut Report,
    m: &Model,
    drop: &Pubkey,
    reserve: u64,
    recipients: &[Keypair],
    recipient_start: &[u64],
    wallets: &[Keypair],
) {
    let mut fail = |what: String| report.violations.push(what);
    let state: Drop = f.anchor_account(drop).await;
    if state.minted > state.supply || state.minted != m.minted || state.burned != m.burned {
        fail(format!(
            "drop counters {}/{} burned {} vs model {}/{} burned {}",
            state.minted, state.supply, state.burned, m.minted, m.supply, m.burned
        ));
    }
    if state.status != m.status {
        fail(format!("status {:?} vs model {:?}", state.status, m.status));
    }
    let mut tier_total = 0;
    for (t, config) in m.tiers.iter().enumerate() {
        let tier: Tier = f.anchor_account(&pda::tier(drop, t as u8).0).await;
        tier_total += tier.minted;
        if tier.minted > tier.supply || tier.minted != m.tier_minted[t] || tier.config() != *config
        {
            fail(format!(
                "tier {t}: {}/{} vs model {}/{}",
                tier.minted, tier.supply, m.tier_minted[t], config.supply
            ));
        }
        for (w, wallet) in wallets.iter().enumerate() {
            let address = pda::wallet_record(&pda::tier(drop, t as u8).0, &wallet.pubkey()).0;
            let on_chain = match f.account(&address).await {
                Some(account) => {
                    <WalletRecord as anchor_lang::AccountDeserialize>::try_deserialize(
                        &mut account.data.as_slice(),
                    )
                    .map_or(u32::MAX, |r| r.minted)
                }
                None => 0,
            };
            let model = *m.wallet_minted.get(&(w, t as u8)).unwrap_or(&0);
            if on_chain != model || on_chain > config.per_wallet.max(model) {
                fail(format!(
                    "wallet {w} tier {t}: record {on_chain} vs model {model}"
                ));
            }
        }
    }
    if tier_total + m.untiered != state.minted {
        fail(format!(
            "tiers sold {tier_total} and {} were airdropped outside them, the drop {}",
            m.untiered, state.minted
        ));
    }
    // Money: income = what the vault holds above its reserve + what it paid out (to the
    // split, and in refunds when the drop is priced in SOL).
    let vault = f.balance(&pda::vault(drop).0).await;
    let lamports_refunded = if m.tokens.is_none() { m.refunded } else { 0 };
    if vault < reserve
        || vault - reserve + state.distributed_lamports + lamports_refunded != m.income
    {
        fail(format!(
            "vault {vault} (reserve {reserve}) + distributed {} + refunded {lamports_refunded} \
             != income {}",
            state.distributed_lamports, m.income
        ));
    }
    check_refunds(f, m, drop, &state, &mut fail).await;
    // Until the minimum sells, and once it failed, what buyers paid stays to refund them.
    let owes_refunds = matches!(
        m.threshold(),
        ThresholdState::Pending | ThresholdState::Failed
    );
    if owes_refunds && m.tokens.is_none() && vault.saturating_sub(reserve) < state.escrowed {
        fail(format!(
            "the vault holds {} lamports above its reserve, less than the {} it owes refunds",
            vault.saturating_sub(reserve),
            state.escrowed
        ));
    }
    let mut received = Vec::new();
    for (recipient, start) in recipients.iter().zip(recipient_start) {
        received.push(f.balance(&recipient.pubkey()).await - start);
    }
    let recorded: Vec<u64> = state.splits.iter().map(|s| s.paid_lamports).collect();
    check_payouts(
        "lamports",
        &received,
        &recorded,
        m.distributed_income,
        &mut fail,
    );
    if let Some(tokens) = &m.tokens {
        let mut held = 0;
        for (w, wallet) in wallets.iter().enumerate() {
            let balance = f
                .token_balance(&pda::associated_token(&wallet.pubkey(), &tokens.mint).0)
                .await;
            held += balance;
            if balance + tokens.spent[w] != BUYER_TOKENS + tokens.refunded[w] {
                fail(format!(
                    "buyer {w}: holds {balance} tokens after spending {} and getting {} back",
                    tokens.spent[w], tokens.refunded[w]
                ));
            }
        }
        let vault_tokens = f
            .token_balance(&pda::associated_token(&pda::vault(drop).0, &tokens.mint).0)
            .await;
        held += vault_tokens;
        if vault_tokens + state.distributed_tokens + m.refunded != tokens.income {
            fail(format!(
                "vault {vault_tokens} tokens + distributed {} + refunded {} != sales {}",
                state.distributed_tokens, m.refunded, tokens.income
            ));
        }
        if owes_refunds && vault_tokens < state.escrowed {
            fail(format!(
                "the vault holds {vault_tokens} tokens, less than the {} it owes refunds",
                state.escrowed
            ));
        }
        let mut received = Vec::new();
        for recipient in recipients {
            received.push(
                f.token_balance(&pda::associated_token(&recipient.pubkey(), &tokens.mint).0)
                    .await,
            );
        }
        let recorded: Vec<u64> = state.splits.iter().map(|s| s.paid_tokens).collect();
        held += check_payouts(
            "tokens",
            &received,
            &recorded,
            tokens.distributed_income,
            &mut fail,
        );
        if held != BUYER_TOKENS * wallets.len() as u64 {
            fail(format!(
                "tokens across buyers, vault and recipients: {held}, issued {}",
                BUYER_TOKENS * wallets.len() as u64
            ));
        }
    }
    for (b, config) in m.benefits.iter().enumerate() {
        let benefit: Benefit = f.anchor_account(&pda::benefit(drop, b as u8).0).await;
        if benefit.redeemed != m.redeemed[b] || benefit.redeemed > config.supply {
            fail(format!(
                "benefit {b}: redeemed {} vs model {}",
                benefit.redeemed, m.redeemed[b]
            ));
        }
    }
    for (receipt, fulfilled) in &m.redemptions {
        let r: Redemption = f.anchor_account(receipt).await;
        let status = if *fulfilled {
            RedemptionStatus::Fulfilled
        } else {
            RedemptionStatus::Pending
        };
        if r.status != status {
            fail(format!(
                "redemption {receipt}: {:?}, model {status:?}",
                r.status
            ));
        }
    }
}

/// A preorder's books: the drop's counters are the model's; refunds plus what is held for
/// them equal what the recorded items cost (so refunds never exceed what was paid); and
/// each item's entry in the item-price table says what it cost and whether it was
/// refunded (so no payment is refunded twice).
async fn check_refunds(
    f: &mut Fixture,
    m: &Model,
    drop: &Pubkey,
    state: &Drop,
    fail: &mut impl FnMut(String),
) {
    let escrowed = m.escrowed();
    let paid: u64 = m.prices.values().sum();
    if state.airdropped != m.airdropped
        || state.escrowed != escrowed
        || state.refunded != m.refunded
        || state.refunded + state.escrowed != paid
    {
        fail(format!(
            "airdropped {} escrowed {} refunded {} vs model {} {escrowed} {} (paid {paid})",
            state.airdropped, state.escrowed, state.refunded, m.airdropped, m.refunded
        ));
    }
    if m.minimum == 0 {
        return;
    }
    let table = f
        .account(&pda::item_prices(drop).0)
        .await
        .map(|a| a.data)
        .unwrap_or_default();
    for index in 1..=m.minted {
        let entry = item_prices::entry(&table, index).unwrap_or((u8::MAX, 0));
        let expected = match (m.prices.get(&index), m.refunded_items.contains(&index)) {
            (Some(price), true) => (item_prices::REFUNDED, *price),
            (Some(price), false) => (item_prices::PAID, *price),
            (None, _) => (item_prices::UNRECORDED, 0),
        };
        // An unrecorded item beyond the table reads as unrecorded; once refunded, a free
        // item's entry (inside the table) says so.
        let free_refunded = expected.0 == item_prices::UNRECORDED
            && m.refunded_items.contains(&index)
            && entry == (item_prices::REFUNDED, 0);
        if entry != expected && !free_refunded {
            fail(format!("item {index}: entry {entry:?}, model {expected:?}"));
        }
    }
}

/// Each recipient received, and the drop recorded, exactly its share of `distributed`,
/// leaving less dust than there are recipients. Returns the total received.
fn check_payouts(
    unit: &str,
    received: &[u64],
    recorded: &[u64],
    distributed: u64,
    fail: &mut impl FnMut(String),
) -> u64 {
    for (i, share) in SHARES.iter().enumerate() {
        let expected = distributed * u64::from(*share) / 10_000;
        if received[i] != expected || recorded[i] != received[i] {
            fail(format!(
                "recipient {i}: received {} {unit}, recorded {}, expected {expected}",
                received[i], recorded[i]
            ));
        }
    }
    let total: u64 = received.iter().sum();
    match distributed.checked_sub(total) {
        Some(dust) if dust < received.len() as u64 => {}
        _ => fail(format!(
            "{unit}: {total} paid out of {distributed} distributed, dust must be below {}",
            received.len()
        )),
    }
    total
}
