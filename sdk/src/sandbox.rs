//! The embedded sandbox: a whole Solana runtime in this process, behind an `RpcClient`.
//!
//! `solana-program-test` runs the bank. microdrop runs natively (host-compiled; see
//! `shared/TOOLCHAIN.md` for why it cannot be built to sBPF here); Token Metadata, SPL Token
//! and ATA run as their real sBPF binaries. [`SandboxSender`] answers the JSON-RPC methods
//! the SDK uses, so [`crate::Client`] and the CLI take the same code path as on a real
//! cluster.
//!
//! State persists in a directory between processes: every account a transaction touches is
//! written back on [`Sandbox::save`] and loaded into the next runtime's genesis, with the
//! clock (wall time plus the offset `warp` set). A lock file keeps two processes from
//! interleaving their writes; the state file is replaced atomically.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
    sync::{Arc, Mutex, Once},
    time::{SystemTime, UNIX_EPOCH},
};

use anchor_lang::{
    prelude::{AccountInfo, Pubkey},
    solana_program::{entrypoint::ProgramResult, instruction::Instruction},
};
use async_trait::async_trait;
use base64::{prelude::BASE64_STANDARD, Engine};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use solana_account::{Account, ReadableAccount};
use solana_account_decoder::{
    encode_ui_account,
    parse_account_data::{AccountAdditionalDataV3, SplTokenAdditionalDataV2},
    parse_token::token_amount_to_ui_amount_v3,
    UiAccountEncoding,
};
use solana_commitment_config::{CommitmentConfig, CommitmentLevel};
use solana_keypair::Keypair;
use solana_program_test::{processor, BanksClient, ProgramTest, ProgramTestContext};
use solana_rpc_client::{
    nonblocking::rpc_client::RpcClient,
    rpc_client::RpcClientConfig,
    rpc_sender::{RpcSender, RpcTransportStats},
};
use solana_rpc_client_api::{
    client_error::{Error as ClientError, Result as ClientResult},
    config::{RpcSendTransactionConfig, RpcSimulateTransactionConfig},
    request::{RpcError, RpcRequest, RpcResponseErrorData},
    response::RpcSimulateTransactionResult,
};
use solana_signer::{EncodableKey, Signer};
use solana_transaction::{versioned::VersionedTransaction, Signature, Transaction};
use solana_transaction_status_client_types::{
    TransactionConfirmationStatus, TransactionStatus, UiTransactionError,
};

use microdrop::ADDRESS_LOOKUP_TABLE_PROGRAM_ID;
use solana_address_lookup_table_interface::state::AddressLookupTable;

use crate::{
    transport::{bad_param, decode_transaction, empty_simulation, param, rpc_err},
    Error, LAMPORTS_PER_SOL, SIGNATURE_FEE_LAMPORTS, TOKEN_METADATA_PROGRAM_ID,
};

/// The real Token Metadata program (sBPF), fetched and checksummed by `build.rs`.
pub static TOKEN_METADATA_SO: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/mpl_token_metadata.so"));

/// URL-like name of the sandbox cluster.
pub const SANDBOX_URL: &str = "sandbox";

/// How much the sandbox gives its default keypair when it creates it.
pub const DEFAULT_KEYPAIR_FUNDS: u64 = 1_000 * LAMPORTS_PER_SOL;

/// Largest single airdrop, as a guard against typos (real faucets are far stingier).
pub const MAX_AIRDROP: u64 = 1_000_000 * LAMPORTS_PER_SOL / 2;

const STATE_FILE: &str = "state.bin";
const LOCK_FILE: &str = "lock";

/// Where `microdrop sandbox serve` says it is serving a sandbox directory.
pub const SERVING_FILE: &str = "serving.json";

/// Where a server holding the sandbox in `dir` serves it: `{"rpc": ..., "websocket": ...}`
/// as it wrote it, while it runs. `None` when no server holds the directory (a file left
/// by a server that died is ignored: the directory's lock is free).
pub fn serving(dir: impl AsRef<Path>) -> Option<Value> {
    let dir = dir.as_ref();
    let text = fs::read_to_string(dir.join(SERVING_FILE)).ok()?;
    let lock = fs::File::open(dir.join(LOCK_FILE)).ok()?;
    match lock.try_lock() {
        // Nobody holds the sandbox: the file is stale.
        Ok(()) => None,
        Err(_) => serde_json::from_str(&text).ok(),
    }
}

/// The sandbox's default keypair in `dir`, read without opening the sandbox (which a
/// server may hold).
pub fn default_keypair_in(dir: impl AsRef<Path>) -> Result<Keypair, Error> {
    crate::read_keypair_file(dir.as_ref().join(KEYPAIR_FILE))
}

/// Slots per epoch the sandbox reports (`getEpochInfo`), a cluster's.
const SLOTS_PER_EPOCH: u64 = 432_000;

/// The identity the sandbox reports as its node's (`getIdentity`).
pub const SANDBOX_IDENTITY: Pubkey =
    Pubkey::from_str_const("Sandbox111111111111111111111111111111111111");
const KEYPAIR_FILE: &str = "id.json";
const STATE_FORMAT: u32 = 3;

/// The top-level instruction during which a transaction of `top_level` instructions, with
/// `inner` CPIs under some of them, grows past `limit` trace entries, if it does.
fn trace_overflow(
    top_level: usize,
    inner: &[(u8, Vec<RecordedInstruction>)],
    limit: usize,
) -> Option<u8> {
    let mut used = 0;
    for index in 0..top_level {
        let index = u8::try_from(index).ok()?;
        let calls = inner
            .iter()
            .find(|(i, _)| *i == index)
            .map_or(0, |(_, group)| group.len());
        used += 1 + calls;
        if used > limit {
            return Some(index);
        }
    }
    None
}

/// The SlotHashes sysvar.
const SLOT_HASHES_SYSVAR_ID: Pubkey =
    Pubkey::from_str_const("SysvarS1otHashes111111111111111111111111111");

const BPF_LOADER_ID: Pubkey = Pubkey::from_str_const("BPFLoader2111111111111111111111111111111111");
const SYSVAR_OWNER_ID: Pubkey =
    Pubkey::from_str_const("Sysvar1111111111111111111111111111111111111");
const NATIVE_LOADER_ID: Pubkey =
    Pubkey::from_str_const("NativeLoader1111111111111111111111111111111");

/// The microdrop entrypoint with its lifetimes narrowed for `processor!`.
///
/// Anchor's `entry` ties the program id, the account slice, the accounts' own data and the
/// instruction data to one lifetime; `processor!` hands them over with independent ones.
fn microdrop_entry(program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> ProgramResult {
    /// # Safety
    /// Narrows the accounts' lifetime to the slice borrow's. The accounts' data outlives the
    /// call, and the program only resizes account data in place, never stores a
    /// shorter-lived reference into an `AccountInfo`.
    unsafe fn narrow<'x, 'c: 'x>(accounts: &'x [AccountInfo<'c>]) -> &'x [AccountInfo<'x>] {
        unsafe { std::mem::transmute::<&'x [AccountInfo<'c>], &'x [AccountInfo<'x>]>(accounts) }
    }
    crate::heap::enter_invocation(accounts);
    // SAFETY: see `narrow`.
    let result = microdrop::entry(program_id, unsafe { narrow(accounts) }, data);
    crate::heap::exit_invocation();
    result
}

/// A `ProgramTest` with microdrop (native) and Token Metadata (real sBPF) registered.
/// SPL Token, Token-2022, ATA and Memo come with `solana-program-test` itself.
///
/// Call [`bridge_syscall_stubs`] after the first `start`/`start_with_context` in a
/// process, or sysvar reads and CPIs from microdrop will fail.
pub fn program_test() -> ProgramTest {
    let mut program_test = ProgramTest::default();
    // `ProgramTest::default` installs a DEBUG logger that prints every instruction;
    // keep it to errors unless the user asked for more with RUST_LOG.
    if std::env::var_os("RUST_LOG").is_none() {
        log::set_max_level(log::LevelFilter::Error);
    }
    program_test.prefer_bpf(false);
    program_test.add_program("microdrop", microdrop::ID, processor!(microdrop_entry));
    program_test.add_account(
        TOKEN_METADATA_PROGRAM_ID,
        Account {
            lamports: LAMPORTS_PER_SOL,
            data: TOKEN_METADATA_SO.to_vec(),
            owner: BPF_LOADER_ID,
            executable: true,
            rent_epoch: 0,
        },
    );
    program_test
}

