//! Instruction builders: pure functions that return [`Instruction`]s and never send.

use anchor_lang::{prelude::Pubkey, InstructionData, ToAccountMetas};
use microdrop::{
    instructions::{CreateDropArgs, SetDropStatusArgs},
    state::DropStatus,
};
use solana_message::Instruction;

use crate::{
    pda, ASSOCIATED_TOKEN_PROGRAM_ID, SYSTEM_PROGRAM_ID, TOKEN_METADATA_PROGRAM_ID,
    TOKEN_PROGRAM_ID,
};

/// `create_drop`: the drop, its collection NFT and the creator's token account for it.
///
/// `currency_mint` prices the drop in that SPL token; `None` prices it in SOL.
///
/// ```
/// # use microdrop_sdk::{instructions, Pubkey, microdrop::instructions::CreateDropArgs};
/// let creator = Pubkey::new_unique();
/// let ix = instructions::create_drop(&creator, None, CreateDropArgs {
///     id: "spring-zine".into(), name: "Spring Zine".into(), symbol: "ZINE".into(),
///     uri: "https://example.com/c.json".into(),
///     item_uri: "https://example.com/{index}.json".into(),
///     supply: 100, seller_fee_bps: 500,
/// });
/// assert_eq!(ix.program_id, microdrop_sdk::microdrop::ID);
/// ```
pub fn create_drop(
    authority: &Pubkey,
    currency_mint: Option<&Pubkey>,
    args: CreateDropArgs,
) -> Instruction {
    let drop = pda::drop(authority, &args.id).0;
    let collection_mint = pda::collection_mint(&drop).0;
    let accounts = microdrop::accounts::CreateDrop {
        authority: *authority,
        drop,
        collection_mint,
        collection_token: pda::associated_token(authority, &collection_mint).0,
        collection_metadata: pda::metadata(&collection_mint).0,
        collection_master_edition: pda::master_edition(&collection_mint).0,
        currency_mint: currency_mint.copied(),
        token_metadata_program: TOKEN_METADATA_PROGRAM_ID,
        token_program: TOKEN_PROGRAM_ID,
        associated_token_program: ASSOCIATED_TOKEN_PROGRAM_ID,
        system_program: SYSTEM_PROGRAM_ID,
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    Instruction {
        program_id: microdrop::ID,
        accounts: accounts.to_account_metas(None),
        data: microdrop::instruction::CreateDrop { args }.data(),
    }
}

/// `set_drop_status`, signed by the drop's authority.
pub fn set_drop_status(authority: &Pubkey, drop: &Pubkey, status: DropStatus) -> Instruction {
    let accounts = microdrop::accounts::SetDropStatus {
        authority: *authority,
        drop: *drop,
        event_authority: pda::event_authority().0,
        program: microdrop::ID,
    };
    Instruction {
        program_id: microdrop::ID,
        accounts: accounts.to_account_metas(None),
        data: microdrop::instruction::SetDropStatus {
            args: SetDropStatusArgs { status },
        }
        .data(),
    }
}
