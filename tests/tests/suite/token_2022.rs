//! Token-2022 drops: the collection group, the items (metadata, membership, close
//! authority, soulbound), burning with all rent back, holder gates on Token-2022
//! collections, and the refusals that keep them honest.

use anchor_spl::token_2022::spl_token_2022::{
    self,
    extension::{
        mint_close_authority::MintCloseAuthority, BaseStateWithExtensions, ExtensionType,
        StateWithExtensions,
    },
    state::{Account as TokenState, Mint as MintState},
};
use microdrop::{
    errors::MicrodropError,
    state::{Drop, DropStatus, ItemStandard, Redemption, TierConfig},
};
use microdrop_sdk::{
    instructions::{self, MintRequest},
    items::token_2022 as t22,
    pda, Keypair, Pubkey, Signer, TOKEN_2022_PROGRAM_ID,
};
use microdrop_tests::{anchor_error, assert_tx_error, program_error, Fixture, SOL};
use solana_account::Account;
use solana_instruction_error::InstructionError;
use solana_transaction_error::TransactionError;

use crate::support::{drop_args, launch_with, mint, mint_ixs, perk, tier, TestDrop, T0, TREASURY};

const PRICE: u64 = SOL / 100;

fn t22_args(id: &str, supply: u64) -> microdrop::instructions::CreateDropArgs {
    microdrop::instructions::CreateDropArgs {
        supply,
        standard: ItemStandard::Token2022,
        ..drop_args(id)
    }
}

async fn launch_t22(f: &mut Fixture, id: &str, supply: u64, tiers: Vec<TierConfig>) -> TestDrop {
    let creator = f.wallet(100 * SOL).await;
    launch_with(f, creator, t22_args(id, supply), None, tiers).await
}

fn mint_state(account: &Account) -> StateWithExtensions<'_, MintState> {
    StateWithExtensions::<MintState>::unpack(&account.data).expect("a Token-2022 mint")
}

async fn rent(f: &mut Fixture, len: usize) -> u64 {
    f.context
        .banks_client
        .get_rent()
        .await
        .unwrap()
        .minimum_balance(len)
}

#[tokio::test]
async fn a_token_2022_drop_mints_group_members_carrying_their_metadata() {
    let mut f = Fixture::new().await;
    let d = launch_t22(&mut f, "t22", 50, vec![tier("public", PRICE, 50, 5)]).await;
    let state: Drop = f.anchor_account(&d.address).await;
    assert_eq!(
        (state.standard, state.soulbound),
        (ItemStandard::Token2022, false)
    );

    // The collection: a Token-2022 group sized to the supply, with metadata, held by the
    // creator; only the drop PDA updates either, and nobody can mint more.
    let collection = f.account(&d.collection_mint).await.unwrap();
    assert_eq!(collection.owner, TOKEN_2022_PROGRAM_ID);
    let meta = t22::metadata(&collection.data).unwrap();
    assert_eq!(
        (meta.name.as_str(), meta.symbol.as_str(), meta.uri.as_str()),
        (
            "Spring Zine",
            "ZINE",
            "https://example.com/zine/collection.json"
        )
    );
    assert_eq!(
        Option::<Pubkey>::from(meta.update_authority),
        Some(d.address)
    );
    assert_eq!(t22::group(&collection.data), Some((0, 50)));
    assert!(mint_state(&collection).base.mint_authority.is_none());
    let creator_token = pda::associated_token_2022(&d.creator.pubkey(), &d.collection_mint).0;
    assert_eq!(f.token_balance(&creator_token).await, 1);

    // Three items in one mint transaction.
    f.warp_to(T0).await;
    let buyer = f.wallet(SOL).await;
    let vault_before = f.balance(&pda::vault(&d.address).0).await;
    mint(&mut f, &d.address, 0, &buyer, 3)
        .await
        .expect("3 items");
    assert_eq!(
        f.balance(&pda::vault(&d.address).0).await,
        vault_before + 3 * PRICE
    );
    for index in 1..=3u64 {
        let item = pda::item_mint(&d.address, index).0;
        let account = f.account(&item).await.unwrap();
        assert_eq!(account.owner, TOKEN_2022_PROGRAM_ID);
        // Funded exactly: everything in it is its rent, all of which a burn returns.
        assert_eq!(account.lamports, rent(&mut f, account.data.len()).await);
        let mint = mint_state(&account);
        assert_eq!((mint.base.supply, mint.base.decimals), (1, 0));
        assert!(mint.base.mint_authority.is_none());
        assert!(mint.base.freeze_authority.is_none());
        let close = mint.get_extension::<MintCloseAuthority>().unwrap();
        assert_eq!(
            Option::<Pubkey>::from(close.close_authority),
            Some(d.address)
        );
        assert!(!t22::is_soulbound(&account.data));
        assert_eq!(t22::group_of(&account.data, &item), Some(d.collection_mint));
        let meta = t22::metadata(&account.data).unwrap();
        assert_eq!(meta.name, format!("Spring Zine #{index}"));
        assert_eq!(meta.uri, format!("https://example.com/zine/{index}.json"));
        assert_eq!(
            Option::<Pubkey>::from(meta.update_authority),
            Some(d.address)
        );
        let vault = pda::vault(&d.address).0.to_string();
        assert_eq!(
            meta.additional_metadata,
            vec![
                ("royalty_basis_points".to_string(), "500".to_string()),
                (vault, "100".to_string()),
                ("tier".to_string(), "0".to_string()),
            ]
        );
        let token = pda::associated_token_2022(&buyer.pubkey(), &item).0;
        let token_account = f.account(&token).await.unwrap();
        let token_state = StateWithExtensions::<TokenState>::unpack(&token_account.data).unwrap();
        assert_eq!(
            (
                token_state.base.owner,
                token_state.base.mint,
                token_state.base.amount
            ),
            (buyer.pubkey(), item, 1)
        );
    }
    let collection = f.account(&d.collection_mint).await.unwrap();
    assert_eq!(t22::group(&collection.data), Some((3, 50)));
    // Token-2022 items do not grow the item-tier table: the tier is in the item.
    let table = f.account(&pda::item_tiers(&d.address).0).await.unwrap();
    assert_eq!(table.data.len(), microdrop::state::item_tiers::HEADER_LEN);
}

