//! The integration fixture: a `solana-program-test` runtime with microdrop running natively
//! and Token Metadata, SPL Token, Token-2022 and ATA as their real sBPF binaries.
//!
//! [`Fixture`] boots the runtime, funds wallets, warps the clock, sends transactions and
//! asserts exact program errors (`InstructionError::Custom(code)`), never log text.
//!
//! # Security classes and their tests
//!
//! Every test below asserts the exact error. The fixture sends like an RPC node, with a
//! preflight simulation, so a refused transaction commits nothing (not even its fee); most
//! tests also re-read the accounts the attack aimed at (counters, balances, configs).
//!
//! | class | tests (in `tests/suite`) |
//! | --- | --- |
//! | missing or wrong signer for every authority action | `create_drop::the_authority_must_sign`, `set_drop_status::only_the_authority_can_change_status`, `set_drop_status::the_authority_must_sign_a_status_change`, `tiers::tiers_change_only_in_draft_or_paused_and_only_by_the_authority` (add and update tier), `splits::splits_change_until_the_first_sale_then_freeze`, `benefits::benefits_are_configured_by_the_authority_within_limits`, `benefits::the_creator_fulfils_each_redemption_once`, `benefits::redemptions_refuse_foreign_unverified_unowned_and_burned_items` (someone else's item), `lookup_table::the_authority_records_a_lookup_table` |
//! | wrong owner or type; another drop's tier, vault or record | `create_drop::rejects_a_currency_that_is_not_a_mint`, `tiers::a_tier_of_another_drop_cannot_be_updated_through_this_one`, `mint::proceeds_go_only_to_the_drops_vault`, `mint::pays_in_an_spl_token_into_the_vault`, `benefits::the_creator_fulfils_each_redemption_once` (another drop's redemption), `mint::wallet_records_close_only_after_the_drop_closes` (another wallet's record), `lookup_table::the_authority_records_a_lookup_table` (an account the lookup table program does not own) |
//! | seeds and bumps not canonical | `security::non_canonical_addresses_are_refused` |
//! | re-initialising any account | `create_drop::the_same_drop_cannot_be_created_twice`, `security::an_existing_tier_cannot_be_reinitialised`, `vouchers::a_single_use_voucher_cannot_be_replayed_and_its_record_closes_later` |
//! | arithmetic at u64 limits | `security::arithmetic_at_u64_limits_is_refused_by_name`, `splits::distributions_pay_exact_shares_and_carry_the_dust` (u128 intermediates) |
//! | remaining accounts out of order, duplicated or substituted | `mint::item_accounts_must_be_the_next_items`, `splits::recipients_must_come_in_order_and_be_the_real_ones`, `security::duplicated_accounts_are_refused` |
//! | closing a record early or to the wrong recipient | `mint::wallet_records_close_only_after_the_drop_closes`, `vouchers::a_single_use_voucher_cannot_be_replayed_and_its_record_closes_later` |
//! | the same mutable account passed twice | `security::duplicated_accounts_are_refused` |
//! | CPI to a fake Token, ATA or Token Metadata program | `create_drop::rejects_a_fake_token_metadata_program`, `security::fake_token_and_ata_programs_are_refused` |
//! | a fake Clock or Instructions sysvar | `security::a_fake_clock_account_is_ignored` (time comes from the syscall), `vouchers::the_voucher_must_come_right_before_the_mint_through_the_real_sysvar` |
//! | a front-run of another creator's drop id | `create_drop::a_creator_cannot_create_a_drop_at_another_creators_address` |
//! | griefing predictable addresses (with SIMD-0312 active and not) | `mint::lamports_sent_to_the_next_item_address_do_not_block_minting`, `audit::prefunded_addresses_are_created_with_and_without_simd_0312`, `limits::every_instruction_works_and_fits_without_simd_0312` (the griefed worst mint, a funded token ledger) |
//! | sBPF heap and instruction trace, which the native runtime does not enforce | `limits::every_instruction_fits_the_sbpf_heap_and_leaves_mints_trace_to_spare`, `sdk_client::mints_fall_back_to_fewer_items_when_the_trace_is_refused` |
//! | a gate item reused across wallets | `audit::a_holder_limit_follows_the_gate_item_not_the_wallet` |
//! | vouchers replayed from another cluster | `audit::vouchers_carry_the_drops_salt` |
//! | a stranger freezing the split; an unpayable recipient blocking payouts; other tokens stuck in the vault | `splits::splits_change_until_the_first_sale_then_freeze`, `splits::a_frozen_token_recipient_waits_and_blocks_nobody`, `splits::a_sol_recipient_that_cannot_receive_blocks_nobody`, `splits::other_tokens_in_the_vault_are_distributed_with_their_own_ledger` |
//! | handing the drop to a key that never accepts | `audit::the_authority_transfers_in_two_steps` |
//! | Token-2022: a fake Token-2022 program, or none | `token_2022::a_token_2022_mint_needs_the_real_token_2022_program`, `token_2022::burning_a_token_2022_item_returns_all_of_its_rent` |
//! | Token-2022: a mint of another group, or a mint no group added, as a gate or a burned item | `token_2022::a_holder_gate_accepts_only_members_its_token_2022_collection_added`, `token_2022::burning_a_token_2022_item_returns_all_of_its_rent` |
//! | Token-2022: spoofed extension data (a member's bytes in another program's account) | `token_2022::a_holder_gate_accepts_only_members_its_token_2022_collection_added` |
//! | Token-2022: a token account of the wrong program | `token_2022::a_holder_gate_accepts_only_members_its_token_2022_collection_added`, `token_2022::burning_a_token_2022_item_returns_all_of_its_rent`, `token_2022::a_token_2022_mint_needs_the_real_token_2022_program` (item accounts of the other standard) |
//! | Token-2022: a transfer of a soulbound item | `token_2022::soulbound_items_cannot_be_transferred_and_need_token_2022` |
//! | wallet records of the old layout | `mint::wallet_records_of_the_old_layout_keep_counting_and_shrink` |

