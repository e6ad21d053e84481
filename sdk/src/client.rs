//! The async client: builds, signs, sends and confirms transactions, and fetches accounts.
//!
//! It talks only to an [`RpcClient`]. On a real cluster that client speaks HTTP; on the
//! embedded sandbox it runs over [`crate::sandbox::SandboxSender`], a transport that answers
//! the same JSON-RPC calls from an in-process runtime. Every command therefore exercises
//! the code real clusters use.

use std::sync::Arc;

use anchor_lang::prelude::Pubkey;
use microdrop::{
    instructions::CreateDropArgs,
    state::{Drop, DropStatus},
};
use solana_account::Account;
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_message::Instruction;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_signer::Signer;
use solana_transaction::{Signature, Transaction};

use crate::{accounts, instructions, pda, Error};

/// A connection to a cluster plus the wallet that signs and pays.
pub struct Client {
    rpc: Arc<RpcClient>,
    payer: Arc<Keypair>,
}

impl Client {
    /// A client that signs and pays with `payer`.
    pub fn new(rpc: RpcClient, payer: Keypair) -> Self {
        Self {
            rpc: Arc::new(rpc),
            payer: Arc::new(payer),
        }
    }

    /// The underlying RPC client.
    pub fn rpc(&self) -> &RpcClient {
        &self.rpc
    }

    /// The paying wallet's address.
    pub fn payer(&self) -> Pubkey {
        self.payer.pubkey()
    }

    /// The commitment reads and confirmations use.
    pub fn commitment(&self) -> CommitmentConfig {
        self.rpc.commitment()
    }

    /// Signs `instructions` with the payer (and `extra_signers`), sends them as one
    /// transaction and waits for confirmation. Program failures come back as
    /// [`Error::Program`] with the error's name.
    pub async fn send(
        &self,
        instructions: &[Instruction],
        extra_signers: &[&Keypair],
    ) -> Result<Signature, Error> {
        let blockhash = self
            .rpc
            .get_latest_blockhash()
            .await
            .map_err(|e| Error::Rpc(e.to_string()))?;
        let mut signers: Vec<&Keypair> = vec![&self.payer];
        signers.extend_from_slice(extra_signers);
        let tx = Transaction::new_signed_with_payer(
            instructions,
            Some(&self.payer.pubkey()),
            &signers,
            blockhash,
        );
        let programs: Vec<Pubkey> = instructions.iter().map(|ix| ix.program_id).collect();
        self.rpc
            .send_and_confirm_transaction(&tx)
            .await
            .map_err(|e| Error::from_client_error(e, &programs))
    }

    /// The account at `address`, or `None` when it does not exist.
    pub async fn account(&self, address: &Pubkey) -> Result<Option<Account>, Error> {
        self.rpc
            .get_account_with_commitment(address, self.commitment())
            .await
            .map(|response| response.value)
            .map_err(|e| Error::Rpc(e.to_string()))
    }

    /// The lamport balance of `address` (0 when it does not exist).
    pub async fn balance(&self, address: &Pubkey) -> Result<u64, Error> {
        Ok(self.account(address).await?.map_or(0, |a| a.lamports))
    }

    /// The drop at `address`, or `None` when no account exists there.
    pub async fn find_drop(&self, address: &Pubkey) -> Result<Option<Drop>, Error> {
        match self.account(address).await? {
            Some(account) if account.owner == microdrop::ID => {
                accounts::decode_drop(&account.data).map(Some)
            }
            Some(_) => Err(Error::Decode(format!(
                "{address} is not owned by the microdrop program"
            ))),
            None => Ok(None),
        }
    }

    /// The drop at `address`; an error when it does not exist.
    pub async fn drop(&self, address: &Pubkey) -> Result<Drop, Error> {
        self.find_drop(address)
            .await?
            .ok_or(Error::AccountNotFound(*address))
    }

    /// Lamports a launch costs the payer: rent for every account it creates
    /// ([`crate::launch_account_sizes`]), Token Metadata's create fee, and the fees of its
    /// two transactions (create, activate), at the cluster's current rent.
    pub async fn launch_cost(&self, spl_currency: bool) -> Result<u64, Error> {
        let mut total = 0u64;
        for size in crate::launch_account_sizes(spl_currency) {
            let rent = self
                .rpc
                .get_minimum_balance_for_rent_exemption(size)
                .await
                .map_err(|e| Error::Rpc(e.to_string()))?;
            total = total.saturating_add(rent);
        }
        Ok(total
            .saturating_add(crate::TOKEN_METADATA_CREATE_FEE)
            .saturating_add(2 * crate::SIGNATURE_FEE_LAMPORTS))
    }

    /// Creates a drop owned by the payer. Returns the drop address and the signature.
    pub async fn create_drop(
        &self,
        args: CreateDropArgs,
        currency_mint: Option<&Pubkey>,
    ) -> Result<(Pubkey, Signature), Error> {
        let drop = pda::drop(&self.payer(), &args.id).0;
        let ix = instructions::create_drop(&self.payer(), currency_mint, args);
        let signature = self.send(&[ix], &[]).await?;
        Ok((drop, signature))
    }

    /// Moves the payer's drop to `status`.
    pub async fn set_drop_status(
        &self,
        drop: &Pubkey,
        status: DropStatus,
    ) -> Result<Signature, Error> {
        let ix = instructions::set_drop_status(&self.payer(), drop, status);
        self.send(&[ix], &[]).await
    }
}