#[tokio::test]
async fn soulbound_items_cannot_be_transferred_and_need_token_2022() {
    let mut f = Fixture::new().await;
    let creator = f.wallet(100 * SOL).await;
    let args = microdrop::instructions::CreateDropArgs {
        transferable: false,
        ..t22_args("badge", 10)
    };
    let d = launch_with(&mut f, creator, args, None, vec![tier("attend", 0, 10, 2)]).await;
    f.warp_to(T0).await;
    let holder = f.wallet(SOL).await;
    mint(&mut f, &d.address, 0, &holder, 1).await.unwrap();
    let item = pda::item_mint(&d.address, 1).0;
    let account = f.account(&item).await.unwrap();
    assert!(t22::is_soulbound(&account.data));
    let state: Drop = f.anchor_account(&d.address).await;
    assert!(state.soulbound);

    // A transfer is refused by Token-2022 itself.
    let friend = f.wallet(SOL).await;
    let from = pda::associated_token_2022(&holder.pubkey(), &item).0;
    let to = pda::associated_token_2022(&friend.pubkey(), &item).0;
    let open = spl_associated_token_account_create(&holder.pubkey(), &friend.pubkey(), &item);
    f.send(&[open], &holder, &[])
        .await
        .expect("friend's account");
    let transfer = spl_token_2022::instruction::transfer_checked(
        &TOKEN_2022_PROGRAM_ID,
        &from,
        &item,
        &to,
        &holder.pubkey(),
        &[],
        1,
        0,
    )
    .unwrap();
    assert_tx_error(
        f.send(&[transfer], &holder, &[]).await,
        TransactionError::InstructionError(
            0,
            InstructionError::Custom(spl_token_2022::error::TokenError::NonTransferable as u32),
        ),
    );

    // Token Metadata items cannot be soulbound.
    let creator = f.wallet(10 * SOL).await;
    let args = microdrop::instructions::CreateDropArgs {
        transferable: false,
        ..drop_args("tm-badge")
    };
    let ix = instructions::create_drop(&creator.pubkey(), None, args);
    assert_tx_error(
        f.send(&[ix], &creator, &[]).await,
        program_error(0, MicrodropError::DropSoulboundNeedsToken2022),
    );
}

/// The ATA program's idempotent create of `owner`'s Token-2022 account for `mint`.
fn spl_associated_token_account_create(
    payer: &Pubkey,
    owner: &Pubkey,
    mint: &Pubkey,
) -> microdrop_sdk::Instruction {
    microdrop_sdk::Instruction {
        program_id: microdrop_sdk::ASSOCIATED_TOKEN_PROGRAM_ID,
        accounts: vec![
            solana_message::AccountMeta::new(*payer, true),
            solana_message::AccountMeta::new(pda::associated_token_2022(owner, mint).0, false),
            solana_message::AccountMeta::new_readonly(*owner, false),
            solana_message::AccountMeta::new_readonly(*mint, false),
            solana_message::AccountMeta::new_readonly(microdrop_sdk::SYSTEM_PROGRAM_ID, false),
            solana_message::AccountMeta::new_readonly(TOKEN_2022_PROGRAM_ID, false),
        ],
        data: vec![1],
    }
}