pub mod invariants;
pub mod limits;

use anchor_lang::{prelude::Pubkey, AccountDeserialize};
use microdrop::{errors::MicrodropError, state::TierConfig};
use microdrop_sdk::{
    events::{decode_event, Event},
    heap,
    sandbox::{bridge_syscall_stubs, program_test},
};
use solana_account::Account;
use solana_keypair::Keypair;
use solana_message::Instruction;
use solana_program_test::ProgramTestContext;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;

pub use solana_instruction_error::InstructionError;

/// One lamport short of a SOL, and so on.
pub const SOL: u64 = 1_000_000_000;

/// What a committed transaction emitted and used.
#[derive(Debug)]
pub struct Sent {
    /// The program's events, in order.
    pub events: Vec<Event>,
    /// Instruction trace entries: top-level instructions plus every CPI (at most
    /// [`MAX_TRACE`] on a real cluster).
    pub trace: usize,
    /// The largest sBPF heap any microdrop invocation of the transaction would use, in
    /// bytes (see `microdrop_sdk::heap`).
    pub heap_bytes: usize,
}

/// SIMD-0312 (`CreateAccountAllowPrefund`): with it active, Anchor's `init` accepts an
/// address that already holds lamports; without it, `init` fails there for good.
pub const CREATE_ACCOUNT_ALLOW_PREFUND: Pubkey =
    Pubkey::from_str_const("6sPDzwyARRExKH52LECxcGoqziH8G7SZofwuxi8Ja331");

/// Most instruction trace entries a transaction may use on a real cluster.
pub const MAX_TRACE: usize = 64;

/// Trace entries every mint must leave for the instructions wallets add (priority fees,
/// tips, memos, assertions).
pub const TRACE_SPARE_FOR_WALLETS: usize = 8;

/// The most heap any instruction may use: 4 KiB of margin under the 32 KiB sBPF heap.
pub const HEAP_BUDGET: usize = 28 * 1024;

/// A booted runtime and the wallet that funds everything else.
pub struct Fixture {
    pub context: ProgramTestContext,
    /// Signatures of the transactions committed so far, to tell a resend apart.
    sent: std::collections::HashSet<Vec<u8>>,
}

impl Fixture {
    /// Boots a fresh runtime with every program a drop needs.
    pub async fn new() -> Self {
        Self::without_features(&[]).await
    }