/// Makes microdrop's sysvar reads and CPIs reach the runtime when it runs natively.
///
/// Anchor reaches the host syscall stubs through `solana-sysvar` 3.x, while
/// `solana-program-test` installs its stubs into `solana-sysvar` 4.x. This takes
/// program-test's stubs out of 4.x and installs one forwarder into both. Idempotent; call
/// it after the first runtime of the process has started.
pub fn bridge_syscall_stubs() {
    static BRIDGE: Once = Once::new();
    BRIDGE.call_once(|| {
        struct Placeholder;
        impl solana_sysvar::program_stubs::SyscallStubs for Placeholder {}
        let stubs: Arc<dyn solana_sysvar::program_stubs::SyscallStubs> = Arc::from(
            solana_sysvar::program_stubs::set_syscall_stubs(Box::new(Placeholder)),
        );
        solana_sysvar::program_stubs::set_syscall_stubs(Box::new(StubBridge(stubs.clone())));
        solana_sysvar_3::program_stubs::set_syscall_stubs(Box::new(StubBridge(stubs)));
    });
}

struct StubBridge(Arc<dyn solana_sysvar::program_stubs::SyscallStubs>);

/// Both `SyscallStubs` traits have the same methods over the same types; forward each.
macro_rules! forward_stubs {
    ($trait:path) => {
        impl $trait for StubBridge {
            fn sol_log(&self, message: &str) {
                let _host = crate::heap::Pause::new();
                self.0.sol_log(message)
            }
            fn sol_log_compute_units(&self) {
                let _host = crate::heap::Pause::new();
                self.0.sol_log_compute_units()
            }
            fn sol_remaining_compute_units(&self) -> u64 {
                let _host = crate::heap::Pause::new();
                self.0.sol_remaining_compute_units()
            }
            fn sol_invoke_signed(
                &self,
                instruction: &Instruction,
                account_infos: &[AccountInfo],
                signers_seeds: &[&[&[u8]]],
            ) -> ProgramResult {
                crate::heap::charge_cpi(instruction);
                let _host = crate::heap::Pause::new();
                self.0
                    .sol_invoke_signed(instruction, account_infos, signers_seeds)
            }
            fn sol_get_sysvar(&self, id: *const u8, var: *mut u8, offset: u64, length: u64) -> u64 {
                let _host = crate::heap::Pause::new();
                self.0.sol_get_sysvar(id, var, offset, length)
            }
            fn sol_get_clock_sysvar(&self, var: *mut u8) -> u64 {
                let _host = crate::heap::Pause::new();
                self.0.sol_get_clock_sysvar(var)
            }
            fn sol_get_epoch_schedule_sysvar(&self, var: *mut u8) -> u64 {
                let _host = crate::heap::Pause::new();
                self.0.sol_get_epoch_schedule_sysvar(var)
            }
            fn sol_get_fees_sysvar(&self, var: *mut u8) -> u64 {
                let _host = crate::heap::Pause::new();
                self.0.sol_get_fees_sysvar(var)
            }
            fn sol_get_rent_sysvar(&self, var: *mut u8) -> u64 {
                let _host = crate::heap::Pause::new();
                self.0.sol_get_rent_sysvar(var)
            }
            fn sol_get_epoch_rewards_sysvar(&self, var: *mut u8) -> u64 {
                let _host = crate::heap::Pause::new();
                self.0.sol_get_epoch_rewards_sysvar(var)
            }
            fn sol_get_last_restart_slot(&self, var: *mut u8) -> u64 {
                let _host = crate::heap::Pause::new();
                self.0.sol_get_last_restart_slot(var)
            }
            fn sol_get_epoch_stake(&self, vote_address: *const u8) -> u64 {
                let _host = crate::heap::Pause::new();
                self.0.sol_get_epoch_stake(vote_address)
            }
            unsafe fn sol_memcpy(&self, dst: *mut u8, src: *const u8, n: usize) {
                let _host = crate::heap::Pause::new();
                unsafe { self.0.sol_memcpy(dst, src, n) }
            }
            unsafe fn sol_memmove(&self, dst: *mut u8, src: *const u8, n: usize) {
                let _host = crate::heap::Pause::new();
                unsafe { self.0.sol_memmove(dst, src, n) }
            }
            unsafe fn sol_memcmp(&self, s1: *const u8, s2: *const u8, n: usize, result: *mut i32) {
                let _host = crate::heap::Pause::new();
                unsafe { self.0.sol_memcmp(s1, s2, n, result) }
            }
            unsafe fn sol_memset(&self, s: *mut u8, c: u8, n: usize) {
                let _host = crate::heap::Pause::new();
                unsafe { self.0.sol_memset(s, c, n) }
            }
            fn sol_get_return_data(&self) -> Option<(Pubkey, Vec<u8>)> {
                let _host = crate::heap::Pause::new();
                self.0.sol_get_return_data()
            }
            fn sol_set_return_data(&self, data: &[u8]) {
                let _host = crate::heap::Pause::new();
                self.0.sol_set_return_data(data)
            }
            fn sol_log_data(&self, fields: &[&[u8]]) {
                let _host = crate::heap::Pause::new();
                self.0.sol_log_data(fields)
            }
            fn sol_get_processed_sibling_instruction(&self, index: usize) -> Option<Instruction> {
                let _host = crate::heap::Pause::new();
                self.0.sol_get_processed_sibling_instruction(index)
            }
            fn sol_get_stack_height(&self) -> u64 {
                let _host = crate::heap::Pause::new();
                self.0.sol_get_stack_height()
            }
        }
    };
}
forward_stubs!(solana_sysvar::program_stubs::SyscallStubs);
forward_stubs!(solana_sysvar_3::program_stubs::SyscallStubs);

/// Seconds since the Unix epoch, by this machine's clock.
pub fn wall_clock() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[derive(Serialize, Deserialize)]
struct SavedAccount {
    lamports: u64,
    data: Vec<u8>,
    owner: [u8; 32],
    executable: bool,
    rent_epoch: u64,
}

/// A committed transaction, as `getTransaction` reports it.
#[derive(Serialize, Deserialize, Clone)]
struct TxRecord {
    signature: String,
    slot: u64,
    block_time: i64,
    /// The transaction, bincode-serialized as sent.
    transaction: Vec<u8>,
    err: Option<solana_transaction_error::TransactionError>,
    fee: u64,
    logs: Vec<String>,
    units: u64,
    /// Per top-level instruction index, its inner instructions.
    inner: Vec<(u8, Vec<RecordedInstruction>)>,
    /// Addresses a v0 transaction loaded from lookup tables: writable, then read-only.
    loaded_writable: Vec<[u8; 32]>,
    loaded_readonly: Vec<[u8; 32]>,
}

#[derive(Serialize, Deserialize, Clone)]
struct RecordedInstruction {
    program_id_index: u8,
    accounts: Vec<u8>,
    data: Vec<u8>,
    stack_height: u8,
}

#[derive(Serialize, Deserialize)]
struct State {
    format: u32,
    /// Sandbox time minus wall time, in seconds; set by `warp`.
    clock_offset: i64,
    /// The runtime's slot, which moves on after every lookup-table change (a table's new
    /// addresses are usable from the next slot) and is restored on boot.
    slot: u64,
    accounts: BTreeMap<[u8; 32], SavedAccount>,
    /// Every committed transaction, oldest first.
    history: Vec<TxRecord>,
}

impl State {
    fn new() -> Self {
        Self {
            format: STATE_FORMAT,
            clock_offset: 0,
            slot: 0,
            accounts: BTreeMap::new(),
            history: Vec::new(),
        }
    }

    fn load(dir: &Path) -> Result<Option<Self>, Error> {
        let path = dir.join(STATE_FILE);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::Sandbox(format!("{}: {e}", path.display()))),
        };
        let state: State = bincode::deserialize(&bytes).map_err(|e| {
            Error::Sandbox(format!(
                "{} is damaged ({e}); run `microdrop sandbox reset`",
                path.display()
            ))
        })?;
        if state.format != STATE_FORMAT {
            return Err(Error::Sandbox(format!(
                "{} has format {}, this version reads {STATE_FORMAT}; run `microdrop sandbox reset`",
                path.display(),
                state.format
            )));
        }
        Ok(Some(state))
    }

    fn store(&self, dir: &Path) -> Result<(), Error> {
        let bytes = bincode::serialize(self).map_err(|e| Error::Sandbox(e.to_string()))?;
        let tmp = dir.join(format!("{STATE_FILE}.tmp"));
        let io = |e: std::io::Error| Error::Sandbox(format!("{}: {e}", dir.display()));
        fs::write(&tmp, bytes).map_err(io)?;
        fs::rename(&tmp, dir.join(STATE_FILE)).map_err(io)
    }
}