#[tokio::test]
async fn burning_a_token_2022_item_returns_all_of_its_rent() {
    let mut f = Fixture::new().await;
    let d = launch_t22(&mut f, "burns", 10, vec![tier("public", PRICE, 10, 5)]).await;
    let add = instructions::add_benefit(&d.creator.pubkey(), &d.address, 0, perk("zine", 1, 5));
    let pause = instructions::set_drop_status(&d.creator.pubkey(), &d.address, DropStatus::Paused);
    let resume = instructions::set_drop_status(&d.creator.pubkey(), &d.address, DropStatus::Active);
    f.send(&[pause, add, resume], &d.creator, &[])
        .await
        .unwrap();
    f.warp_to(T0).await;
    let holder = f.wallet(SOL).await;
    let stranger = f.wallet(SOL).await;
    mint(&mut f, &d.address, 0, &holder, 2).await.unwrap();
    let item = pda::item_mint(&d.address, 1).0;
    let token = pda::associated_token_2022(&holder.pubkey(), &item).0;
    let held = f.balances(&[item, token]).await;

    let redeem = |who: &Pubkey, indexes: &[u64], number: u64| {
        vec![
            instructions::compute_unit_limit(1_400_000),
            instructions::redeem(
                who,
                &d.address,
                ItemStandard::Token2022,
                &d.collection_mint,
                0,
                number,
                indexes,
            ),
        ]
    };
    // Someone else's item, signed by a stranger naming the holder's token account.
    let mut stolen = redeem(&stranger.pubkey(), &[1], 0);
    let n = stolen[1].accounts.len();
    stolen[1].accounts[n - 1].pubkey = token;
    assert_tx_error(
        f.send(&stolen, &stranger, &[]).await,
        program_error(1, MicrodropError::RedeemNotOwner),
    );
    // An item of another drop in this one's slot.
    let other = launch_t22(&mut f, "other", 10, vec![tier("public", PRICE, 10, 5)]).await;
    mint(&mut f, &other.address, 0, &holder, 1).await.unwrap();
    let mut foreign = redeem(&holder.pubkey(), &[1], 0);
    let theirs =
        instructions::item_accounts(ItemStandard::Token2022, &other.address, &holder.pubkey(), 1);
    foreign[1].accounts[n - 2].pubkey = theirs[0];
    foreign[1].accounts[n - 1].pubkey = theirs[1];
    assert_tx_error(
        f.send(&foreign, &holder, &[]).await,
        program_error(1, MicrodropError::RedeemItemInvalid),
    );
    // A token account of SPL Token, holding one token, in the item's token account slot.
    let currency = f.create_token_mint(&d.creator).await;
    let spl_account = f
        .fund_tokens(&d.creator, &currency, &holder.pubkey(), 1)
        .await;
    let mut wrong_program = redeem(&holder.pubkey(), &[1], 0);
    wrong_program[1].accounts[n - 1].pubkey = spl_account;
    assert_tx_error(
        f.send(&wrong_program, &holder, &[]).await,
        program_error(1, MicrodropError::RedeemItemInvalid),
    );
    // The Token-2022 program must be there.
    let mut missing = redeem(&holder.pubkey(), &[1], 0);
    let position = missing[1]
        .accounts
        .iter()
        .position(|a| a.pubkey == TOKEN_2022_PROGRAM_ID)
        .unwrap();
    missing[1].accounts[position].pubkey = microdrop::ID;
    assert_tx_error(
        f.send(&missing, &holder, &[]).await,
        program_error(1, MicrodropError::StandardAccountsMismatch),
    );

    let before = f.balance(&holder.pubkey()).await;
    f.send(&redeem(&holder.pubkey(), &[1], 0), &holder, &[])
        .await
        .expect("redeem");
    let receipt_address = pda::redemption(&pda::benefit(&d.address, 0).0, 0).0;
    let receipt_rent = f.balance(&receipt_address).await;
    // Everything the item held came back; the holder paid the receipt and the fee.
    assert_eq!(
        f.balance(&holder.pubkey()).await,
        before + held - receipt_rent - 5_000
    );
    assert!(f.account(&item).await.is_none(), "the mint is closed");
    assert!(
        f.account(&token).await.is_none(),
        "the token account is closed"
    );
    let receipt: Redemption = f.anchor_account(&receipt_address).await;
    assert_eq!(receipt.burned, vec![item]);
    let state: Drop = f.anchor_account(&d.address).await;
    assert_eq!(state.burned, 1);

    // A burned item cannot be burned again.
    assert_tx_error(
        f.send(&redeem(&holder.pubkey(), &[1], 1), &holder, &[])
            .await,
        program_error(1, MicrodropError::RedeemItemInvalid),
    );
}

