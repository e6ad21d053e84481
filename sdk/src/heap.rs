//! What microdrop's heap would be on sBPF, measured while it runs natively.
//!
//! On a real cluster a program gets a 32 KiB heap served by a bump allocator that never
//! frees: every allocation of an invocation stays charged until it returns. The native
//! runtime has no such limit, so a mint that works in every test could abort on mainnet.
//! This module measures instead of guessing:
//!
//! - [`CountingAllocator`], installed as the `#[global_allocator]` of a test or benchmark
//!   binary, replays each allocation microdrop makes through the bump allocator's own
//!   arithmetic (`pos = (pos - size) & !(align - 1)`, downwards from an aligned top), so
//!   padding is charged exactly as sBPF charges it. `realloc` is a new allocation, as there.
//! - The sBPF entrypoint allocates before the program runs: the `AccountInfo` vector and
//!   two `Rc`s per unique account. [`enter_invocation`] charges those from the accounts.
//! - Every CPI copies its instruction into a `StableInstruction` (the account metas and
//!   the data) on the caller's heap. [`charge_cpi`] charges that copy.
//! - The host's own work (the runtime running a CPI's callee, sysvar stubs) is not the
//!   program's heap: [`Pause`] stops the count while it runs.
//!
//! Each invocation, the self-CPI that carries an event included, has its own frame, as on
//! sBPF where every invocation gets a fresh heap. [`take_peak`] returns the largest frame
//! since the last call. Counting is per thread: the runtime runs the program on the thread
//! that sent the transaction.

use std::{
    alloc::{GlobalAlloc, Layout, System},
    cell::Cell,
    sync::atomic::{AtomicBool, Ordering},
};

use anchor_lang::prelude::AccountInfo;
use solana_message::Instruction;

/// The heap a program gets on sBPF without requesting a larger frame.
pub const SBPF_HEAP_BYTES: usize = 32 * 1024;

/// The bump allocator keeps its position in the heap's first word.
const POSITION_WORD: usize = std::mem::size_of::<u64>();

/// Size of a serialized `AccountMeta` in a `StableInstruction` copy: key and two flags.
pub const CPI_BYTES_PER_ACCOUNT: usize = 34;

/// Invocation depth tracked (sBPF allows 5 levels of CPI, and the trace is shallower).
const MAX_DEPTH: usize = 8;