    /// Boots a fresh runtime with `features` deactivated (the native runtime activates
    /// every feature gate; mainnet has not activated every one).
    pub async fn without_features(features: &[Pubkey]) -> Self {
        let mut test = program_test();
        for feature in features {
            test.deactivate_feature(*feature);
        }
        let context = test.start_with_context().await;
        bridge_syscall_stubs();
        Self {
            context,
            sent: std::collections::HashSet::new(),
        }
    }

    /// The runtime's own funded payer.
    pub fn payer(&self) -> &Keypair {
        &self.context.payer
    }

    /// A new wallet holding `lamports`.
    pub async fn wallet(&mut self, lamports: u64) -> Keypair {
        let wallet = Keypair::new();
        self.transfer(&wallet.pubkey(), lamports).await;
        wallet
    }

    /// Sends `lamports` from the runtime's payer to `to`.
    pub async fn transfer(&mut self, to: &Pubkey, lamports: u64) {
        let ix = anchor_lang::solana_program::system_instruction::transfer(
            &self.context.payer.pubkey(),
            to,
            lamports,
        );
        let payer = self.context.payer.insecure_clone();
        self.send(&[ix], &payer, &[])
            .await
            .expect("funding transfer");
    }

    /// A new SPL mint with 6 decimals whose mint authority is `authority`.
    pub async fn create_token_mint(&mut self, authority: &Keypair) -> Pubkey {
        self.token_mint(authority, false).await
    }

    /// Like [`create_token_mint`](Self::create_token_mint), with `authority` also able to
    /// freeze token accounts.
    pub async fn create_freezable_token_mint(&mut self, authority: &Keypair) -> Pubkey {
        self.token_mint(authority, true).await
    }

    async fn token_mint(&mut self, authority: &Keypair, freezable: bool) -> Pubkey {
        use anchor_lang::solana_program::{program_pack::Pack, system_instruction};
        let mint = Keypair::new();
        let rent = self.context.banks_client.get_rent().await.expect("rent");
        let space = anchor_spl::token::spl_token::state::Mint::LEN;
        let create = system_instruction::create_account(
            &authority.pubkey(),
            &mint.pubkey(),
            rent.minimum_balance(space),
            space as u64,
            &anchor_spl::token::ID,
        );
        let init = anchor_spl::token::spl_token::instruction::initialize_mint2(
            &anchor_spl::token::ID,
            &mint.pubkey(),
            &authority.pubkey(),
            freezable.then(|| authority.pubkey()).as_ref(),
            6,
        )
        .expect("initialize_mint2");
        self.send(&[create, init], authority, &[&mint])
            .await
            .expect("create mint");
        mint.pubkey()
    }

    /// Creates `owner`'s associated token account for `mint` (if missing) and mints
    /// `amount` into it with `authority`, the mint authority. Returns the token account.
    pub async fn fund_tokens(
        &mut self,
        authority: &Keypair,
        mint: &Pubkey,
        owner: &Pubkey,
        amount: u64,
    ) -> Pubkey {
        use anchor_spl::{associated_token::spl_associated_token_account, token::spl_token};
        let account = microdrop_sdk::pda::associated_token(owner, mint).0;
        let mut ixs = vec![
            spl_associated_token_account::instruction::create_associated_token_account_idempotent(
                &authority.pubkey(),
                owner,
                mint,
                &anchor_spl::token::ID,
            ),
        ];
        if amount > 0 {
            ixs.push(
                spl_token::instruction::mint_to(
                    &anchor_spl::token::ID,
                    mint,
                    &account,
                    &authority.pubkey(),
                    &[],
                    amount,
                )
                .expect("mint_to"),
            );
        }
        self.send(&ixs, authority, &[]).await.expect("fund tokens");
        account
    }