/// A Token-2022 mint with one token for `owner` that points at itself as a group member
/// but was never added to any group.
async fn lone_token_2022_mint(f: &mut Fixture, owner: &Keypair) -> Pubkey {
    let mint = Keypair::new();
    let len =
        ExtensionType::try_calculate_account_len::<MintState>(&[ExtensionType::GroupMemberPointer])
            .unwrap();
    let lamports = rent(f, len).await;
    let ixs = vec![
        solana_system_create(&owner.pubkey(), &mint.pubkey(), lamports, len as u64),
        spl_token_2022::extension::group_member_pointer::instruction::initialize(
            &TOKEN_2022_PROGRAM_ID,
            &mint.pubkey(),
            Some(owner.pubkey()),
            Some(mint.pubkey()),
        )
        .unwrap(),
        spl_token_2022::instruction::initialize_mint2(
            &TOKEN_2022_PROGRAM_ID,
            &mint.pubkey(),
            &owner.pubkey(),
            None,
            0,
        )
        .unwrap(),
        spl_associated_token_account_create(&owner.pubkey(), &owner.pubkey(), &mint.pubkey()),
        spl_token_2022::instruction::mint_to(
            &TOKEN_2022_PROGRAM_ID,
            &mint.pubkey(),
            &pda::associated_token_2022(&owner.pubkey(), &mint.pubkey()).0,
            &owner.pubkey(),
            &[],
            1,
        )
        .unwrap(),
    ];
    f.send(&ixs, owner, &[&mint]).await.expect("lone mint");
    mint.pubkey()
}

fn solana_system_create(
    payer: &Pubkey,
    account: &Pubkey,
    lamports: u64,
    space: u64,
) -> microdrop_sdk::Instruction {
    let mut data = vec![0, 0, 0, 0];
    data.extend_from_slice(&lamports.to_le_bytes());
    data.extend_from_slice(&space.to_le_bytes());
    data.extend_from_slice(TOKEN_2022_PROGRAM_ID.as_ref());
    microdrop_sdk::Instruction {
        program_id: microdrop_sdk::SYSTEM_PROGRAM_ID,
        accounts: vec![
            solana_message::AccountMeta::new(*payer, true),
            solana_message::AccountMeta::new(*account, true),
        ],
        data,
    }
}

/// A new address holding `address`'s very bytes and lamports, owned by some other
/// program: spoofed Token-2022 data.
async fn copy_under_another_owner(f: &mut Fixture, address: &Pubkey) -> Pubkey {
    let genuine = f.account(address).await.unwrap();
    let copy = Pubkey::new_unique();
    f.context.set_account(
        &copy,
        &Account {
            owner: Pubkey::new_unique(),
            ..genuine
        }
        .into(),
    );
    copy
}

