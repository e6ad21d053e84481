//! Creating this program's accounts: every account at a predictable address is created
//! through [`create_pda_account`], which works whether or not someone funded the address
//! first, under any feature set.

use anchor_lang::{
    prelude::*,
    solana_program::program::{invoke, invoke_signed},
};

/// Creates a PDA account owned by `owner`, even if someone already sent lamports to its
/// (predictable) address.
///
/// Every account the program creates at a predictable address goes through here, never
/// through Anchor's `init`. With lamports already at the address, `init` uses the system
/// program's `CreateAccountAllowPrefund`, which exists only where SIMD-0312 is active;
/// elsewhere a plain transfer to the address would make its creation fail for good. This
/// tops the account up to rent exemption, then allocates and assigns it, which works under
/// any feature set. An address that already holds data or belongs to a program is refused
/// by the system program (`AccountAlreadyInUse`), as `create_account` refuses it.
pub fn create_pda_account<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    space: usize,
    owner: &Pubkey,
    seeds: &[&[u8]],
) -> Result<()> {
    create_pda_account_funded(payer, target, system, space, space, owner, seeds)
}

/// [`create_pda_account`] for an account that its owner will grow: `space` bytes, funded
/// rent-exempt for `funded_for` bytes (Token-2022 mints, which grow as metadata and group
/// entries are added after `InitializeMint2` fixed their initial size).
pub fn create_pda_account_funded<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    space: usize,
    funded_for: usize,
    owner: &Pubkey,
    seeds: &[&[u8]],
) -> Result<()> {
    let rent = Rent::get()?.minimum_balance(space.max(funded_for));
    create_pda_account_holding(payer, target, system, space, rent, owner, seeds)
}

/// [`create_pda_account`] for an account that must hold `lamports` (at least its rent):
/// created with them, or topped up to them when someone funded the address first.
pub fn create_pda_account_holding<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    space: usize,
    lamports: u64,
    owner: &Pubkey,
    seeds: &[&[u8]],
) -> Result<()> {
    let rent = lamports;
    let space_u64 =
        u64::try_from(space).map_err(|_| crate::errors::MicrodropError::ArithmeticOverflow)?;
    if target.lamports() == 0 {
        let ix = anchor_lang::solana_program::system_instruction::create_account(
            payer.key, target.key, rent, space_u64, owner,
        );
        return invoke_signed(
            &ix,
            &[payer.clone(), target.clone(), system.clone()],
            &[seeds],
        )
        .map_err(Into::into);
    }
    let top_up = rent.saturating_sub(target.lamports());
    if top_up > 0 {
        let ix = anchor_lang::solana_program::system_instruction::transfer(
            payer.key, target.key, top_up,
        );
        invoke(&ix, &[payer.clone(), target.clone(), system.clone()])?;
    }
    let allocate = anchor_lang::solana_program::system_instruction::allocate(target.key, space_u64);
    invoke_signed(&allocate, &[target.clone(), system.clone()], &[seeds])?;
    let assign = anchor_lang::solana_program::system_instruction::assign(target.key, owner);
    invoke_signed(&assign, &[target.clone(), system.clone()], &[seeds]).map_err(Into::into)
}

/// Creates one of this program's accounts at a PDA (prefund-safe, see
/// [`create_pda_account`]) with `8 + T::INIT_SPACE` bytes and writes `value` into it.
pub fn create_program_account<'info, T: AccountSerialize + Space>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    seeds: &[&[u8]],
    value: &T,
) -> Result<()> {
    create_pda_account(payer, target, system, 8 + T::INIT_SPACE, &crate::ID, seeds)?;
    write_account(target, value)
}

/// Saves `value` at a PDA of this program: creates the account (prefund-safe) while this
/// program does not own it yet, and overwrites it afterwards.
pub fn save_program_account<'info, T: AccountSerialize + Space>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    seeds: &[&[u8]],
    value: &T,
) -> Result<()> {
    if *target.owner == crate::ID {
        write_account(target, value)
    } else {
        create_program_account(payer, target, system, seeds, value)
    }
}

/// Writes `value` (discriminator and fields) over an account of this program.
pub fn write_account<T: AccountSerialize>(target: &AccountInfo<'_>, value: &T) -> Result<()> {
    let mut data = target.try_borrow_mut_data()?;
    value.try_serialize(&mut &mut data[..])
}

/// Grows a table account of this program (the item-tier or item-price table) to `len`
/// bytes, `payer` topping its rent up; a no-op when it is already that long.
pub fn grow_table<'info>(
    payer: &AccountInfo<'info>,
    table: &AccountInfo<'info>,
    len: usize,
) -> Result<()> {
    if table.data_len() >= len {
        return Ok(());
    }
    let top_up = Rent::get()?
        .minimum_balance(len)
        .saturating_sub(table.lamports());
    if top_up > 0 {
        let ix =
            anchor_lang::solana_program::system_instruction::transfer(payer.key, table.key, top_up);
        invoke(&ix, &[payer.clone(), table.clone()])?;
    }
    table.resize(len).map_err(Into::into)
}