    /// Moves item `index` of `drop` (of `standard`) from `from` to `to`, its associated
    /// token account created first, as a marketplace sale would.
    pub async fn transfer_item(
        &mut self,
        standard: microdrop::state::ItemStandard,
        drop: &Pubkey,
        index: u64,
        from: &Keypair,
        to: &Pubkey,
    ) -> Result<(), TransactionError> {
        use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
        let program = microdrop_sdk::items::token_program(standard);
        let mint = microdrop_sdk::pda::item_mint(drop, index).0;
        let [source, destination] = [&from.pubkey(), to]
            .map(|owner| microdrop_sdk::items::item_accounts(standard, drop, owner, index)[1]);
        let ixs = [
            create_associated_token_account_idempotent(&from.pubkey(), to, &mint, &program),
            anchor_spl::token_2022::spl_token_2022::instruction::transfer_checked(
                &program,
                &source,
                &mint,
                &destination,
                &from.pubkey(),
                &[],
                1,
                0,
            )
            .expect("a transfer instruction"),
        ];
        self.send(&ixs, from, &[]).await
    }

    /// The token amount held by the token account at `address` (0 when absent); panics if
    /// the account there is not a token account.
    pub async fn token_balance(&mut self, address: &Pubkey) -> u64 {
        match self.account(address).await {
            Some(account) if account.owner == anchor_spl::token_2022::ID => {
                use anchor_spl::token_2022::spl_token_2022::{
                    extension::StateWithExtensions, state::Account as TokenState,
                };
                StateWithExtensions::<TokenState>::unpack(&account.data)
                    .expect("a Token-2022 token account")
                    .base
                    .amount
            }
            Some(account) => {
                anchor_spl::token::TokenAccount::try_deserialize(&mut account.data.as_slice())
                    .expect("a token account")
                    .amount
            }
            None => 0,
        }
    }

    /// Moves the clock to `unix_time`.
    pub async fn warp_to(&mut self, unix_time: i64) {
        let mut clock: solana_clock::Clock =
            self.context.banks_client.get_sysvar().await.expect("clock");
        clock.unix_timestamp = unix_time;
        self.context.set_sysvar(&clock);
    }

    /// The current clock's unix time.
    pub async fn now(&mut self) -> i64 {
        let clock: solana_clock::Clock =
            self.context.banks_client.get_sysvar().await.expect("clock");
        clock.unix_timestamp
    }