#[tokio::test]
async fn a_holder_gate_accepts_only_members_its_token_2022_collection_added() {
    let mut f = Fixture::new().await;
    let past = launch_t22(&mut f, "past", 10, vec![tier("public", PRICE, 10, 5)]).await;
    let elsewhere = launch_t22(&mut f, "elsewhere", 10, vec![tier("public", PRICE, 10, 5)]).await;
    let gated = TierConfig {
        holder_of: Some(past.collection_mint),
        ..tier("holders", PRICE, 10, 5)
    };
    // The gated drop is a Token Metadata drop: a gate's standard is its collection's.
    let creator = f.wallet(100 * SOL).await;
    let next = launch_with(&mut f, creator, drop_args("next"), None, vec![gated]).await;
    f.warp_to(T0).await;
    let fan = f.wallet(5 * SOL).await;
    mint(&mut f, &past.address, 0, &fan, 1).await.unwrap();
    mint(&mut f, &elsewhere.address, 0, &fan, 1).await.unwrap();
    let item = pda::item_mint(&past.address, 1).0;
    let token = pda::associated_token_2022(&fan.pubkey(), &item).0;

    let gated_mint = |f_buyer: Pubkey, holder: (Pubkey, Pubkey), first_index: u64| {
        let request = MintRequest {
            drop: next.address,
            standard: ItemStandard::TokenMetadata,
            soulbound: false,
            preorder: false,
            open: false,
            collection_mint: next.collection_mint,
            currency: microdrop::state::Currency::Sol,
            tier_id: 0,
            buyer: f_buyer,
            first_index,
            quantity: 1,
            allowance: None,
            proof: vec![],
            holder: Some(holder),
            holder_record: None,
            voucher: None,
        };
        vec![
            instructions::compute_unit_limit(1_400_000),
            instructions::mint(&request),
        ]
    };
    let refused = |error| program_error(1, error);

    // A member of another drop's group.
    let other_item = pda::item_mint(&elsewhere.address, 1).0;
    let other_token = pda::associated_token_2022(&fan.pubkey(), &other_item).0;
    assert_tx_error(
        f.send(
            &gated_mint(fan.pubkey(), (other_token, other_item), 1),
            &fan,
            &[],
        )
        .await,
        refused(MicrodropError::HolderWrongCollection),
    );
    // A Token-2022 mint no group ever added.
    let lone = lone_token_2022_mint(&mut f, &fan).await;
    let lone_token = pda::associated_token_2022(&fan.pubkey(), &lone).0;
    assert_tx_error(
        f.send(&gated_mint(fan.pubkey(), (lone_token, lone), 1), &fan, &[])
            .await,
        refused(MicrodropError::HolderCollectionUnverified),
    );
    // The genuine member's bytes, copied into an account of another program.
    let spoof = copy_under_another_owner(&mut f, &item).await;
    assert_tx_error(
        f.send(&gated_mint(fan.pubkey(), (token, spoof), 1), &fan, &[])
            .await,
        refused(MicrodropError::HolderItemInvalid),
    );
    // The same token account's bytes under a fake Token-2022 program.
    let fake_token = copy_under_another_owner(&mut f, &token).await;
    assert_tx_error(
        f.send(&gated_mint(fan.pubkey(), (fake_token, item), 1), &fan, &[])
            .await,
        refused(MicrodropError::HolderItemInvalid),
    );
    // Someone else's item.
    let stranger = f.wallet(SOL).await;
    assert_tx_error(
        f.send(
            &gated_mint(stranger.pubkey(), (token, item), 1),
            &stranger,
            &[],
        )
        .await,
        refused(MicrodropError::HolderNotOwner),
    );
    // The real member.
    f.send(&gated_mint(fan.pubkey(), (token, item), 1), &fan, &[])
        .await
        .expect("a holder of a member mints");
    let state: Drop = f.anchor_account(&next.address).await;
    assert_eq!(state.minted, 1);
}

#[tokio::test]
async fn a_token_2022_mint_needs_the_real_token_2022_program() {
    let mut f = Fixture::new().await;
    let d = launch_t22(&mut f, "programs", 10, vec![tier("public", PRICE, 10, 5)]).await;
    f.warp_to(T0).await;
    let buyer = f.wallet(SOL).await;
    let ixs = mint_ixs(&mut f, &d.address, 0, &buyer.pubkey(), 1, None).await;
    let position = ixs[1]
        .accounts
        .iter()
        .position(|a| a.pubkey == TOKEN_2022_PROGRAM_ID)
        .unwrap();
    // A program posing as Token-2022.
    let mut fake = ixs.clone();
    fake[1].accounts[position].pubkey = microdrop_sdk::TOKEN_PROGRAM_ID;
    assert_tx_error(
        f.send(&fake, &buyer, &[]).await,
        anchor_error(1, anchor_lang::error::ErrorCode::InvalidProgramId),
    );
    // None at all.
    let mut absent = ixs.clone();
    absent[1].accounts[position].pubkey = microdrop::ID;
    assert_tx_error(
        f.send(&absent, &buyer, &[]).await,
        program_error(1, MicrodropError::StandardAccountsMismatch),
    );
    // Item accounts of the other standard.
    let mut wrong = ixs.clone();
    let n = wrong[1].accounts.len();
    wrong[1].accounts[n - 1].pubkey =
        pda::associated_token(&buyer.pubkey(), &pda::item_mint(&d.address, 1).0).0;
    assert_tx_error(
        f.send(&wrong, &buyer, &[]).await,
        program_error(1, MicrodropError::ItemAccountsMismatch),
    );
    f.send(&ixs, &buyer, &[]).await.expect("the real program");
}