thread_local! {
    /// How deep in microdrop invocations this thread is (0: not in microdrop).
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    /// Bytes charged to each open invocation's heap.
    static USED: Cell<[usize; MAX_DEPTH]> = const { Cell::new([0; MAX_DEPTH]) };
    /// Open host calls (stubs) per invocation depth: their allocations are not the program's.
    static PAUSED: Cell<[usize; MAX_DEPTH]> = const { Cell::new([0; MAX_DEPTH]) };
    /// The largest finished invocation's heap since the last [`take_peak`].
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

static INSTALLED: AtomicBool = AtomicBool::new(false);

/// A global allocator that serves from the system allocator and charges microdrop's own
/// allocations to the sBPF heap model. Install it with
/// `#[global_allocator] static ALLOC: CountingAllocator = CountingAllocator;`.
pub struct CountingAllocator;

// SAFETY: every call is forwarded unchanged to `System`; the bookkeeping touches only
// const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        charge(layout.size(), layout.align());
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        charge(layout.size(), layout.align());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // The bump allocator's realloc is the default one: a new block and a copy.
        charge(new_size, layout.align());
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Whether [`CountingAllocator`] serves this process (measurements are zero otherwise).
pub fn installed() -> bool {
    INSTALLED.load(Ordering::Relaxed)
}

/// `used` after a bump allocation of `size` bytes at `align`, counted down from a top that
/// is aligned to the heap's size.
pub fn bump(used: usize, size: usize, align: usize) -> usize {
    let unaligned = used.saturating_add(size);
    unaligned
        .div_ceil(align.max(1))
        .saturating_mul(align.max(1))
}

fn charge(size: usize, align: usize) {
    if !INSTALLED.load(Ordering::Relaxed) {
        INSTALLED.store(true, Ordering::Relaxed);
    }
    // `try_with`: allocations during thread teardown find the thread-locals gone.
    let _ = DEPTH.try_with(|depth| {
        let depth = depth.get();
        if depth == 0 || depth > MAX_DEPTH {
            return;
        }
        let paused = PAUSED.try_with(|p| p.get()[depth - 1] > 0).unwrap_or(true);
        if paused {
            return;
        }
        let _ = USED.try_with(|used| {
            let mut all = used.get();
            all[depth - 1] = bump(all[depth - 1], size, align);
            used.set(all);
        });
    });
}

/// Opens an invocation's heap and charges what the sBPF entrypoint allocates before the
/// program runs: the `AccountInfo` vector and, per unique account, the `Rc<RefCell<_>>`s
/// of its lamports and data.
pub fn enter_invocation(accounts: &[AccountInfo<'_>]) {
    let depth = DEPTH.with(|d| {
        let depth = d.get() + 1;
        d.set(depth);
        depth
    });
    if depth > MAX_DEPTH {
        return;
    }
    USED.with(|used| {
        let mut all = used.get();
        all[depth - 1] = POSITION_WORD;
        used.set(all);
    });
    PAUSED.with(|paused| {
        let mut all = paused.get();
        all[depth - 1] = 0;
        paused.set(all);
    });
    if !installed() {
        return; // nothing counts (the CLI's sandbox): skip the per-account work
    }
    let word = std::mem::align_of::<usize>();
    // The vector holds one `AccountInfo` per account, duplicates included.
    charge(std::mem::size_of_val(accounts), word);
    // An `RcBox` is the two counts and the value.
    let rc_lamports =
        2 * std::mem::size_of::<usize>() + std::mem::size_of::<std::cell::RefCell<&mut u64>>();
    let rc_data =
        2 * std::mem::size_of::<usize>() + std::mem::size_of::<std::cell::RefCell<&mut [u8]>>();
    for (i, account) in accounts.iter().enumerate() {
        if accounts[..i]
            .iter()
            .any(|earlier| earlier.key == account.key)
        {
            continue; // a duplicate clones the first one's `Rc`s
        }
        charge(rc_lamports, word);
        charge(rc_data, word);
    }
}

/// Closes the innermost invocation's heap and keeps it if it is the largest so far.
pub fn exit_invocation() {
    let depth = DEPTH.with(|d| {
        let depth = d.get();
        d.set(depth.saturating_sub(1));
        depth
    });
    if depth == 0 || depth > MAX_DEPTH {
        return;
    }
    let used = USED.with(|u| u.get()[depth - 1]);
    PEAK.with(|peak| peak.set(peak.get().max(used)));
}

/// Charges the `StableInstruction` copy a CPI makes of `instruction` on the caller's heap.
pub fn charge_cpi(instruction: &Instruction) {
    charge(instruction.accounts.len() * CPI_BYTES_PER_ACCOUNT, 1);
    charge(instruction.data.len(), 1);
}

/// While alive, the current invocation's heap is not charged: the host is working (a
/// CPI's callee, a sysvar stub), not the program.
pub struct Pause {
    depth: usize,
}

impl Pause {
    pub fn new() -> Self {
        let depth = DEPTH.with(Cell::get);
        if (1..=MAX_DEPTH).contains(&depth) {
            PAUSED.with(|paused| {
                let mut all = paused.get();
                all[depth - 1] += 1;
                paused.set(all);
            });
        }
        Self { depth }
    }
}

impl Default for Pause {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Pause {
    fn drop(&mut self) {
        if (1..=MAX_DEPTH).contains(&self.depth) {
            let _ = PAUSED.try_with(|paused| {
                let mut all = paused.get();
                all[self.depth - 1] = all[self.depth - 1].saturating_sub(1);
                paused.set(all);
            });
        }
    }
}

/// The largest heap any microdrop invocation on this thread used since the last call,
/// in bytes of the sBPF heap (its position word included); resets it.
pub fn take_peak() -> usize {
    PEAK.with(|peak| peak.replace(0))
}

#[cfg(test)]
mod tests {
    use super::bump;

    #[test]
    fn bump_charges_padding_like_the_sbpf_allocator() {
        // The sBPF allocator: pos = (pos - size) & !(align - 1), from an aligned top.
        let top: usize = 0x3_0000_8000;
        let mut pos = top;
        let mut used = 0;
        for (size, align) in [(3, 1), (8, 8), (34, 1), (48, 8), (1, 1), (16, 16), (0, 8)] {
            pos = (pos - size) & !(align - 1);
            used = bump(used, size, align);
            assert_eq!(used, top - pos, "after {size} bytes at {align}");
        }
    }
}
