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
//! - Natively, `Pubkey::find_program_address` searches for the bump on the host: per bump
//!   tried it copies the seeds into a `Vec`, pushes the bump (a reallocation) and drops it.
//!   On sBPF the whole search is one syscall that allocates nothing on the program's heap.
//!   The allocator recognises that exact sequence (an allocation of `n` seed slices, its
//!   growth to `max(2n, 4)` slices, and its release, with nothing in between) and takes
//!   it back, so the figures neither count it nor vary with how many bumps a key needs.
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
    /// The newest charged allocation, while it may be a host bump search's seed copy:
    /// `(depth, address, size, heap used before it)`; then, once it grew as the push of a
    /// bump grows it, `(depth, new address, 0, heap used before the copy)`.
    static SEED_COPY: Cell<Option<(usize, usize, usize, usize)>> = const { Cell::new(None) };
}

/// Size of a seed (`&[u8]`) in the seed copies of a host bump search.
const SEED_SLICE: usize = std::mem::size_of::<&[u8]>();

static INSTALLED: AtomicBool = AtomicBool::new(false);

/// A global allocator that serves from the system allocator and charges microdrop's own
/// allocations to the sBPF heap model. Install it with
/// `#[global_allocator] static ALLOC: CountingAllocator = CountingAllocator;`.
pub struct CountingAllocator;

// SAFETY: every call is forwarded unchanged to `System`; the bookkeeping touches only
// const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let before = charge(layout.size(), layout.align());
        let ptr = unsafe { System.alloc(layout) };
        note_allocation(before, ptr, layout);
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let before = charge(layout.size(), layout.align());
        let ptr = unsafe { System.alloc_zeroed(layout) };
        note_allocation(before, ptr, layout);
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note_release(ptr);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // The bump allocator's realloc is the default one: a new block and a copy.
        charge(new_size, layout.align());
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        note_growth(ptr, new, layout, new_size);
        new
    }
}

/// After a charged allocation (`before`: the heap used until then): it may be a host
/// bump search copying its seeds.
fn note_allocation(before: Option<(usize, usize)>, ptr: *mut u8, layout: Layout) {
    let seed_copy = before.filter(|_| {
        layout.align() == std::mem::align_of::<&[u8]>()
            && layout.size() > 0
            && layout.size().is_multiple_of(SEED_SLICE)
    });
    let _ = SEED_COPY.try_with(|copy| {
        copy.set(seed_copy.map(|(depth, used)| (depth, ptr as usize, layout.size(), used)))
    });
}

/// After a reallocation: the seed copy growing as pushing the bump grows it, or else
/// not a bump search.
fn note_growth(old: *mut u8, new: *mut u8, layout: Layout, new_size: usize) {
    let _ = SEED_COPY.try_with(|copy| {
        let grown = match copy.get() {
            Some((depth, address, size, used))
                if size > 0
                    && address == old as usize
                    && layout.size() == size
                    && new_size == SEED_SLICE * (2 * (size / SEED_SLICE)).max(4) =>
            {
                Some((depth, new as usize, 0, used))
            }
            _ => None,
        };
        copy.set(grown);
    });
}

/// On a release: the grown seed copy going away completes a host bump search's try, whose
/// charges are taken back.
fn note_release(ptr: *mut u8) {
    let _ = SEED_COPY.try_with(|copy| {
        if let Some((depth, address, 0, used)) = copy.get() {
            if address == ptr as usize && DEPTH.try_with(Cell::get).ok() == Some(depth) {
                let _ = USED.try_with(|all| {
                    let mut frames = all.get();
                    frames[depth - 1] = used;
                    all.set(frames);
                });
            }
        }
        copy.set(None);
    });
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

/// Charges an allocation to the current invocation's heap. Returns `(depth, heap used
/// before it)` when it was charged.
fn charge(size: usize, align: usize) -> Option<(usize, usize)> {
    if !INSTALLED.load(Ordering::Relaxed) {
        INSTALLED.store(true, Ordering::Relaxed);
    }
    // `try_with`: allocations during thread teardown find the thread-locals gone.
    let depth = DEPTH.try_with(Cell::get).ok()?;
    if depth == 0 || depth > MAX_DEPTH {
        return None;
    }
    let paused = PAUSED.try_with(|p| p.get()[depth - 1] > 0).unwrap_or(true);
    if paused {
        return None;
    }
    USED.try_with(|used| {
        let mut all = used.get();
        let before = all[depth - 1];
        all[depth - 1] = bump(before, size, align);
        used.set(all);
        (depth, before)
    })
    .ok()
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

/// The heap used so far by the innermost open invocation (0 outside one).
pub fn current() -> usize {
    let depth = DEPTH.with(Cell::get);
    if (1..=MAX_DEPTH).contains(&depth) {
        USED.with(|u| u.get()[depth - 1])
    } else {
        0
    }
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
    use std::alloc::{GlobalAlloc, Layout};

    use super::*;

    /// Drives the counting allocator directly (the test binary's global allocator is the
    /// system's): `steps` run inside a fresh invocation frame, which is left open.
    fn within_frame(steps: impl FnOnce(&CountingAllocator)) -> usize {
        enter_invocation(&[]);
        let start = current();
        steps(&CountingAllocator);
        let used = current() - start;
        exit_invocation();
        used
    }

    fn slices(n: usize) -> Layout {
        Layout::from_size_align(n * SEED_SLICE, std::mem::align_of::<&[u8]>()).unwrap()
    }

    #[test]
    fn a_host_bump_search_is_not_charged_and_other_allocations_are() {
        // Three seeds copied, the bump pushed (growth to 6 slices), the copy dropped: the
        // host's `find_program_address`, twice.
        let search = within_frame(|a| unsafe {
            for _ in 0..2 {
                let copy = a.alloc(slices(3));
                let grown = a.realloc(copy, slices(3), 6 * SEED_SLICE);
                a.dealloc(grown, slices(6));
            }
        });
        assert_eq!(search, 0);
        // One seed: the growth goes to the minimum capacity of 4.
        let one_seed = within_frame(|a| unsafe {
            let copy = a.alloc(slices(1));
            let grown = a.realloc(copy, slices(1), 4 * SEED_SLICE);
            a.dealloc(grown, slices(4));
        });
        assert_eq!(one_seed, 0);
        // The same sizes with something allocated in between are the program's own.
        let interleaved = within_frame(|a| unsafe {
            let copy = a.alloc(slices(3));
            let other = a.alloc(Layout::from_size_align(8, 8).unwrap());
            let grown = a.realloc(copy, slices(3), 6 * SEED_SLICE);
            a.dealloc(grown, slices(6));
            a.dealloc(other, Layout::from_size_align(8, 8).unwrap());
        });
        assert_eq!(interleaved, 3 * 16 + 8 + 6 * 16);
        // A growth that is not a single push, and a copy that is kept, are charged.
        let kept = within_frame(|a| unsafe {
            let copy = a.alloc(slices(3));
            let grown = a.realloc(copy, slices(3), 6 * SEED_SLICE);
            let more = a.alloc(Layout::from_size_align(8, 8).unwrap());
            a.dealloc(grown, slices(6));
            a.dealloc(more, Layout::from_size_align(8, 8).unwrap());
        });
        assert_eq!(kept, 3 * 16 + 6 * 16 + 8);
    }

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