#[tokio::test]
async fn the_authority_corrects_a_token_2022_items_uri_paying_for_a_longer_one() {
    let mut f = Fixture::new().await;
    let d = launch_t22(&mut f, "fixes", 10, vec![tier("public", PRICE, 10, 5)]).await;
    f.warp_to(T0).await;
    let buyer = f.wallet(SOL).await;
    mint(&mut f, &d.address, 0, &buyer, 1).await.unwrap();
    let item = pda::item_mint(&d.address, 1).0;
    let longer = format!(
        "https://example.com/zine/corrected/{}/1.json",
        "x".repeat(60)
    );
    let update = |who: &Keypair| {
        instructions::update_item_uri(
            &who.pubkey(),
            &d.address,
            ItemStandard::Token2022,
            1,
            longer.clone(),
        )
    };
    let stranger = f.wallet(SOL).await;
    assert_tx_error(
        f.send(&[update(&stranger)], &stranger, &[]).await,
        program_error(0, MicrodropError::DropAuthorityMismatch),
    );
    f.send(&[update(&d.creator)], &d.creator, &[])
        .await
        .expect("update");
    let account = f.account(&item).await.unwrap();
    assert_eq!(t22::metadata(&account.data).unwrap().uri, longer);
    assert_eq!(account.lamports, rent(&mut f, account.data.len()).await);
    // The other fields stay.
    let meta = t22::metadata(&account.data).unwrap();
    assert_eq!(t22::field(&meta, "tier"), Some("0"));
}

/// One Token-2022 drop through its life: priced in an SPL token, an allow-listed tier, a
/// single-use voucher tier, proceeds distributed, then closed and the buyer's records
/// reclaimed.
#[tokio::test]
async fn a_token_2022_drop_sells_for_tokens_through_lists_and_vouchers_then_pays_out_and_closes() {
    use microdrop::voucher::VoucherMessage;
    use microdrop_sdk::voucher::SignedVoucher;

    let mut f = Fixture::new().await;
    let creator = f.wallet(100 * SOL).await;
    let buyer = f.wallet(5 * SOL).await;
    let currency = f.create_token_mint(&creator).await;
    f.fund_tokens(&creator, &currency, &buyer.pubkey(), 1_000_000)
        .await;
    f.fund_tokens(&creator, &currency, &TREASURY, 0).await;
    let id = "t22-life";
    let drop = pda::drop(&creator.pubkey(), id).0;
    let list =
        crate::support::allow_list(&drop, 0, &[(buyer.pubkey(), 2), (Pubkey::new_unique(), 1)]);
    let signer = Keypair::new();
    let listed = TierConfig {
        allowlist_root: Some(list.root()),
        ..tier("listed", 1_000, 10, 5)
    };
    let vouched = TierConfig {
        voucher_signer: Some(signer.pubkey()),
        ..tier("vouched", 2_000, 10, 5)
    };
    let d = launch_with(
        &mut f,
        creator,
        t22_args(id, 20),
        Some(currency),
        vec![listed, vouched],
    )
    .await;
    f.warp_to(T0).await;

    // The allow list: the proof lets the buyer mint its allowance, and no more.
    let proof = list.proof(&buyer.pubkey());
    let ixs = mint_ixs(&mut f, &d.address, 0, &buyer.pubkey(), 2, proof.clone()).await;
    f.send(&ixs, &buyer, &[]).await.expect("allow-listed mint");
    let ixs = mint_ixs(&mut f, &d.address, 0, &buyer.pubkey(), 1, proof).await;
    assert_tx_error(
        f.send(&ixs, &buyer, &[]).await,
        program_error(1, MicrodropError::WalletLimitReached),
    );

    // A single-use voucher, once.
    let state: Drop = f.anchor_account(&d.address).await;
    let voucher = SignedVoucher::sign(
        VoucherMessage {
            program: microdrop::ID,
            drop: d.address,
            tier_id: 1,
            wallet: buyer.pubkey(),
            max_quantity: 3,
            expires: T0 + 3_600,
            region: *b"NL",
            nonce: 9,
            single_use: true,
            salt: state.voucher_salt,
        },
        &signer,
    );
    let request = |first_index: u64| MintRequest {
        drop: d.address,
        standard: ItemStandard::Token2022,
        soulbound: false,
        preorder: false,
        open: false,
        collection_mint: d.collection_mint,
        currency: state.currency,
        tier_id: 1,
        buyer: buyer.pubkey(),
        first_index,
        quantity: 3,
        allowance: None,
        proof: vec![],
        holder: None,
        holder_record: None,
        voucher: Some(voucher.clone()),
    };
    let mut ixs = vec![instructions::compute_unit_limit(1_400_000)];
    ixs.extend(instructions::mint_instructions(&request(3)));
    f.send(&ixs, &buyer, &[])
        .await
        .expect("voucher mint of 3 items");
    let mut again = vec![instructions::compute_unit_limit(1_400_000)];
    // Within the wallet's limit, so the voucher's use is the reason.
    again.extend(instructions::mint_instructions(&MintRequest {
        quantity: 1,
        ..request(6)
    }));
    assert_tx_error(
        f.send(&again, &buyer, &[]).await,
        program_error(2, MicrodropError::VoucherAlreadyUsed),
    );
    let paid = 2 * 1_000 + 3 * 2_000;
    let buyer_tokens = pda::associated_token(&buyer.pubkey(), &currency).0;
    assert_eq!(f.token_balance(&buyer_tokens).await, 1_000_000 - paid);
    for index in 1..=5 {
        let item = pda::item_mint(&d.address, index).0;
        let token = pda::associated_token_2022(&buyer.pubkey(), &item).0;
        assert_eq!(f.token_balance(&token).await, 1, "item {index}");
        let account = f.account(&item).await.unwrap();
        let tier = if index <= 2 { "0" } else { "1" };
        let meta = t22::metadata(&account.data).unwrap();
        assert_eq!(t22::field(&meta, "tier"), Some(tier), "item {index}");
    }

    // The proceeds go out in the currency; then the drop closes and the buyer takes back
    // its records' rent.
    let state: Drop = f.anchor_account(&d.address).await;
    let payout = instructions::distribute(&d.address, &state.splits, Some(&currency));
    f.send(&[payout], &buyer, &[]).await.expect("distribute");
    let treasury_tokens = pda::associated_token(&TREASURY, &currency).0;
    assert_eq!(f.token_balance(&treasury_tokens).await, paid);
    let close = instructions::set_drop_status(&d.creator.pubkey(), &d.address, DropStatus::Closed);
    f.send(&[close], &d.creator, &[]).await.expect("close");
    for (tier_id, nonce) in [(0u8, None), (1, Some(9))] {
        let record = pda::wallet_record(&pda::tier(&d.address, tier_id).0, &buyer.pubkey()).0;
        let before = f.balance(&buyer.pubkey()).await;
        let held = f.balance(&record).await;
        let mut ixs = vec![instructions::close_wallet_record(
            &buyer.pubkey(),
            &d.address,
            tier_id,
        )];
        if let Some(nonce) = nonce {
            ixs.push(instructions::close_voucher_nonce(
                &buyer.pubkey(),
                &d.address,
                tier_id,
                nonce,
            ));
        }
        f.send(&ixs, &buyer, &[]).await.expect("reclaim");
        assert!(f.account(&record).await.is_none());
        assert!(f.balance(&buyer.pubkey()).await + 5_000 >= before + held);
    }
}

