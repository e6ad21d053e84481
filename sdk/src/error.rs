//! The SDK's error type, with program error codes decoded to their names.
//!
//! A failed transaction reports only `InstructionError::Custom(code)`, and the same number
//! means different things in different programs (Token Metadata's 0x1 is not SPL Token's
//! 0x1). The program that raised it is read from the logs where they name one, otherwise
//! the failing top-level instruction's program is assumed.

use anchor_lang::prelude::Pubkey;
use anchor_spl::metadata::mpl_token_metadata::errors::MplTokenMetadataError;
use microdrop::errors::MicrodropError;
use solana_instruction_error::InstructionError;
use solana_rpc_client_api::client_error::Error as ClientError;
use solana_transaction_error::TransactionError;

use crate::{SYSTEM_PROGRAM_ID, TOKEN_METADATA_PROGRAM_ID, TOKEN_PROGRAM_ID};

/// Everything the SDK can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A program refused the transaction.
    #[error("{program} error {name} ({code}): {message}")]
    Program {
        /// Which program raised it (`microdrop`, `token-metadata`, ...).
        program: String,
        /// The raw custom error code.
        code: u32,
        /// The error's name, e.g. `DropSupplyZero`.
        name: String,
        /// Human-readable description.
        message: String,
        /// Program logs, when the cluster returned them.
        logs: Vec<String>,
    },
    /// The transaction failed for a reason that is not a program's custom error.
    #[error("transaction failed: {error}")]
    Transaction {
        error: TransactionError,
        logs: Vec<String>,
    },
    /// The RPC node or transport failed.
    #[error("rpc: {0}")]
    Rpc(String),
    /// A transaction is over the size a cluster accepts; nothing was sent.
    #[error(
        "the transaction is {bytes} bytes, over the {limit} a cluster accepts; send it \
         through a lookup table (`microdrop launch` creates the drop's)"
    )]
    TooLarge { bytes: usize, limit: usize },
    /// An account's data could not be decoded.
    #[error("decode: {0}")]
    Decode(String),
    /// An account that must exist does not.
    #[error("account {0} not found")]
    AccountNotFound(Pubkey),
    /// Something asked for does not exist (a tier label, a held item).
    #[error("{0}")]
    NotFound(String),
    /// A mint split over several transactions failed after some of them landed.
    #[error("minted {} item(s) in {} transaction(s), then: {failure}", minted.len(), signatures.len())]
    MintIncomplete {
        minted: Vec<Pubkey>,
        signatures: Vec<solana_transaction::Signature>,
        failure: Box<Error>,
    },
    /// A voucher could not be read or does not verify.
    #[error("voucher: {0}")]
    Voucher(String),
    /// An allow list is invalid, or its file cannot be used.
    #[error("allow list: {0}")]
    AllowList(String),
    /// A keypair file could not be read or written.
    #[error("keypair {0}")]
    Keypair(String),
    /// The embedded sandbox failed (state files, runtime).
    #[error("sandbox: {0}")]
    Sandbox(String),
    /// An argument the program would refuse; nothing was sent.
    #[error("{0}")]
    InvalidInput(String),
}

impl Error {
    /// The program error's name, if this is (or, for a partial mint, ended in) a program
    /// error.
    pub fn program_error_name(&self) -> Option<&str> {
        self.program_error().map(|(_, _, name)| name)
    }

    /// `(program, code, name)` of the program error this is, or that a partial mint ended
    /// in.
    pub fn program_error(&self) -> Option<(&str, u32, &str)> {
        match self {
            Error::Program {
                program,
                code,
                name,
                ..
            } => Some((program, *code, name)),
            Error::MintIncomplete { failure, .. } => failure.program_error(),
            _ => None,
        }
    }

    /// Whether a transaction was refused for using more than the 64 instruction-trace
    /// entries (top-level instructions and CPIs) a transaction may.
    pub fn is_trace_too_long(&self) -> bool {
        use solana_instruction_error::InstructionError;
        match self {
            Error::Transaction { error, .. } => matches!(
                error,
                TransactionError::InstructionError(
                    _,
                    InstructionError::MaxInstructionTraceLengthExceeded
                )
            ),
            Error::MintIncomplete { failure, .. } => failure.is_trace_too_long(),
            _ => false,
        }
    }

    /// Program logs the cluster returned with a failed transaction (empty otherwise).
    pub fn logs(&self) -> &[String] {
        match self {
            Error::Program { logs, .. } | Error::Transaction { logs, .. } => logs,
            Error::MintIncomplete { failure, .. } => failure.logs(),
            _ => &[],
        }
    }

    /// Builds the richest error from a failed RPC call: a named program error when the
    /// transaction failed with a custom code, else the transaction error, else the RPC error.
    pub fn from_client_error(err: ClientError, top_level_programs: &[Pubkey]) -> Self {
        let logs = preflight_logs(&err);
        match err.get_transaction_error() {
            Some(tx_err) => Self::from_transaction_error(tx_err, logs, top_level_programs),
            None => Error::Rpc(err.to_string()),
        }
    }