    /// Sends one transaction paid by `payer`, signed also by `signers`, with a preflight
    /// simulation as an RPC node does: a refused transaction changes nothing, not even the
    /// fee payer's balance. A transaction identical to one already committed gets a newer
    /// blockhash, so identical transactions sent twice are really sent twice.
    pub async fn send(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<(), TransactionError> {
        self.send_with_events(instructions, payer, signers)
            .await
            .map(|_| ())
    }

    /// Like [`send`](Self::send), returning the events the program emitted, in order.
    pub async fn send_with_events(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Vec<Event>, TransactionError> {
        self.send_measured(instructions, payer, signers)
            .await
            .map(|sent| sent.events)
    }

    /// Like [`send`](Self::send), returning the events and what the transaction used of
    /// the limits a real cluster enforces and the native runtime does not: instruction
    /// trace entries and microdrop's sBPF heap.
    pub async fn send_measured(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Sent, TransactionError> {
        let mut all: Vec<&Keypair> = vec![payer];
        all.extend_from_slice(signers);
        let blockhash = self
            .context
            .banks_client
            .get_latest_blockhash()
            .await
            .expect("blockhash");
        let mut tx = Transaction::new_signed_with_payer(
            instructions,
            Some(&payer.pubkey()),
            &all,
            blockhash,
        );
        if self.sent.contains(tx.signatures[0].as_ref()) {
            // Waits for the next blockhash (the runtime registers one per slot time) and
            // re-signs.
            // `get_new_latest_blockhash` compares with the hash it last returned, which
            // may be older than `blockhash`, so it is asked until the hash really differs.
            let mut newer = blockhash;
            while newer == blockhash {
                newer = self
                    .context
                    .get_new_latest_blockhash()
                    .await
                    .expect("blockhash");
            }
            tx = Transaction::new_signed_with_payer(
                instructions,
                Some(&payer.pubkey()),
                &all,
                newer,
            );
        }
        heap::take_peak();
        let simulation = self
            .context
            .banks_client
            .simulate_transaction(tx.clone())
            .await
            .expect("simulate");
        if let Some(Err(err)) = simulation.result {
            return Err(err);
        }
        let keys = &tx.message.account_keys;
        let mut events = Vec::new();
        let inner = simulation
            .simulation_details
            .and_then(|d| d.inner_instructions)
            .unwrap_or_default();
        // The trace holds every top-level instruction and every CPI beneath them.
        let trace = instructions.len() + inner.iter().map(Vec::len).sum::<usize>();
        for group in inner {
            for inner in group {
                let ix = inner.instruction;
                if keys[usize::from(ix.program_id_index)] != microdrop::ID {
                    continue;
                }
                if let Some(event) = decode_event(&ix.data).expect("event decodes") {
                    events.push(event);
                }
            }
        }
        // Executed and committed at once; `process_transaction` would hand it to the
        // server's queue and poll its status once per tick.
        let signature = tx.signatures[0].as_ref().to_vec();
        self.context
            .banks_client
            .process_transaction_with_metadata(tx)
            .await
            .expect("banks server")
            .result?;
        self.sent.insert(signature);
        Ok(Sent {
            events,
            trace,
            heap_bytes: heap::take_peak(),
        })
    }

    /// A new address lookup table whose authority is `authority`, which pays for it.
    pub async fn lookup_table(&mut self, authority: &Keypair) -> Pubkey {
        use microdrop_sdk::address_lookup_table::instruction as alt;
        // The newest slot in SlotHashes (bincode: a u64 length, then the first entry's slot).
        let slot_hashes = self
            .account(&Pubkey::from_str_const(
                "SysvarS1otHashes111111111111111111111111111",
            ))
            .await
            .expect("SlotHashes");
        let slot = u64::from_le_bytes(slot_hashes.data[8..16].try_into().expect("a slot"));
        let (create, table) =
            alt::create_lookup_table(authority.pubkey(), authority.pubkey(), slot);
        self.send(&[create], authority, &[])
            .await
            .expect("create table");
        table
    }

    /// The account at `address`, if any.
    pub async fn account(&mut self, address: &Pubkey) -> Option<Account> {
        self.context
            .banks_client
            .get_account(*address)
            .await
            .expect("get_account")
    }

    /// Lamports at `address` (0 when absent).
    pub async fn balance(&mut self, address: &Pubkey) -> u64 {
        self.account(address).await.map_or(0, |a| a.lamports)
    }

    /// The lamports `addresses` hold together (0 for an absent one).
    pub async fn balances(&mut self, addresses: &[Pubkey]) -> u64 {
        let mut total = 0;
        for address in addresses {
            total += self.balance(address).await;
        }
        total
    }

    /// Decodes the Anchor account of type `T` at `address`; panics if absent.
    pub async fn anchor_account<T: AccountDeserialize>(&mut self, address: &Pubkey) -> T {
        let account = self
            .account(address)
            .await
            .unwrap_or_else(|| panic!("account {address} missing"));
        T::try_deserialize(&mut account.data.as_slice()).expect("decode")
    }
}

/// The error a microdrop instruction at `index` raises with `error`.
/// A tier open to anyone from `start` to `end`: no allow list, holder gate, voucher or
/// regions. Tests set those on top.
pub fn open_tier(
    label: &str,
    start: i64,
    end: i64,
    price: u64,
    supply: u64,
    per_wallet: u32,
) -> TierConfig {
    TierConfig {
        label: label.into(),
        start,
        end,
        price,
        supply,
        per_wallet,
        allowlist_root: None,
        holder_of: None,
        voucher_signer: None,
        regions: vec![],
        holder_limit: 0,
    }
}

pub fn program_error(index: u8, error: MicrodropError) -> TransactionError {
    TransactionError::InstructionError(index, InstructionError::Custom(u32::from(error)))
}

/// The error an Anchor framework check at instruction `index` raises.
pub fn anchor_error(index: u8, error: anchor_lang::error::ErrorCode) -> TransactionError {
    TransactionError::InstructionError(index, InstructionError::Custom(u32::from(error)))
}

/// Asserts a transaction failed with exactly `expected`.
#[track_caller]
pub fn assert_tx_error(result: Result<(), TransactionError>, expected: TransactionError) {
    match result {
        Ok(()) => panic!("transaction succeeded; expected {expected:?}"),
        Err(actual) => assert_eq!(actual, expected),
    }
}