/// A mint of `quantity` from `tier_id` is refused with `error` and changes nothing.
async fn refused(
    f: &mut Fixture,
    drop: &Pubkey,
    buyer: &Keypair,
    tier_id: u8,
    quantity: u8,
    error: MicrodropError,
) {
    let before = crate::support::snapshot(f, drop, &buyer.pubkey()).await;
    let ixs = mint_ixs(f, drop, tier_id, &buyer.pubkey(), quantity, None).await;
    assert_tx_error(f.send(&ixs, buyer, &[]).await, program_error(1, error));
    assert_eq!(
        crate::support::snapshot(f, drop, &buyer.pubkey()).await,
        before
    );
    let next = pda::item_mint(drop, before.drop_minted + 1).0;
    assert!(f.account(&next).await.is_none(), "no item was made");
}

/// A Token-2022 drop refuses every mint its rules forbid, and a refused mint leaves
/// nothing behind: no item, no payment, no counter moved.
#[tokio::test]
async fn a_token_2022_drop_refuses_mints_outside_its_rules_and_changes_nothing() {
    use crate::support::{snapshot, DAY};
    let mut f = Fixture::new().await;
    let later = TierConfig {
        start: T0 + DAY,
        end: T0 + 2 * DAY,
        ..tier("later", PRICE, 1, 5)
    };
    // The tiers add up to the drop's supply, so the drop sells out with its last tier.
    let d = launch_t22(
        &mut f,
        "t22-rules",
        6,
        vec![tier("small", PRICE, 2, 2), later, tier("big", PRICE, 3, 3)],
    )
    .await;
    let buyer = f.wallet(SOL).await;
    let address = d.address;
    f.warp_to(T0 - 10).await;
    refused(
        &mut f,
        &address,
        &buyer,
        0,
        1,
        MicrodropError::TierNotStarted,
    )
    .await;
    f.warp_to(T0).await;
    refused(
        &mut f,
        &address,
        &buyer,
        1,
        1,
        MicrodropError::TierNotStarted,
    )
    .await;
    refused(&mut f, &address, &buyer, 0, 3, MicrodropError::TierSoldOut).await;
    refused(
        &mut f,
        &address,
        &buyer,
        2,
        4,
        MicrodropError::MintQuantityTooLarge,
    )
    .await;
    mint(&mut f, &address, 0, &buyer, 2)
        .await
        .expect("the small tier's two");
    refused(&mut f, &address, &buyer, 0, 1, MicrodropError::TierSoldOut).await;
    mint(&mut f, &address, 2, &buyer, 3)
        .await
        .expect("the big tier's three");
    f.warp_to(T0 + DAY).await;
    refused(&mut f, &address, &buyer, 2, 1, MicrodropError::TierEnded).await;
    mint(&mut f, &address, 1, &buyer, 1)
        .await
        .expect("the last item");
    refused(&mut f, &address, &buyer, 1, 1, MicrodropError::DropSoldOut).await;
    let pause = instructions::set_drop_status(&d.creator.pubkey(), &address, DropStatus::Paused);
    f.send(&[pause], &d.creator, &[]).await.unwrap();
    refused(
        &mut f,
        &address,
        &buyer,
        1,
        1,
        MicrodropError::DropNotActive,
    )
    .await;
    let one = TierConfig {
        end: T0 + 3 * DAY,
        ..tier("one", PRICE, 10, 1)
    };
    let other = launch_t22(&mut f, "t22-limit", 10, vec![one]).await;
    mint(&mut f, &other.address, 0, &buyer, 1).await.unwrap();
    let before = snapshot(&mut f, &other.address, &buyer.pubkey()).await;
    let ixs = mint_ixs(&mut f, &other.address, 0, &buyer.pubkey(), 1, None).await;
    assert_tx_error(
        f.send(&ixs, &buyer, &[]).await,
        program_error(1, MicrodropError::WalletLimitReached),
    );
    assert_eq!(
        snapshot(&mut f, &other.address, &buyer.pubkey()).await,
        before
    );
}