    /// Names a transaction error. `top_level_programs[i]` is the program of instruction `i`.
    pub fn from_transaction_error(
        error: TransactionError,
        logs: Vec<String>,
        top_level_programs: &[Pubkey],
    ) -> Self {
        use solana_transaction_error::TransactionError as T;
        if let T::InstructionError(index, InstructionError::Custom(code)) = &error {
            let program = failing_program_from_logs(&logs, *code)
                .or_else(|| top_level_programs.get(usize::from(*index)).copied());
            if let Some(program) = program {
                let (program_name, name, message) = describe_custom_error(&program, *code);
                return Error::Program {
                    program: program_name,
                    code: *code,
                    name,
                    message,
                    logs,
                };
            }
        }
        Error::Transaction { error, logs }
    }
}

fn preflight_logs(err: &ClientError) -> Vec<String> {
    use solana_rpc_client_api::{
        client_error::ErrorKind,
        request::{RpcError, RpcResponseErrorData},
    };
    match err.kind() {
        ErrorKind::RpcError(RpcError::RpcResponseError {
            data: RpcResponseErrorData::SendTransactionPreflightFailure(sim),
            ..
        }) => sim.logs.clone().unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The last program whose failure line in the logs carries `code`.
fn failing_program_from_logs(logs: &[String], code: u32) -> Option<Pubkey> {
    let suffix = format!("failed: custom program error: {code:#x}");
    logs.iter().rev().find_map(|line| {
        let rest = line.strip_prefix("Program ")?;
        let (id, tail) = rest.split_once(' ')?;
        (tail == suffix).then(|| id.parse().ok()).flatten()
    })
}

/// `(program name, error name, message)` for a custom error code raised by `program`.
pub fn describe_custom_error(program: &Pubkey, code: u32) -> (String, String, String) {
    if *program == microdrop::ID {
        if let Some(err) = microdrop_error(code) {
            return ("microdrop".into(), err.name(), err.to_string());
        }
        if let Some(name) = anchor_error_name(code) {
            return (
                "microdrop".into(),
                name.into(),
                format!("Anchor framework error {code}"),
            );
        }
        // Anchor's `init` surfaces the System program's codes through the caller.
        if let Some((name, message)) = system_error(code) {
            return ("system".into(), name.into(), message.into());
        }
        return (
            "microdrop".into(),
            format!("Custom({code})"),
            "unknown error".into(),
        );
    }
    if *program == TOKEN_METADATA_PROGRAM_ID {
        let name = <MplTokenMetadataError as num_traits::FromPrimitive>::from_u32(code)
            .map(|e| (format!("{e:?}"), e.to_string()));
        if let Some((name, message)) = name {
            return ("token-metadata".into(), name, message);
        }
    }
    if *program == SYSTEM_PROGRAM_ID {
        if let Some((name, message)) = system_error(code) {
            return ("system".into(), name.into(), message.into());
        }
    }
    if *program == TOKEN_PROGRAM_ID {
        if let Some((name, message)) = token_error(code) {
            return ("spl-token".into(), name.into(), message.into());
        }
    }
    (
        program.to_string(),
        format!("Custom({code})"),
        "unknown error".into(),
    )
}

/// The microdrop error with this code, if any.
pub fn microdrop_error(code: u32) -> Option<MicrodropError> {
    let offset = anchor_lang::error::ERROR_CODE_OFFSET;
    code.checked_sub(offset)
        .and_then(<MicrodropError as num_traits::FromPrimitive>::from_u32)
}

/// Anchor framework error names by code, in the ranges Anchor assigns them.
fn anchor_error_name(code: u32) -> Option<&'static str> {
    const RANGES: &[(u32, &[&str])] = &[
        (
            100,
            &[
                "InstructionMissing",
                "InstructionFallbackNotFound",
                "InstructionDidNotDeserialize",
                "InstructionDidNotSerialize",
            ],
        ),
        (
            1000,
            &[
                "IdlInstructionStub",
                "IdlInstructionInvalidProgram",
                "IdlAccountNotEmpty",
            ],
        ),
        (1500, &["EventInstructionStub"]),
        (
            2000,
            &[
                "ConstraintMut",
                "ConstraintHasOne",
                "ConstraintSigner",
                "ConstraintRaw",
                "ConstraintOwner",
                "ConstraintRentExempt",
                "ConstraintSeeds",
                "ConstraintExecutable",
                "ConstraintState",
                "ConstraintAssociated",
                "ConstraintAssociatedInit",
                "ConstraintClose",
                "ConstraintAddress",
                "ConstraintZero",
                "ConstraintTokenMint",
                "ConstraintTokenOwner",
                "ConstraintMintMintAuthority",
                "ConstraintMintFreezeAuthority",
                "ConstraintMintDecimals",
                "ConstraintSpace",
                "ConstraintAccountIsNone",
                "ConstraintTokenTokenProgram",
                "ConstraintMintTokenProgram",
                "ConstraintAssociatedTokenTokenProgram",
            ],
        ),
        (
            2500,
            &[
                "RequireViolated",
                "RequireEqViolated",
                "RequireKeysEqViolated",
                "RequireNeqViolated",
                "RequireKeysNeqViolated",
                "RequireGtViolated",
                "RequireGteViolated",
            ],
        ),
        (
            3000,
            &[
                "AccountDiscriminatorAlreadySet",
                "AccountDiscriminatorNotFound",
                "AccountDiscriminatorMismatch",
                "AccountDidNotDeserialize",
                "AccountDidNotSerialize",
                "AccountNotEnoughKeys",
                "AccountNotMutable",
                "AccountOwnedByWrongProgram",
                "InvalidProgramId",
                "InvalidProgramExecutable",
                "AccountNotSigner",
                "AccountNotSystemOwned",
                "AccountNotInitialized",
                "AccountNotProgramData",
                "AccountNotAssociatedTokenAccount",
                "AccountSysvarMismatch",
                "AccountReallocExceedsLimit",
                "AccountDuplicateReallocs",
            ],
        ),
        (
            4100,
            &[
                "DeclaredProgramIdMismatch",
                "TryingToInitPayerAsProgramAccount",
                "InvalidNumericConversion",
            ],
        ),
    ];
    RANGES.iter().find_map(|(base, names)| {
        let i = code.checked_sub(*base)?;
        names.get(usize::try_from(i).ok()?).copied()
    })
}

fn system_error(code: u32) -> Option<(&'static str, &'static str)> {
    Some(match code {
        0 => (
            "AccountAlreadyInUse",
            "an account with that address already exists",
        ),
        1 => (
            "ResultWithNegativeLamports",
            "insufficient lamports for the transfer",
        ),
        2 => (
            "InvalidProgramId",
            "cannot assign account to this program id",
        ),
        3 => (
            "InvalidAccountDataLength",
            "cannot allocate account data of this length",
        ),
        4 => (
            "MaxSeedLengthExceeded",
            "length of requested seed is too long",
        ),
        5 => (
            "AddressWithSeedMismatch",
            "provided address does not match derived address",
        ),
        _ => return None,
    })
}

fn token_error(code: u32) -> Option<(&'static str, &'static str)> {
    Some(match code {
        0 => (
            "NotRentExempt",
            "lamport balance below rent-exempt threshold",
        ),
        1 => ("InsufficientFunds", "insufficient funds"),
        2 => ("InvalidMint", "invalid mint"),
        3 => ("MintMismatch", "account not associated with this mint"),
        4 => ("OwnerMismatch", "owner does not match"),
        5 => ("FixedSupply", "fixed supply"),
        6 => ("AlreadyInUse", "already in use"),
        17 => ("AccountFrozen", "account is frozen"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trace_refusal_is_recognised_through_a_partial_mint() {
        let refused = |error| Error::from_transaction_error(error, vec![], &[microdrop::ID]);
        let too_long = refused(TransactionError::InstructionError(
            2,
            InstructionError::MaxInstructionTraceLengthExceeded,
        ));
        assert!(too_long.is_trace_too_long());
        let partial = Error::MintIncomplete {
            minted: vec![],
            signatures: vec![],
            failure: Box::new(too_long),
        };
        assert!(partial.is_trace_too_long());
        let other = refused(TransactionError::InstructionError(
            2,
            InstructionError::ComputationalBudgetExceeded,
        ));
        assert!(!other.is_trace_too_long());
        let program = refused(TransactionError::InstructionError(
            2,
            InstructionError::Custom(6038),
        ));
        assert!(!program.is_trace_too_long());
    }

    #[test]
    fn microdrop_codes_round_trip() {
        for code in 6000..6100 {
            if let Some(err) = microdrop_error(code) {
                assert_eq!(u32::from(err), code);
            }
        }
        assert_eq!(microdrop_error(6006).unwrap().name(), "DropSupplyZero");
        assert!(microdrop_error(5999).is_none());
    }

    #[test]
    fn anchor_codes_are_named() {
        assert_eq!(anchor_error_name(2001), Some("ConstraintHasOne"));
        assert_eq!(anchor_error_name(3012), Some("AccountNotInitialized"));
        assert_eq!(anchor_error_name(2999), None);
    }

    #[test]
    fn failing_program_is_read_from_logs() {
        let logs = vec![
            format!("Program {} invoke [1]", microdrop::ID),
            format!("Program {TOKEN_METADATA_PROGRAM_ID} failed: custom program error: 0x26"),
        ];
        assert_eq!(
            failing_program_from_logs(&logs, 0x26),
            Some(TOKEN_METADATA_PROGRAM_ID)
        );
        assert_eq!(failing_program_from_logs(&logs, 0x27), None);
    }
}