/// A running sandbox with its state directory.
pub struct Sandbox {
    dir: PathBuf,
    _lock: fs::File,
    inner: Arc<Inner>,
    default_keypair: PathBuf,
}

struct Inner {
    context: Mutex<ProgramTestContext>,
    banks: BanksClient,
    faucet: Keypair,
    touched: Mutex<BTreeSet<Pubkey>>,
    state: Mutex<State>,
    /// A stricter instruction-trace limit than the runtime's 64 (0: none); see
    /// [`Sandbox::set_trace_limit`].
    trace_limit: std::sync::atomic::AtomicUsize,
}

impl Sandbox {
    /// Opens (or creates) the sandbox in `dir` and boots its runtime with the saved state.
    /// A new sandbox creates `dir/id.json` and funds it with [`DEFAULT_KEYPAIR_FUNDS`].
    pub async fn open(dir: impl AsRef<Path>) -> Result<Self, Error> {
        Self::open_inner(dir.as_ref(), None).await
    }

    /// Creates a new sandbox in `dir` (which must hold none) whose clock starts at
    /// `unix_time`, past or future: for rehearsing a schedule from its beginning.
    pub async fn create_at(dir: impl AsRef<Path>, unix_time: i64) -> Result<Self, Error> {
        let dir = dir.as_ref();
        if dir.join(STATE_FILE).exists() {
            return Err(Error::Sandbox(format!(
                "{} already holds a sandbox",
                dir.display()
            )));
        }
        Self::open_inner(dir, Some(unix_time)).await
    }

    async fn open_inner(dir: &Path, start_at: Option<i64>) -> Result<Self, Error> {
        let dir = dir.to_path_buf();
        let io = |e: std::io::Error| Error::Sandbox(format!("{}: {e}", dir.display()));
        fs::create_dir_all(&dir).map_err(io)?;
        let lock = fs::File::create(dir.join(LOCK_FILE)).map_err(io)?;
        lock.lock().map_err(io)?;

        let (mut state, fresh) = match State::load(&dir)? {
            Some(state) => (state, false),
            None => (State::new(), true),
        };
        if let Some(start) = start_at {
            state.clock_offset = start - wall_clock();
        }
        let mut program_test = program_test();
        for (address, saved) in &state.accounts {
            program_test.add_account(
                Pubkey::new_from_array(*address),
                Account {
                    lamports: saved.lamports,
                    data: saved.data.clone(),
                    owner: Pubkey::new_from_array(saved.owner),
                    executable: saved.executable,
                    rent_epoch: saved.rent_epoch,
                },
            );
        }
        let context = program_test.start_with_context().await;
        bridge_syscall_stubs();
        let banks = context.banks_client.clone();
        let faucet = context.payer.insecure_clone();
        let sandbox = Self {
            default_keypair: dir.join(KEYPAIR_FILE),
            dir,
            _lock: lock,
            inner: Arc::new(Inner {
                context: Mutex::new(context),
                banks,
                faucet,
                touched: Mutex::new(BTreeSet::new()),
                state: Mutex::new(state),
                trace_limit: std::sync::atomic::AtomicUsize::new(0),
            }),
        };
        let booted_slot = sandbox
            .inner
            .banks
            .get_root_slot()
            .await
            .map_err(|e| Error::Sandbox(e.to_string()))?;
        let saved_slot =
            std::mem::replace(&mut sandbox.inner.state.lock().unwrap().slot, booted_slot);
        sandbox.inner.warp_to_slot(saved_slot).await?;
        sandbox.apply_clock().await?;
        if fresh {
            let keypair = sandbox.default_keypair()?;
            sandbox
                .airdrop(&keypair.pubkey(), DEFAULT_KEYPAIR_FUNDS)
                .await?;
            sandbox.save().await?;
        }
        Ok(sandbox)
    }

    /// The state directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Deletes the sandbox's chain state (accounts and clock); its default keypair stays.
    pub fn reset(dir: impl AsRef<Path>) -> Result<(), Error> {
        let dir = dir.as_ref();
        let io = |e: std::io::Error| Error::Sandbox(format!("{}: {e}", dir.display()));
        if !dir.exists() {
            return Ok(());
        }
        let lock = fs::File::create(dir.join(LOCK_FILE)).map_err(io)?;
        lock.lock().map_err(io)?;
        match fs::remove_file(dir.join(STATE_FILE)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io(e)),
        }
    }

    /// The sandbox's own wallet (`id.json` in its directory), created on first use.
    pub fn default_keypair(&self) -> Result<Keypair, Error> {
        let path = &self.default_keypair;
        if path.exists() {
            return crate::read_keypair_file(path);
        }
        let keypair = Keypair::new();
        keypair
            .write_to_file(path)
            .map_err(|e| Error::Sandbox(format!("{}: {e}", path.display())))?;
        Ok(keypair)
    }

    /// An `RpcClient` whose requests this sandbox answers.
    pub fn rpc_client(&self, commitment: CommitmentConfig) -> RpcClient {
        RpcClient::new_sender(self.sender(), RpcClientConfig::with_commitment(commitment))
    }

    /// The sandbox's current unix time.
    pub fn unix_time(&self) -> i64 {
        self.inner.unix_time()
    }

    /// Refuses, at preflight, every transaction whose instruction trace (its top-level
    /// instructions and all their CPIs) is longer than `limit` entries, as a cluster with
    /// a smaller limit than the runtime's 64 would: for rehearsing how clients cope when a
    /// transaction turns out longer than they budgeted. 0 lifts it. Not saved.
    pub fn set_trace_limit(&self, limit: usize) {
        self.inner.set_trace_limit(limit);
    }

    /// Moves the clock to `unix_time`. The clock only moves forward, as on a real cluster.
    pub async fn warp_to(&self, unix_time: i64) -> Result<(), Error> {
        self.inner.warp_to(unix_time).await
    }

    async fn apply_clock(&self) -> Result<(), Error> {
        self.inner.apply_clock().await
    }

    /// Sends `lamports` from the sandbox's faucet to `to`.
    pub async fn airdrop(&self, to: &Pubkey, lamports: u64) -> Result<Signature, Error> {
        self.inner.airdrop(to, lamports).await
    }

    /// The transport answering this sandbox's RPC requests, for layering other
    /// transports (retries, fault injection) over it.
    pub fn sender(&self) -> SandboxSender {
        SandboxSender {
            inner: self.inner.clone(),
        }
    }

    /// An owned handle that saves this sandbox's state (for hooks that outlive a borrow).
    pub fn persister(&self) -> Persister {
        Persister {
            inner: self.inner.clone(),
            dir: self.dir.clone(),
        }
    }

    /// Writes every account transactions touched, and the clock, to the state directory.
    pub async fn save(&self) -> Result<(), Error> {
        self.persister().save().await
    }
}

/// Saves a sandbox's state; see [`Sandbox::persister`].
#[derive(Clone)]
pub struct Persister {
    inner: Arc<Inner>,
    dir: PathBuf,
}

impl Persister {
    /// Writes every account transactions touched, and the clock, to the state directory.
    pub async fn save(&self) -> Result<(), Error> {
        let touched: Vec<Pubkey> = std::mem::take(&mut *self.inner.touched.lock().unwrap())
            .into_iter()
            .collect();
        let mut updates = Vec::with_capacity(touched.len());
        for address in touched {
            if address == self.inner.faucet.pubkey() {
                continue;
            }
            let account = self
                .inner
                .banks
                .get_account(address)
                .await
                .map_err(|e| Error::Sandbox(e.to_string()))?;
            updates.push((address, account));
        }
        let mut state = self.inner.state.lock().unwrap();
        for (address, account) in updates {
            match account {
                Some(account) if persistable(&account) => {
                    state.accounts.insert(
                        address.to_bytes(),
                        SavedAccount {
                            lamports: account.lamports,
                            data: account.data,
                            owner: account.owner.to_bytes(),
                            executable: account.executable,
                            rent_epoch: account.rent_epoch,
                        },
                    );
                }
                Some(_) => {}
                None => {
                    state.accounts.remove(&address.to_bytes());
                }
            }
        }
        state.store(&self.dir)
    }
}