/// A benefit that takes only some tiers reads a Token-2022 item's tier from the item
/// itself, and refuses the others, outside its window and once exhausted.
#[tokio::test]
async fn a_token_2022_items_tier_decides_which_benefits_take_it() {
    use microdrop::state::BenefitConfig;
    let mut f = Fixture::new().await;
    let d = launch_t22(
        &mut f,
        "t22-perks",
        10,
        vec![tier("vip", PRICE, 5, 5), tier("public", PRICE, 5, 5)],
    )
    .await;
    let vip_only = BenefitConfig {
        label: "backstage".into(),
        burn: 1,
        supply: 1,
        start: Some(T0),
        end: Some(T0 + 100),
        tier_mask: 0b01,
    };
    let pause = instructions::set_drop_status(&d.creator.pubkey(), &d.address, DropStatus::Paused);
    let add = instructions::add_benefit(&d.creator.pubkey(), &d.address, 0, vip_only);
    let resume = instructions::set_drop_status(&d.creator.pubkey(), &d.address, DropStatus::Active);
    f.send(&[pause, add, resume], &d.creator, &[])
        .await
        .unwrap();
    f.warp_to(T0).await;
    let fan = f.wallet(SOL).await;
    mint(&mut f, &d.address, 1, &fan, 1).await.unwrap(); // item 1: public
    mint(&mut f, &d.address, 0, &fan, 2).await.unwrap(); // items 2, 3: vip
    let redeem = |indexes: &[u64], number: u64| {
        vec![
            instructions::compute_unit_limit(1_400_000),
            instructions::redeem(
                &fan.pubkey(),
                &d.address,
                ItemStandard::Token2022,
                &d.collection_mint,
                0,
                number,
                indexes,
            ),
        ]
    };
    assert_tx_error(
        f.send(&redeem(&[1], 0), &fan, &[]).await,
        program_error(1, MicrodropError::BenefitTierNotEligible),
    );
    f.send(&redeem(&[2], 0), &fan, &[])
        .await
        .expect("a vip item");
    assert_tx_error(
        f.send(&redeem(&[3], 1), &fan, &[]).await,
        program_error(1, MicrodropError::BenefitExhausted),
    );
    f.warp_to(T0 + 100).await;
    assert_tx_error(
        f.send(&redeem(&[3], 1), &fan, &[]).await,
        program_error(1, MicrodropError::BenefitNotOpen),
    );
}