/// Programs and sysvars come from the runtime itself on every boot; everything else a
/// transaction touched is chain state.
fn persistable(account: &Account) -> bool {
    !account.executable()
        && account.owner != SYSVAR_OWNER_ID
        && account.owner != NATIVE_LOADER_ID
        && account.lamports > 0
}

impl Inner {
    /// See [`Sandbox::set_trace_limit`].
    fn set_trace_limit(&self, limit: usize) {
        self.trace_limit
            .store(limit, std::sync::atomic::Ordering::Relaxed);
    }

    fn unix_time(&self) -> i64 {
        wall_clock().saturating_add(self.state.lock().unwrap().clock_offset)
    }

    /// Moves the clock forward to `unix_time` (never back).
    async fn warp_to(&self, unix_time: i64) -> Result<(), Error> {
        let now = self.unix_time();
        if unix_time < now {
            return Err(Error::Sandbox(format!(
                "the sandbox clock only moves forward: it is at {now}, asked for {unix_time}; \
                 `microdrop sandbox reset` starts over"
            )));
        }
        self.state.lock().unwrap().clock_offset = unix_time - wall_clock();
        self.apply_clock().await
    }

    /// Sets the runtime's Clock to the sandbox's time.
    async fn apply_clock(&self) -> Result<(), Error> {
        let now = self.unix_time();
        let mut clock: solana_clock::Clock = self
            .banks
            .get_sysvar()
            .await
            .map_err(|e| Error::Sandbox(e.to_string()))?;
        clock.unix_timestamp = now;
        clock.epoch_start_timestamp = now;
        self.context.lock().unwrap().set_sysvar(&clock);
        Ok(())
    }

    /// Moves the runtime to `slot` (if it is ahead), keeping the sandbox's clock.
    async fn warp_to_slot(&self, slot: u64) -> Result<(), Error> {
        let current = self.state.lock().unwrap().slot;
        if slot <= current {
            return Ok(());
        }
        self.context
            .lock()
            .unwrap()
            .warp_to_slot(slot)
            .map_err(|e| Error::Sandbox(format!("warping to slot {slot}: {e:?}")))?;
        self.state.lock().unwrap().slot = slot;
        self.apply_clock().await
    }

    /// The addresses `tx` loads from lookup tables, as the runtime resolves them:
    /// (writable, read-only).
    async fn loaded_addresses(
        &self,
        tx: &VersionedTransaction,
    ) -> Result<(Vec<Pubkey>, Vec<Pubkey>), Error> {
        let (mut writable, mut readonly) = (Vec::new(), Vec::new());
        for lookup in tx.message.address_table_lookups().unwrap_or_default() {
            let Some(account) = self
                .banks
                .get_account(lookup.account_key)
                .await
                .map_err(|e| Error::Sandbox(e.to_string()))?
            else {
                continue;
            };
            let Ok(table) = AddressLookupTable::deserialize(&account.data) else {
                continue;
            };
            let pick = |indexes: &[u8], into: &mut Vec<Pubkey>| {
                into.extend(
                    indexes
                        .iter()
                        .filter_map(|&i| table.addresses.get(usize::from(i)).copied()),
                )
            };
            pick(&lookup.writable_indexes, &mut writable);
            pick(&lookup.readonly_indexes, &mut readonly);
        }
        Ok((writable, readonly))
    }

    async fn airdrop(&self, to: &Pubkey, lamports: u64) -> Result<Signature, Error> {
        if lamports == 0 || lamports > MAX_AIRDROP {
            return Err(Error::Sandbox(format!(
                "airdrop must be between 1 lamport and {} SOL",
                MAX_AIRDROP / LAMPORTS_PER_SOL
            )));
        }
        self.touched.lock().unwrap().insert(*to);
        // Executed and committed at once (`process_transaction` would queue it and poll its
        // status once per tick). An identical airdrop under the same blockhash is a
        // duplicate, so that one waits for the next blockhash, which the runtime registers
        // once per slot time while this process runs.
        for _ in 0..50 {
            let blockhash = self
                .banks
                .get_latest_blockhash()
                .await
                .map_err(|e| Error::Sandbox(e.to_string()))?;
            let tx = Transaction::new_signed_with_payer(
                &[anchor_lang::solana_program::system_instruction::transfer(
                    &self.faucet.pubkey(),
                    to,
                    lamports,
                )],
                Some(&self.faucet.pubkey()),
                &[&self.faucet],
                blockhash,
            );
            let signature = tx.signatures[0];
            let processed = self
                .banks
                .process_transaction_with_metadata(tx)
                .await
                .map_err(|e| Error::Sandbox(format!("airdrop failed: {e}")))?;
            match processed.result {
                Ok(()) => return Ok(signature),
                Err(solana_transaction_error::TransactionError::AlreadyProcessed) => {
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(err) => return Err(Error::Sandbox(format!("airdrop failed: {err}"))),
            }
        }
        Err(Error::Sandbox(
            "airdrop failed: the sandbox's blockhash did not advance".into(),
        ))
    }
}

/// `getTransaction` from the recorded history, base64-encoded, with its inner
/// instructions and logs (`null` for an unknown signature, as a node answers).
fn transaction_json(history: &[TxRecord], params: &Value) -> ClientResult<Value> {
    let signature = param(params, 0)?
        .as_str()
        .ok_or_else(|| bad_param("signature must be a string"))?;
    let Some(record) = history.iter().find(|r| r.signature == signature) else {
        return Ok(Value::Null);
    };

    let tx: VersionedTransaction =
        bincode::deserialize(&record.transaction).map_err(|e| rpc_err(e.to_string()))?;
    let version = match tx.version() {
        solana_transaction::versioned::TransactionVersion::Legacy(_) => json!("legacy"),
        solana_transaction::versioned::TransactionVersion::Number(n) => json!(n),
    };
    let err = record
        .err
        .clone()
        .map(|e| serde_json::to_value(UiTransactionError::from(e)))
        .transpose()?;
    let status = match &err {
        Some(e) => json!({ "Err": e }),
        None => json!({ "Ok": null }),
    };
    let inner = inner_instructions_json(&record.inner);
    Ok(json!({
        "slot": record.slot,
        "blockTime": record.block_time,
        "transaction": match params.get(1).and_then(|c| c.get("encoding")).and_then(Value::as_str) {
            Some("json") => transaction_as_json(&tx),
            _ => json!([BASE64_STANDARD.encode(&record.transaction), "base64"]),
        },
        "version": version,
        "meta": {
            "err": err,
            "status": status,
            "fee": record.fee,
            "preBalances": [],
            "postBalances": [],
            "innerInstructions": inner,
            "logMessages": record.logs,
            "preTokenBalances": [],
            "postTokenBalances": [],
            "rewards": [],
            "computeUnitsConsumed": record.units,
            "loadedAddresses": {
                "writable": record.loaded_writable.iter().map(|k| Pubkey::new_from_array(*k).to_string()).collect::<Vec<_>>(),
                "readonly": record.loaded_readonly.iter().map(|k| Pubkey::new_from_array(*k).to_string()).collect::<Vec<_>>(),
            },
        },
    }))
}

/// Inner instructions as a validator's JSON gives them (compiled: program and account
/// indexes, base58 data), by top-level instruction.
fn inner_instructions_json(inner: &[(u8, Vec<RecordedInstruction>)]) -> Value {
    Value::Array(
        inner
            .iter()
            .map(|(index, instructions)| {
                json!({
                    "index": index,
                    "instructions": instructions.iter().map(|ix| json!({
                        "programIdIndex": ix.program_id_index,
                        "accounts": ix.accounts,
                        "data": bs58::encode(&ix.data).into_string(),
                        "stackHeight": ix.stack_height,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// A transaction in `getTransaction`'s `json` encoding: its signatures and its message
/// with addresses and data as strings, as a validator gives them.
fn transaction_as_json(tx: &VersionedTransaction) -> Value {
    let message = &tx.message;
    let header = message.header();
    let lookups: Vec<Value> = message
        .address_table_lookups()
        .unwrap_or_default()
        .iter()
        .map(|lookup| {
            json!({
                "accountKey": lookup.account_key.to_string(),
                "writableIndexes": lookup.writable_indexes,
                "readonlyIndexes": lookup.readonly_indexes,
            })
        })
        .collect();
    let mut json_message = json!({
        "header": {
            "numRequiredSignatures": header.num_required_signatures,
            "numReadonlySignedAccounts": header.num_readonly_signed_accounts,
            "numReadonlyUnsignedAccounts": header.num_readonly_unsigned_accounts,
        },
        "accountKeys": message.static_account_keys().iter().map(ToString::to_string).collect::<Vec<_>>(),
        "recentBlockhash": message.recent_blockhash().to_string(),
        "instructions": message.instructions().iter().map(|ix| json!({
            "programIdIndex": ix.program_id_index,
            "accounts": ix.accounts,
            "data": bs58::encode(&ix.data).into_string(),
            "stackHeight": null,
        })).collect::<Vec<_>>(),
    });
    if message.address_table_lookups().is_some() {
        json_message["addressTableLookups"] = Value::Array(lookups);
    }
    json!({
        "signatures": tx.signatures.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "message": json_message,
    })
}

/// `getSignaturesForAddress` from the recorded history: newest first, transactions whose
/// accounts include the address, paged by `before`, `until` and `limit`.
fn signatures_for_address(history: &[TxRecord], params: &Value) -> ClientResult<Value> {
    let address = pubkey_param(params, 0)?;
    let config = params.get(1).cloned().unwrap_or(Value::Null);
    let limit = config
        .get("limit")
        .and_then(Value::as_u64)
        .map_or(1_000, |l| l.min(1_000)) as usize;
    let before = config.get("before").and_then(Value::as_str);
    let until = config.get("until").and_then(Value::as_str);
    let mut found = Vec::new();
    let mut started = before.is_none();
    for record in history.iter().rev() {
        if !started {
            started = Some(record.signature.as_str()) == before;
            continue;
        }
        if Some(record.signature.as_str()) == until || found.len() == limit {
            break;
        }
        let Ok(tx) = bincode::deserialize::<VersionedTransaction>(&record.transaction) else {
            continue;
        };
        let loaded = record
            .loaded_writable
            .iter()
            .chain(&record.loaded_readonly)
            .any(|k| *k == address.to_bytes());
        if !loaded && !tx.message.static_account_keys().contains(&address) {
            continue;
        }
        let err = record
            .err
            .clone()
            .map(|e| serde_json::to_value(UiTransactionError::from(e)))
            .transpose()?;
        found.push(json!({
            "signature": record.signature,
            "slot": record.slot,
            "err": err,
            "memo": null,
            "blockTime": record.block_time,
            "confirmationStatus": "finalized",
        }));
    }
    Ok(Value::Array(found))
}

/// Answers history queries (`getSignaturesForAddress`, `getTransaction`) from a sandbox's
/// state file, read afresh for each request and without taking the sandbox's lock: a
/// watcher follows the chain while other commands run against it.
pub struct HistorySender {
    dir: PathBuf,
    /// The history last read: a watcher polls, and the file changes only when a command
    /// saves.
    cache: Mutex<Option<CachedHistory>>,
}

/// A history read from the state file, with the file's modification time and length then.
struct CachedHistory {
    modified: std::time::SystemTime,
    len: u64,
    history: Arc<Vec<TxRecord>>,
}

impl HistorySender {
    pub fn new(dir: impl AsRef<Path>) -> Self {
        Self {
            dir: dir.as_ref().to_path_buf(),
            cache: Mutex::new(None),
        }
    }

    fn history(&self) -> ClientResult<Arc<Vec<TxRecord>>> {
        let stamp = fs::metadata(self.dir.join(STATE_FILE))
            .ok()
            .and_then(|m| Some((m.modified().ok()?, m.len())));
        if let (Some((modified, len)), Some(cached)) = (stamp, &*self.cache.lock().unwrap()) {
            if modified == cached.modified && len == cached.len {
                return Ok(cached.history.clone());
            }
        }
        // Saves replace the file atomically, so an unlocked read sees a whole state.
        let history = Arc::new(match State::load(&self.dir) {
            Ok(Some(state)) => state.history,
            Ok(None) => vec![],
            Err(e) => return Err(rpc_err(e.to_string())),
        });
        if let Some((modified, len)) = stamp {
            *self.cache.lock().unwrap() = Some(CachedHistory {
                modified,
                len,
                history: history.clone(),
            });
        }
        Ok(history)
    }
}

#[async_trait]
impl RpcSender for HistorySender {
    async fn send(&self, request: RpcRequest, params: Value) -> ClientResult<Value> {
        match request.to_string().as_str() {
            "getSignaturesForAddress" => signatures_for_address(&self.history()?, &params),
            "getTransaction" => transaction_json(&self.history()?, &params),
            other => Err(rpc_err(format!(
                "the sandbox history answers getSignaturesForAddress and getTransaction, \
                 not {other}"
            ))),
        }
    }

    fn get_transport_stats(&self) -> RpcTransportStats {
        RpcTransportStats::default()
    }

    fn url(&self) -> String {
        SANDBOX_URL.to_string()
    }
}

/// The JSON-RPC transport the sandbox's `RpcClient` uses.
pub struct SandboxSender {
    inner: Arc<Inner>,
}

fn pubkey_param(params: &Value, index: usize) -> ClientResult<Pubkey> {
    param(params, index)?
        .as_str()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad_param(format!("parameter {index} is not a public key")))
}

/// A `getProgramAccounts` filter.
enum Filter {
    DataSize(usize),
    Memcmp { offset: usize, bytes: Vec<u8> },
}

impl Filter {
    fn matches(&self, data: &[u8]) -> bool {
        match self {
            Filter::DataSize(size) => data.len() == *size,
            Filter::Memcmp { offset, bytes } => data
                .get(*offset..offset.saturating_add(bytes.len()))
                .is_some_and(|window| window == bytes.as_slice()),
        }
    }
}

fn parse_filters(filters: Option<&Value>) -> ClientResult<Vec<Filter>> {
    let Some(filters) = filters.and_then(Value::as_array) else {
        return Ok(Vec::new());
    };
    filters
        .iter()
        .map(|filter| {
            if let Some(size) = filter.get("dataSize").and_then(Value::as_u64) {
                return Ok(Filter::DataSize(
                    usize::try_from(size).unwrap_or(usize::MAX),
                ));
            }
            let memcmp = filter
                .get("memcmp")
                .ok_or_else(|| bad_param(format!("unsupported filter {filter}")))?;
            let offset = memcmp
                .get("offset")
                .and_then(Value::as_u64)
                .and_then(|o| usize::try_from(o).ok())
                .ok_or_else(|| bad_param("memcmp needs an offset"))?;
            let text = memcmp
                .get("bytes")
                .and_then(Value::as_str)
                .ok_or_else(|| bad_param("memcmp needs bytes"))?;
            let bytes = match memcmp.get("encoding").and_then(Value::as_str) {
                Some("base64") => BASE64_STANDARD
                    .decode(text)
                    .map_err(|e| bad_param(format!("memcmp bytes: {e}")))?,
                _ => bs58::decode(text)
                    .into_vec()
                    .map_err(|e| bad_param(format!("memcmp bytes: {e}")))?,
            };
            Ok(Filter::Memcmp { offset, bytes })
        })
        .collect()
}

fn ui_account(account: &Account) -> Value {
    json!({
        "lamports": account.lamports,
        "data": [BASE64_STANDARD.encode(&account.data), "base64"],
        "owner": account.owner.to_string(),
        "executable": account.executable,
        "rentEpoch": account.rent_epoch,
        "space": account.data.len(),
    })
}

/// The `encoding` a request's config (its second parameter) asks for.
fn encoding_of(params: &Value) -> Option<&str> {
    params
        .get(1)
        .and_then(|config| config.get("encoding"))
        .and_then(Value::as_str)
}

/// The base state `S` (a token account or a mint, SPL Token or Token-2022) of `account`,
/// or `None` when it is not one.
fn token_base<S>(account: &Account) -> Option<S>
where
    S: anchor_spl::token_2022::spl_token_2022::extension::BaseState
        + anchor_lang::solana_program::program_pack::Pack,
{
    use anchor_spl::token_2022::spl_token_2022::extension::StateWithExtensions;
    let token_program =
        account.owner == anchor_spl::token::ID || account.owner == anchor_spl::token_2022::ID;
    token_program
        .then(|| StateWithExtensions::<S>::unpack(&account.data).ok())
        .flatten()
        .map(|s| s.base)
}

/// A token account's base state (SPL Token or Token-2022), or `None`.
fn token_account_state(
    account: &Account,
) -> Option<anchor_spl::token_2022::spl_token_2022::state::Account> {
    token_base(account)
}

/// A mint's base state (SPL Token or Token-2022), or `None`.
fn mint_state(account: &Account) -> Option<anchor_spl::token_2022::spl_token_2022::state::Mint> {
    token_base(account)
}

/// A node's answer to a transaction it refused without running it.
fn not_processed(err: solana_transaction_error::TransactionError) -> ClientError {
    RpcError::RpcResponseError {
        code: -32002,
        message: format!("Transaction was not processed: {err}"),
        data: RpcResponseErrorData::SendTransactionPreflightFailure(RpcSimulateTransactionResult {
            err: Some(UiTransactionError::from(err)),
            ..empty_simulation()
        }),
    }
    .into()
}

impl SandboxSender {
    /// The committed transaction with `signature`: `(slot, error)`.
    fn recorded(
        &self,
        signature: &Signature,
    ) -> Option<(u64, Option<solana_transaction_error::TransactionError>)> {
        let wanted = signature.to_string();
        let state = self.inner.state.lock().unwrap();
        state
            .history
            .iter()
            .rev()
            .find(|r| r.signature == wanted)
            .map(|r| (r.slot, r.err.clone()))
    }

    /// `getRecentPrioritizationFees`: per slot, the lowest compute-unit price among the
    /// recent committed transactions that wrote any of the given accounts (or all of them
    /// when none are given).
    fn prioritization_fees(&self, params: &Value) -> ClientResult<Value> {
        let accounts: Vec<Pubkey> = match params.get(0).and_then(Value::as_array) {
            Some(list) => (0..list.len())
                .map(|i| pubkey_param(&Value::Array(list.clone()), i))
                .collect::<ClientResult<_>>()?,
            None => vec![],
        };
        let state = self.inner.state.lock().unwrap();
        let mut per_slot: BTreeMap<u64, u64> = BTreeMap::new();
        for record in state.history.iter().rev().take(150) {
            let Ok(tx) = bincode::deserialize::<VersionedTransaction>(&record.transaction) else {
                continue;
            };
            let keys = tx.message.static_account_keys();
            let writes = accounts.is_empty()
                || record
                    .loaded_writable
                    .iter()
                    .any(|k| accounts.contains(&Pubkey::new_from_array(*k)))
                || keys.iter().enumerate().any(|(i, k)| {
                    accounts.contains(k)
                        && tx.message.is_maybe_writable_with_reserved_addresses(
                            i,
                            None::<&std::collections::HashSet<Pubkey>>,
                        )
                });
            if !writes || record.err.is_some() {
                continue;
            }
            let (_, price) = crate::instructions::compute_budget_of(&tx.message);
            per_slot
                .entry(record.slot)
                .and_modify(|p| *p = (*p).min(price))
                .or_insert(price);
        }
        Ok(Value::Array(
            per_slot
                .into_iter()
                .map(|(slot, fee)| json!({ "slot": slot, "prioritizationFee": fee }))
                .collect(),
        ))
    }

    async fn recent_hashed_slot(&self) -> ClientResult<u64> {
        let account = self
            .account(SLOT_HASHES_SYSVAR_ID)
            .await?
            .ok_or_else(|| rpc_err("no SlotHashes sysvar"))?;
        // bincode of Vec<(Slot, Hash)>, newest first: a u64 length, then the first slot.
        account
            .data
            .get(8..16)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map(u64::from_le_bytes)
            .ok_or_else(|| rpc_err("no recent slot hash"))
    }

    async fn slot(&self) -> ClientResult<u64> {
        self.inner
            .banks
            .get_root_slot()
            .await
            .map_err(|e| rpc_err(e.to_string()))
    }

    async fn with_context(&self, value: Value) -> ClientResult<Value> {
        Ok(json!({ "context": { "slot": self.slot().await? }, "value": value }))
    }

    async fn account(&self, address: Pubkey) -> ClientResult<Option<Account>> {
        self.inner
            .banks
            .get_account(address)
            .await
            .map_err(|e| rpc_err(e.to_string()))
    }

    /// Simulates, also returning the inner instructions the transaction would run.
    async fn simulate_with_inner(
        &self,
        tx: VersionedTransaction,
    ) -> ClientResult<(
        RpcSimulateTransactionResult,
        Vec<(u8, Vec<RecordedInstruction>)>,
    )> {
        let tx_top_level = tx.message.instructions().len();
        let simulated = self
            .inner
            .banks
            .simulate_transaction(tx)
            .await
            .map_err(|e| rpc_err(e.to_string()))?;
        let details = simulated.simulation_details;
        let inner: Vec<(u8, Vec<RecordedInstruction>)> = details
            .as_ref()
            .and_then(|d| d.inner_instructions.clone())
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .filter(|(_, group)| !group.is_empty())
            .map(|(index, group)| {
                let recorded = group
                    .into_iter()
                    .map(|inner| RecordedInstruction {
                        program_id_index: inner.instruction.program_id_index,
                        accounts: inner.instruction.accounts,
                        data: inner.instruction.data,
                        stack_height: inner.stack_height,
                    })
                    .collect();
                (u8::try_from(index).unwrap_or(u8::MAX), recorded)
            })
            .collect();
        let limit = self
            .inner
            .trace_limit
            .load(std::sync::atomic::Ordering::Relaxed);
        let too_long = (limit > 0)
            .then(|| trace_overflow(tx_top_level, &inner, limit))
            .flatten()
            .map(|index| {
                solana_transaction_error::TransactionError::InstructionError(
                    index,
                    solana_instruction_error::InstructionError::MaxInstructionTraceLengthExceeded,
                )
            });
        let result = RpcSimulateTransactionResult {
            err: simulated
                .result
                .and_then(|r| r.err())
                .or(too_long)
                .map(UiTransactionError::from),
            logs: details.as_ref().map(|d| d.logs.clone()),
            units_consumed: details.as_ref().map(|d| d.units_consumed),
            ..empty_simulation()
        };
        Ok((result, inner))
    }

    /// `simulateTransaction` with a validator's options: `sigVerify` (checks every
    /// signature first), `replaceRecentBlockhash` (simulates with the latest blockhash and
    /// reports it as `replacementBlockhash`; not together with `sigVerify`) and
    /// `innerInstructions` (reports them as `innerInstructions`).
    async fn simulate_request(&self, params: &Value) -> ClientResult<Value> {
        let mut tx = decode_transaction(params)?;
        let config: RpcSimulateTransactionConfig = params
            .get(1)
            .cloned()
            .map(serde_json::from_value)
            .transpose()?
            .unwrap_or_default();
        if config.sig_verify && config.replace_recent_blockhash {
            return Err(bad_param(
                "sigVerify may not be used with replaceRecentBlockhash",
            ));
        }
        if config.sig_verify && !tx.verify_with_results().iter().all(|ok| *ok) {
            return Err(RpcError::RpcResponseError {
                code: -32003,
                message: "Transaction signature verification failure".into(),
                data: RpcResponseErrorData::Empty,
            }
            .into());
        }
        let replacement = if config.replace_recent_blockhash {
            let (hash, last_valid) = self
                .inner
                .banks
                .get_latest_blockhash_with_commitment(CommitmentLevel::Processed)
                .await
                .map_err(|e| rpc_err(e.to_string()))?
                .ok_or_else(|| rpc_err("no blockhash"))?;
            tx.message.set_recent_blockhash(hash);
            Some(json!({ "blockhash": hash.to_string(), "lastValidBlockHeight": last_valid }))
        } else {
            None
        };
        let (result, inner) = self.simulate_with_inner(tx).await?;
        let mut value = serde_json::to_value(result)?;
        if let Some(replacement) = replacement {
            value["replacementBlockhash"] = replacement;
        }
        if config.inner_instructions {
            value["innerInstructions"] = inner_instructions_json(&inner);
        }
        self.with_context(value).await
    }

    async fn send_transaction(&self, params: &Value) -> ClientResult<Value> {
        let tx = decode_transaction(params)?;
        let config: RpcSendTransactionConfig = params
            .get(1)
            .cloned()
            .map(serde_json::from_value)
            .transpose()?
            .unwrap_or_default();
        // A node checks its status cache before anything else.
        let signature = tx.signatures.first().copied().unwrap_or_default();
        if self.recorded(&signature).is_some() {
            return Err(not_processed(
                solana_transaction_error::TransactionError::AlreadyProcessed,
            ));
        }
        // Simulate first in every case: a refused transaction never touches the chain when
        // preflight is on, and a committed one's inner instructions (where `emit_cpi!`
        // events live) are recorded for `getTransaction`.
        let (simulation, inner) = self.simulate_with_inner(tx.clone()).await?;
        if !config.skip_preflight {
            if let Some(err) = &simulation.err {
                return Err(RpcError::RpcResponseError {
                    code: -32002,
                    message: format!("Transaction simulation failed: {err}"),
                    data: RpcResponseErrorData::SendTransactionPreflightFailure(simulation),
                }
                .into());
            }
        }
        let (loaded_writable, loaded_readonly) = self
            .inner
            .loaded_addresses(&tx)
            .await
            .map_err(|e| rpc_err(e.to_string()))?;
        let changes_lookup_table = tx
            .message
            .static_account_keys()
            .contains(&ADDRESS_LOOKUP_TABLE_PROGRAM_ID);
        self.inner.touched.lock().unwrap().extend(
            tx.message
                .static_account_keys()
                .iter()
                .chain(&loaded_writable)
                .copied(),
        );
        let bytes = bincode::serialize(&tx).map_err(|e| rpc_err(e.to_string()))?;
        let fee = SIGNATURE_FEE_LAMPORTS * u64::from(tx.message.header().num_required_signatures)
            + crate::instructions::priority_fee_lamports(&tx.message);
        // Executed and committed like on a cluster: a transaction that fails while running
        // still lands (and pays its fee); its status carries the error.
        let processed = self
            .inner
            .banks
            .process_transaction_with_metadata(tx)
            .await
            .map_err(|e| rpc_err(e.to_string()))?;
        // One that never executed (unknown blockhash, bad signature, duplicate) has no
        // status, and a client would poll for it forever: refuse it at once instead.
        if let (Err(err), None) = (&processed.result, &processed.metadata) {
            return Err(not_processed(err.clone()));
        }
        let failed = processed.result.clone().err();
        let landed_ok = failed.is_none();
        let metadata =
            processed
                .metadata
                .unwrap_or_else(|| solana_banks_interface::TransactionMetadata {
                    log_messages: vec![],
                    compute_units_consumed: 0,
                    return_data: None,
                });
        let record = TxRecord {
            signature: signature.to_string(),
            slot: self.slot().await?,
            block_time: self.inner.unix_time(),
            transaction: bytes,
            // A failed transaction's inner instructions were rolled back: keep none.
            inner: if failed.is_some() { vec![] } else { inner },
            err: failed,
            fee,
            logs: metadata.log_messages,
            units: metadata.compute_units_consumed,
            loaded_writable: loaded_writable.iter().map(|k| k.to_bytes()).collect(),
            loaded_readonly: loaded_readonly.iter().map(|k| k.to_bytes()).collect(),
        };
        self.inner.state.lock().unwrap().history.push(record);
        // A lookup table's new addresses are usable from the next slot: move on to it, as a
        // cluster would within half a second.
        if changes_lookup_table && landed_ok {
            let next = self.inner.state.lock().unwrap().slot + 1;
            self.inner
                .warp_to_slot(next)
                .await
                .map_err(|e| rpc_err(e.to_string()))?;
        }
        Ok(Value::String(signature.to_string()))
    }

    fn transaction(&self, params: &Value) -> ClientResult<Value> {
        transaction_json(&self.inner.state.lock().unwrap().history, params)
    }

    /// `getProgramAccounts` with `dataSize` and `memcmp` filters, answered by scanning every
    /// account of the chain state (all of which some transaction created or touched).
    async fn program_accounts(&self, params: &Value) -> ClientResult<Value> {
        let program = pubkey_param(params, 0)?;
        let config = params.get(1).cloned().unwrap_or(Value::Null);
        let filters = parse_filters(config.get("filters"))?;
        let known: BTreeSet<Pubkey> = {
            let state = self.inner.state.lock().unwrap();
            let touched = self.inner.touched.lock().unwrap();
            state
                .accounts
                .keys()
                .map(|k| Pubkey::new_from_array(*k))
                .chain(touched.iter().copied())
                .collect()
        };
        let mut found = Vec::new();
        for address in known {
            let Some(account) = self.account(address).await? else {
                continue;
            };
            if account.owner == program && filters.iter().all(|f| f.matches(&account.data)) {
                found.push(
                    json!({ "pubkey": address.to_string(), "account": ui_account(&account) }),
                );
            }
        }
        if config.get("withContext").and_then(Value::as_bool) == Some(true) {
            self.with_context(Value::Array(found)).await
        } else {
            Ok(Value::Array(found))
        }
    }

    /// `account` at `address` in the encoding a request asked for: base64 (the default),
    /// base58, or jsonParsed, which a validator gives for token accounts and mints (with
    /// the mint's decimals) and which falls back to base64 for anything else.
    async fn encode(
        &self,
        address: &Pubkey,
        account: &Account,
        encoding: Option<&str>,
    ) -> ClientResult<Value> {
        let encoding = match encoding {
            None | Some("base64") => return Ok(ui_account(account)),
            Some("base58") => UiAccountEncoding::Base58,
            Some("base64+zstd") => UiAccountEncoding::Base64Zstd,
            Some("jsonParsed") => UiAccountEncoding::JsonParsed,
            Some(other) => return Err(bad_param(format!("unknown encoding {other:?}"))),
        };
        let additional = match token_account_state(account) {
            Some(state) if encoding == UiAccountEncoding::JsonParsed => {
                Some(AccountAdditionalDataV3 {
                    spl_token_additional_data: Some(SplTokenAdditionalDataV2::with_decimals(
                        self.decimals_of(&state.mint).await?,
                    )),
                })
            }
            _ => None,
        };
        let shared = solana_account::AccountSharedData::from(account.clone());
        Ok(serde_json::to_value(encode_ui_account(
            address, &shared, encoding, additional, None,
        ))?)
    }

    /// The decimals of `mint` (0 when it is no mint).
    async fn decimals_of(&self, mint: &Pubkey) -> ClientResult<u8> {
        Ok(self
            .account(*mint)
            .await?
            .as_ref()
            .and_then(mint_state)
            .map_or(0, |m| m.decimals))
    }

    /// `getTokenAccountsByOwner`: the token accounts (SPL Token and Token-2022) of an
    /// owner, of one mint or of one token program.
    async fn token_accounts_by_owner(&self, params: &Value) -> ClientResult<Value> {
        let owner = pubkey_param(params, 0)?;
        let filter = param(params, 1)?;
        let key = |name: &str| {
            filter
                .get(name)
                .and_then(Value::as_str)
                .map(|text| {
                    text.parse::<Pubkey>()
                        .map_err(|_| bad_param(format!("{name}: not an address")))
                })
                .transpose()
        };
        let (mint, program) = (key("mint")?, key("programId")?);
        if mint.is_none() == program.is_none() {
            return Err(bad_param("give either a mint or a programId"));
        }
        let programs = match program {
            Some(program) => vec![program],
            None => vec![anchor_spl::token::ID, anchor_spl::token_2022::ID],
        };
        let encoding = params
            .get(2)
            .and_then(|c| c.get("encoding"))
            .and_then(Value::as_str);
        let mut found = Vec::new();
        for program in programs {
            let mut filters = json!([{ "memcmp": { "offset": 32, "bytes": owner.to_string() } }]);
            if let Some(mint) = mint {
                filters
                    .as_array_mut()
                    .expect("a list")
                    .push(json!({ "memcmp": { "offset": 0, "bytes": mint.to_string() } }));
            }
            let accounts = self
                .program_accounts(&json!([program.to_string(), { "filters": filters }]))
                .await?;
            for entry in accounts.as_array().into_iter().flatten() {
                let address: Pubkey = entry["pubkey"]
                    .as_str()
                    .and_then(|a| a.parse().ok())
                    .ok_or_else(|| rpc_err("program account address"))?;
                let Some(account) = self.account(address).await? else {
                    continue;
                };
                if token_account_state(&account).is_none() {
                    continue; // a mint of the same program
                }
                found.push(json!({
                    "pubkey": address.to_string(),
                    "account": self.encode(&address, &account, encoding).await?,
                }));
            }
        }
        self.with_context(Value::Array(found)).await
    }

    async fn signature_statuses(&self, params: &Value) -> ClientResult<Value> {
        let signatures: Vec<Signature> = param(params, 0)?
            .as_array()
            .ok_or_else(|| bad_param("signatures must be a list"))?
            .iter()
            .map(|s| {
                s.as_str()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| bad_param("malformed signature"))
            })
            .collect::<ClientResult<_>>()?;
        let statuses = self
            .inner
            .banks
            .get_transaction_statuses(signatures.clone())
            .await
            .map_err(|e| rpc_err(e.to_string()))?;
        // The runtime knows this process's transactions; the history knows earlier ones.
        let statuses: Vec<Option<TransactionStatus>> = statuses
            .into_iter()
            .zip(&signatures)
            .map(|(status, signature)| {
                status
                    .map(|s| (s.slot, s.err))
                    .or_else(|| self.recorded(signature))
                    .map(|(slot, err)| TransactionStatus {
                        slot,
                        confirmations: None,
                        status: match &err {
                            Some(err) => Err(err.clone()),
                            None => Ok(()),
                        },
                        err,
                        confirmation_status: Some(TransactionConfirmationStatus::Finalized),
                    })
            })
            .collect();
        self.with_context(serde_json::to_value(statuses)?).await
    }
}

#[async_trait]
impl RpcSender for SandboxSender {
    async fn send(&self, request: RpcRequest, params: Value) -> ClientResult<Value> {
        let method = request.to_string();
        match method.as_str() {
            "getLatestBlockhash" => {
                let (hash, last_valid) = self
                    .inner
                    .banks
                    .get_latest_blockhash_with_commitment(CommitmentLevel::Processed)
                    .await
                    .map_err(|e| rpc_err(e.to_string()))?
                    .ok_or_else(|| rpc_err("no blockhash"))?;
                self.with_context(json!({
                    "blockhash": hash.to_string(),
                    "lastValidBlockHeight": last_valid,
                }))
                .await
            }
            // Sent transactions are processed before `sendTransaction` returns, so a client
            // never waits on a blockhash here; one that was never processed is refused.
            "isBlockhashValid" => self.with_context(Value::Bool(true)).await,
            "getAccountInfo" => {
                let address = pubkey_param(&params, 0)?;
                let account = self.account(address).await?;
                let encoded = match &account {
                    Some(account) => self.encode(&address, account, encoding_of(&params)).await?,
                    None => Value::Null,
                };
                self.with_context(encoded).await
            }
            "getTokenAccountsByOwner" => self.token_accounts_by_owner(&params).await,
            "getTokenAccountBalance" => {
                let address = pubkey_param(&params, 0)?;
                let account = self
                    .account(address)
                    .await?
                    .ok_or_else(|| bad_param(format!("could not find account {address}")))?;
                let state = token_account_state(&account)
                    .ok_or_else(|| bad_param(format!("{address} is not a token account")))?;
                let decimals = self.decimals_of(&state.mint).await?;
                let amount = token_amount_to_ui_amount_v3(
                    state.amount,
                    &SplTokenAdditionalDataV2::with_decimals(decimals),
                );
                self.with_context(serde_json::to_value(amount)?).await
            }
            "getTokenSupply" => {
                let address = pubkey_param(&params, 0)?;
                let account = self
                    .account(address)
                    .await?
                    .ok_or_else(|| bad_param(format!("could not find mint {address}")))?;
                let mint = mint_state(&account)
                    .ok_or_else(|| bad_param(format!("{address} is not a mint")))?;
                let supply = token_amount_to_ui_amount_v3(
                    mint.supply,
                    &SplTokenAdditionalDataV2::with_decimals(mint.decimals),
                );
                self.with_context(serde_json::to_value(supply)?).await
            }
            "getMultipleAccounts" => {
                let addresses = param(&params, 0)?
                    .as_array()
                    .ok_or_else(|| bad_param("addresses must be a list"))?
                    .clone();
                let encoding = encoding_of(&params);
                let mut accounts = Vec::with_capacity(addresses.len());
                for index in 0..addresses.len() {
                    let address = pubkey_param(&Value::Array(addresses.clone()), index)?;
                    accounts.push(match self.account(address).await? {
                        Some(account) => self.encode(&address, &account, encoding).await?,
                        None => Value::Null,
                    });
                }
                self.with_context(Value::Array(accounts)).await
            }
            "getBalance" => {
                let account = self.account(pubkey_param(&params, 0)?).await?;
                self.with_context(json!(account.map_or(0, |a| a.lamports)))
                    .await
            }
            "getMinimumBalanceForRentExemption" => {
                let size = param(&params, 0)?
                    .as_u64()
                    .and_then(|s| usize::try_from(s).ok())
                    .ok_or_else(|| bad_param("size must be a number"))?;
                let rent = self
                    .inner
                    .banks
                    .get_rent()
                    .await
                    .map_err(|e| rpc_err(e.to_string()))?;
                Ok(json!(rent.minimum_balance(size)))
            }
            "sendTransaction" => self.send_transaction(&params).await,
            "simulateTransaction" => self.simulate_request(&params).await,
            "getSignatureStatuses" => self.signature_statuses(&params).await,
            "getRecentPrioritizationFees" => self.prioritization_fees(&params),
            "getProgramAccounts" => self.program_accounts(&params).await,
            "getTransaction" => self.transaction(&params),
            "getSignaturesForAddress" => {
                signatures_for_address(&self.inner.state.lock().unwrap().history, &params)
            }
            "requestAirdrop" => {
                let to = pubkey_param(&params, 0)?;
                let lamports = param(&params, 1)?
                    .as_u64()
                    .ok_or_else(|| bad_param("lamports must be a number"))?;
                let signature = self
                    .inner
                    .airdrop(&to, lamports)
                    .await
                    .map_err(|e| rpc_err(e.to_string()))?;
                Ok(Value::String(signature.to_string()))
            }
            "getBlockHeight" => Ok(json!(self.slot().await?)),
            // The newest slot with a recorded hash, as a cluster's confirmed slot trails the
            // one being built (a lookup table needs such a slot to be created).
            "getSlot" => Ok(json!(self.recent_hashed_slot().await?)),
            "getEpochInfo" => {
                let slot = self.recent_hashed_slot().await?;
                let slots_in_epoch = SLOTS_PER_EPOCH;
                Ok(json!({
                    "absoluteSlot": slot,
                    "blockHeight": slot,
                    "epoch": slot / slots_in_epoch,
                    "slotIndex": slot % slots_in_epoch,
                    "slotsInEpoch": slots_in_epoch,
                    "transactionCount": self.inner.state.lock().unwrap().history.len(),
                }))
            }
            "getIdentity" => Ok(json!({ "identity": SANDBOX_IDENTITY.to_string() })),
            // The sandbox's own method (what `microdrop sandbox serve` offers for
            // `microdrop sandbox warp`): the clock moves forward to `[unix_time]`.
            "sandboxWarp" => {
                let unix_time = param(&params, 0)?
                    .as_i64()
                    .ok_or_else(|| bad_param("params: [unix_time]"))?;
                self.inner
                    .warp_to(unix_time)
                    .await
                    .map_err(|e| bad_param(e.to_string()))?;
                Ok(json!({ "unixTime": self.inner.unix_time() }))
            }
            // The sandbox's own: [`Sandbox::set_trace_limit`] over RPC, for rehearsing how a
            // page or wallet copes with a cluster that takes shorter traces.
            "sandboxTraceLimit" => {
                let limit = param(&params, 0)?
                    .as_u64()
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or_else(|| bad_param("params: [entries] (0 lifts the limit)"))?;
                self.inner.set_trace_limit(limit);
                Ok(json!({ "traceLimit": limit }))
            }
            // What the sandbox charges: the signature fee per signer plus the priority fee.
            "getFeeForMessage" => {
                let encoded = param(&params, 0)?
                    .as_str()
                    .ok_or_else(|| bad_param("the message must be a base64 string"))?;
                let bytes = BASE64_STANDARD
                    .decode(encoded)
                    .map_err(|e| bad_param(format!("the message is not base64: {e}")))?;
                let message: solana_message::VersionedMessage = bincode::deserialize(&bytes)
                    .map_err(|e| bad_param(format!("not a transaction message: {e}")))?;
                let fee = SIGNATURE_FEE_LAMPORTS
                    * u64::from(message.header().num_required_signatures)
                    + crate::instructions::priority_fee_lamports(&message);
                self.with_context(json!(fee)).await
            }
            "getVersion" => Ok(json!({ "solana-core": "4.2.2", "feature-set": 0 })),
            "getHealth" => Ok(json!("ok")),
            "getGenesisHash" => Ok(json!(SANDBOX_URL)),
            other => Err(rpc_err(format!(
                "the sandbox does not implement the RPC method {other}"
            ))),
        }
    }

    fn get_transport_stats(&self) -> RpcTransportStats {
        RpcTransportStats::default()
    }

    fn url(&self) -> String {
        SANDBOX_URL.to_string()
    }
}
