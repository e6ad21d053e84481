//! Fetching: accounts, drops, tiers, benefits, receipts, tokens and transactions.

use super::*;
use crate::items;

/// What a confirmed transaction cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransactionCost {
    pub units: u64,
    pub bytes: usize,
    pub accounts: usize,
}

/// One item a drop minted, as [`Client::items`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemRecord {
    /// Its number within the drop (from 1).
    pub index: u64,
    pub mint: Pubkey,
    /// Who holds it; `None` once it is burned.
    pub owner: Option<Pubkey>,
    /// The id of the tier that sold it.
    pub tier: Option<u8>,
    pub burned: bool,
}

/// A token account with a balance, and the token program it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldToken {
    pub address: Pubkey,
    pub mint: Pubkey,
    pub amount: u64,
    pub token_program: Pubkey,
}

/// A token account with a balance: whose, of which mint, and under which token program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenBalance {
    pub address: Pubkey,
    pub owner: Pubkey,
    pub mint: Pubkey,
    pub amount: u64,
    pub token_program: Pubkey,
}

/// An item a wallet holds, as a holder gate takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldItem {
    /// The wallet's token account holding it.
    pub token: Pubkey,
    /// What proves its collection ([`items::membership_account`]): its Token Metadata
    /// metadata, or a Token-2022 item's mint.
    pub metadata: Pubkey,
    /// Its mint.
    pub mint: Pubkey,
}

/// The item of `items` whose id (as a number) or label is `selector`.
fn find_labelled<'a, T>(
    items: &'a [T],
    selector: &str,
    kind: &str,
    key: fn(&T) -> (u8, &String),
) -> Result<&'a T, Error> {
    let found = match selector.parse::<u8>() {
        Ok(id) => items.iter().find(|item| key(item).0 == id),
        Err(_) => items.iter().find(|item| key(item).1 == selector),
    };
    found.ok_or_else(|| {
        let known: Vec<String> = items
            .iter()
            .map(|item| {
                let (id, label) = key(item);
                format!("{label} ({id})")
            })
            .collect();
        Error::NotFound(format!(
            "no {kind} {selector:?}; the drop has {}",
            known.join(", ")
        ))
    })
}

impl Client {
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

    /// A confirmed transaction with its status, from the cluster's history.
    pub(crate) async fn fetch_transaction(
        &self,
        signature: &Signature,
    ) -> Result<
        (
            solana_transaction_status_client_types::UiTransactionStatusMeta,
            solana_transaction::versioned::VersionedTransaction,
        ),
        Error,
    > {
        let found = self.confirmed_transaction(signature).await?;
        let meta = found
            .transaction
            .meta
            .ok_or_else(|| Error::Decode(format!("transaction {signature} has no status")))?;
        let tx = found
            .transaction
            .transaction
            .decode()
            .ok_or_else(|| Error::Decode(format!("transaction {signature}")))?;
        Ok((meta, tx))
    }

    /// `getTransaction`, base64-encoded, v0 included.
    async fn confirmed_transaction(
        &self,
        signature: &Signature,
    ) -> Result<
        solana_transaction_status_client_types::EncodedConfirmedTransactionWithStatusMeta,
        Error,
    > {
        use solana_rpc_client_api::config::RpcTransactionConfig;
        use solana_transaction_status_client_types::UiTransactionEncoding;
        let config = RpcTransactionConfig {
            encoding: Some(UiTransactionEncoding::Base64),
            commitment: Some(self.commitment()),
            max_supported_transaction_version: Some(0),
        };
        self.rpc
            .get_transaction_with_config(signature, config)
            .await
            .map_err(|e| match e.kind() {
                // A node answers `null` for a signature it does not know.
                solana_rpc_client_api::client_error::ErrorKind::SerdeJson(_) => Error::NotFound(
                    format!("transaction {signature} is not in the cluster's history"),
                ),
                _ => Error::Rpc(e.to_string()),
            })
    }

    /// A confirmed transaction's slot and block time.
    pub async fn transaction_slot_and_time(
        &self,
        signature: &Signature,
    ) -> Result<(u64, Option<i64>), Error> {
        let found = self.confirmed_transaction(signature).await?;
        Ok((found.slot, found.block_time))
    }

    /// What a confirmed transaction cost: compute units, serialized bytes, accounts.
    pub async fn transaction_cost(&self, signature: &Signature) -> Result<TransactionCost, Error> {
        use solana_transaction_status_client_types::option_serializer::OptionSerializer;
        let (meta, tx) = self.fetch_transaction(signature).await?;
        let units = match meta.compute_units_consumed {
            OptionSerializer::Some(units) => units,
            _ => 0,
        };
        Ok(TransactionCost {
            units,
            bytes: bincode::serialized_size(&tx)
                .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX)),
            accounts: tx.message.static_account_keys().len(),
        })
    }

    /// The microdrop events a confirmed transaction emitted, in order (none for a failed
    /// one: its effects were rolled back).
    pub async fn transaction_events(
        &self,
        signature: &Signature,
    ) -> Result<Vec<crate::events::Event>, Error> {
        use solana_transaction_status_client_types::{
            option_serializer::OptionSerializer, UiInstruction,
        };
        let (meta, tx) = self.fetch_transaction(signature).await?;
        if meta.err.is_some() {
            return Ok(vec![]);
        }
        let mut keys: Vec<Pubkey> = tx.message.static_account_keys().to_vec();
        if let OptionSerializer::Some(loaded) = &meta.loaded_addresses {
            for key in loaded.writable.iter().chain(&loaded.readonly) {
                keys.push(
                    key.parse()
                        .map_err(|_| Error::Decode("loaded address".into()))?,
                );
            }
        }
        let mut events = Vec::new();
        if let OptionSerializer::Some(groups) = meta.inner_instructions {
            for group in groups {
                for instruction in group.instructions {
                    let UiInstruction::Compiled(ix) = instruction else {
                        continue;
                    };
                    if keys.get(usize::from(ix.program_id_index)) != Some(&microdrop::ID) {
                        continue;
                    }
                    let data = bs58::decode(&ix.data)
                        .into_vec()
                        .map_err(|e| Error::Decode(format!("inner instruction data: {e}")))?;
                    if let Some(event) = crate::events::decode_event(&data)? {
                        events.push(event);
                    }
                }
            }
        }
        Ok(events)
    }

    /// The cluster's current unix time, from its Clock sysvar.
    pub async fn cluster_time(&self) -> Result<i64, Error> {
        const CLOCK: Pubkey = Pubkey::from_str_const("SysvarC1ock11111111111111111111111111111111");
        let clock = self
            .account(&CLOCK)
            .await?
            .ok_or(Error::AccountNotFound(CLOCK))?;
        let bytes = clock
            .data
            .get(32..40)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .ok_or_else(|| Error::Decode("Clock sysvar".into()))?;
        Ok(i64::from_le_bytes(bytes))
    }

    /// The accounts at `addresses`, in order (`None` where absent).
    pub async fn accounts(&self, addresses: &[Pubkey]) -> Result<Vec<Option<Account>>, Error> {
        let mut out = Vec::with_capacity(addresses.len());
        // RPC nodes answer at most 100 addresses per call.
        for chunk in addresses.chunks(100) {
            let got = self
                .rpc
                .get_multiple_accounts_with_commitment(chunk, self.commitment())
                .await
                .map_err(|e| Error::Rpc(e.to_string()))?
                .value;
            out.extend(got);
        }
        Ok(out)
    }

    /// Every item `drop_address` has minted, in index order: its mint, who holds it (none
    /// once burned), the tier that sold it, and whether it was burned. One
    /// `getMultipleAccounts` per 100 items reads their mints; each unburned item's holder
    /// takes one token-account query.
    pub async fn items(&self, drop_address: &Pubkey) -> Result<Vec<ItemRecord>, Error> {
        let drop = self.drop(drop_address).await?;
        let standard = drop.standard;
        let table_address = pda::item_tiers(drop_address).0;
        let table = self
            .account(&table_address)
            .await?
            .ok_or(Error::AccountNotFound(table_address))?;
        let mints: Vec<Pubkey> = (1..=drop.minted)
            .map(|index| pda::item_mint(drop_address, index).0)
            .collect();
        let accounts = self.accounts(&mints).await?;
        let mut items = Vec::with_capacity(mints.len());
        for ((index, mint), account) in (1..).zip(mints).zip(accounts) {
            // A burned item's mint has no supply left, or is closed altogether.
            let burned = account.as_ref().is_none_or(|account| {
                anchor_spl::token::spl_token::state::Mint::unpack(&account.data)
                    .is_ok_and(|m| m.supply == 0)
            });
            let owner = match burned {
                true => None,
                false => self.holder_of(&mint).await?.map(|(owner, _)| owner),
            };
            let tier = match (&account, items::tier_in_table(standard)) {
                (_, true) => microdrop::state::item_tiers::tier_of(&table.data, index)
                    .map_err(|e| Error::Decode(format!("item-tier table: {e}")))?,
                (Some(mint), false) => items::tier_of(&mint.owner, &mint.data, &[], index),
                // A burned item that carried its tier: its mint's event says.
                (None, false) => self.minted_by_tier(&mint).await?,
            };
            items.push(ItemRecord {
                index,
                mint,
                owner,
                tier,
                burned,
            });
        }
        Ok(items)
    }

    /// The tier that sold `mint`, from the `ItemsMinted` event of the transaction that
    /// created it (for items whose accounts are gone).
    async fn minted_by_tier(&self, mint: &Pubkey) -> Result<Option<u8>, Error> {
        let Some(signature) = self.creation_signature(mint).await? else {
            return Ok(None);
        };
        Ok(self
            .transaction_events(&signature)
            .await?
            .into_iter()
            .find_map(|event| match event {
                crate::events::Event::ItemsMinted(minted) if minted.mints.contains(mint) => {
                    Some(minted.tier_id)
                }
                _ => None,
            }))
    }

    /// The first successful transaction that touched `address`: the one that created it,
    /// for an account made once (an item mint, a receipt).
    pub async fn creation_signature(&self, address: &Pubkey) -> Result<Option<Signature>, Error> {
        // Newest first: the creation is the oldest.
        Ok(self
            .successful_signatures(address)
            .await?
            .into_iter()
            .last())
    }

    /// The newest successful transaction that touched `address`.
    pub async fn latest_signature(&self, address: &Pubkey) -> Result<Option<Signature>, Error> {
        Ok(self
            .successful_signatures(address)
            .await?
            .into_iter()
            .next())
    }

    /// The successful transactions that touched `address`, newest first.
    async fn successful_signatures(&self, address: &Pubkey) -> Result<Vec<Signature>, Error> {
        let history = self
            .rpc
            .get_signatures_for_address(address)
            .await
            .map_err(|e| Error::Rpc(e.to_string()))?;
        history
            .iter()
            .filter(|entry| entry.err.is_none())
            .map(|entry| {
                entry
                    .signature
                    .parse()
                    .map_err(|_| Error::Decode(format!("signature {}", entry.signature)))
            })
            .collect()
    }

    /// The drop's tiers, by id.
    pub async fn tiers(&self, drop_address: &Pubkey, drop: &Drop) -> Result<Vec<Tier>, Error> {
        let addresses: Vec<Pubkey> = (0..drop.tier_count)
            .map(|id| pda::tier(drop_address, id).0)
            .collect();
        self.decode_all(&addresses, accounts::decode_tier).await
    }

    /// The accounts at `addresses`, each decoded; any missing one is an error.
    async fn decode_all<T>(
        &self,
        addresses: &[Pubkey],
        decode: fn(&[u8]) -> Result<T, Error>,
    ) -> Result<Vec<T>, Error> {
        self.accounts(addresses)
            .await?
            .into_iter()
            .zip(addresses)
            .map(|(account, address)| {
                decode(&account.ok_or(Error::AccountNotFound(*address))?.data)
            })
            .collect()
    }

    /// The tier whose label or id is `selector`.
    pub fn find_tier<'a>(tiers: &'a [Tier], selector: &str) -> Result<&'a Tier, Error> {
        find_labelled(tiers, selector, "tier", |t| (t.id, &t.label))
    }

    /// How many `wallet` minted through `tier` (0 without a record).
    pub async fn wallet_minted(&self, tier: &Pubkey, wallet: &Pubkey) -> Result<u32, Error> {
        let address = pda::wallet_record(tier, wallet).0;
        match self.account(&address).await? {
            Some(account) => {
                let record: WalletRecord = accounts::decode_wallet_record(&account.data)?;
                Ok(record.minted)
            }
            None => Ok(0),
        }
    }

    /// Token accounts with a balance, of SPL Token and Token-2022, owned by `owner` and/or
    /// of `mint`.
    pub async fn token_accounts(
        &self,
        owner: Option<&Pubkey>,
        mint: Option<&Pubkey>,
    ) -> Result<Vec<TokenBalance>, Error> {
        use anchor_spl::token_2022::spl_token_2022::{
            extension::StateWithExtensions, state::Account as Token2022Account,
        };
        let mut filters = Vec::new();
        if let Some(mint) = mint {
            filters.push(RpcFilterType::Memcmp(Memcmp::new_base58_encoded(
                0,
                mint.as_ref(),
            )));
        }
        if let Some(owner) = owner {
            filters.push(RpcFilterType::Memcmp(Memcmp::new_base58_encoded(
                32,
                owner.as_ref(),
            )));
        }
        let mut out = Vec::new();
        let mut sized = filters.clone();
        sized.push(RpcFilterType::DataSize(TokenAccount::LEN as u64));
        for (address, data) in self.program_accounts(&TOKEN_PROGRAM_ID, sized).await? {
            let token = TokenAccount::unpack(&data)
                .map_err(|e| Error::Decode(format!("token account {address}: {e}")))?;
            if token.amount > 0 {
                out.push(TokenBalance {
                    address,
                    owner: token.owner,
                    mint: token.mint,
                    amount: token.amount,
                    token_program: TOKEN_PROGRAM_ID,
                });
            }
        }
        // Token-2022 accounts carry extensions after the base layout, so no size filter;
        // mints share the program, and only token accounts unpack as one.
        for (address, data) in self
            .program_accounts(&TOKEN_2022_PROGRAM_ID, filters)
            .await?
        {
            let Ok(token) = StateWithExtensions::<Token2022Account>::unpack(&data) else {
                continue;
            };
            let token = token.base;
            if token.amount > 0
                && owner.is_none_or(|o| token.owner == *o)
                && mint.is_none_or(|m| token.mint == *m)
            {
                out.push(TokenBalance {
                    address,
                    owner: token.owner,
                    mint: token.mint,
                    amount: token.amount,
                    token_program: TOKEN_2022_PROGRAM_ID,
                });
            }
        }
        Ok(out)
    }

    /// Whether `token_account` (of SPL Token or Token-2022) exists, belongs to `owner`
    /// and holds exactly one token.
    pub async fn holds_one(&self, token_account: &Pubkey, owner: &Pubkey) -> Result<bool, Error> {
        use anchor_spl::token_2022::spl_token_2022::{
            extension::StateWithExtensions, state::Account as Token2022Account,
        };
        Ok(match self.account(token_account).await? {
            Some(account)
                if account.owner == TOKEN_PROGRAM_ID || account.owner == TOKEN_2022_PROGRAM_ID =>
            {
                StateWithExtensions::<Token2022Account>::unpack(&account.data)
                    .is_ok_and(|t| t.base.owner == *owner && t.base.amount == 1)
            }
            _ => false,
        })
    }

    /// Items `recipient` received from airdrop list `list` of `drop` (its record's count;
    /// 0 before its first airdrop).
    pub async fn airdrop_sent(
        &self,
        drop: &Pubkey,
        list: &[u8; 32],
        recipient: &Pubkey,
    ) -> Result<u32, Error> {
        let address = pda::airdrop_record(drop, list, recipient).0;
        match self.account(&address).await? {
            Some(account) if account.owner == microdrop::ID => {
                let record =
                    microdrop::state::AirdropRecord::try_deserialize(&mut account.data.as_slice())
                        .map_err(|e| Error::Decode(format!("airdrop record {address}: {e}")))?;
                Ok(record.sent)
            }
            _ => Ok(0),
        }
    }

    /// The token accounts `owner` holds a balance in, under SPL Token and Token-2022.
    pub async fn held_tokens(&self, owner: &Pubkey) -> Result<Vec<HeldToken>, Error> {
        Ok(self
            .token_accounts(Some(owner), None)
            .await?
            .into_iter()
            .map(|token| HeldToken {
                address: token.address,
                mint: token.mint,
                amount: token.amount,
                token_program: token.token_program,
            })
            .collect())
    }

    /// Accounts of `program` matching `filters`, with their data.
    pub(crate) async fn program_accounts(
        &self,
        program: &Pubkey,
        filters: Vec<RpcFilterType>,
    ) -> Result<Vec<(Pubkey, Vec<u8>)>, Error> {
        let config = RpcProgramAccountsConfig {
            filters: Some(filters),
            account_config: RpcAccountInfoConfig {
                encoding: Some(UiAccountEncoding::Base64),
                commitment: Some(self.commitment()),
                ..RpcAccountInfoConfig::default()
            },
            with_context: None,
            sort_results: None,
        };
        let found = self
            .rpc
            .get_program_ui_accounts_with_config(program, config)
            .await
            .map_err(|e| Error::Rpc(e.to_string()))?;
        found
            .into_iter()
            .map(|(address, ui)| {
                ui.data
                    .decode()
                    .map(|data| (address, data))
                    .ok_or_else(|| Error::Decode(format!("account {address}")))
            })
            .collect()
    }

    /// The amount in an SPL token account (0 when it does not exist).
    pub async fn token_balance(&self, token_account: &Pubkey) -> Result<u64, Error> {
        match self.account(token_account).await? {
            Some(account) => TokenAccount::unpack(&account.data)
                .map(|a| a.amount)
                .map_err(|e| Error::Decode(format!("token account {token_account}: {e}"))),
            None => Ok(0),
        }
    }

    /// Who holds the NFT `mint` now, and in which token account.
    pub async fn holder_of(&self, mint: &Pubkey) -> Result<Option<(Pubkey, Pubkey)>, Error> {
        Ok(self
            .token_accounts(None, Some(mint))
            .await?
            .into_iter()
            .next()
            .map(|token| (token.owner, token.address)))
    }

    /// An item of `collection` that `wallet` holds and that is verified into it: its token
    /// account and metadata, as a holder-gated tier needs them.
    pub async fn held_item(
        &self,
        wallet: &Pubkey,
        collection: &Pubkey,
    ) -> Result<Option<(Pubkey, Pubkey)>, Error> {
        Ok(self
            .held_items(wallet, collection)
            .await?
            .into_iter()
            .next()
            .map(|item| (item.token, item.metadata)))
    }

    /// The token accounts `owner` holds with a balance, each with the address and the
    /// account of what proves its collection ([`items::membership_account`]), where that
    /// exists: one `getMultipleAccounts` per 100 tokens.
    pub(crate) async fn tokens_with_membership(
        &self,
        owner: &Pubkey,
    ) -> Result<Vec<(TokenBalance, Pubkey, Account)>, Error> {
        let tokens = self.token_accounts(Some(owner), None).await?;
        let memberships: Vec<Pubkey> = tokens
            .iter()
            .map(|token| items::membership_account(&token.token_program, &token.mint))
            .collect();
        let accounts = self.accounts(&memberships).await?;
        Ok(tokens
            .into_iter()
            .zip(memberships)
            .zip(accounts)
            .filter_map(|((token, membership), account)| Some((token, membership, account?)))
            .collect())
    }

    /// Every item of `collection` that `wallet` holds, verified into it.
    pub async fn held_items(
        &self,
        wallet: &Pubkey,
        collection: &Pubkey,
    ) -> Result<Vec<HeldItem>, Error> {
        let mut held = Vec::new();
        for (token, membership, account) in self.tokens_with_membership(wallet).await? {
            if items::is_verified_member(
                &token.token_program,
                &account.data,
                &token.mint,
                collection,
            ) {
                held.push(HeldItem {
                    token: token.address,
                    metadata: membership,
                    mint: token.mint,
                });
            }
        }
        Ok(held)
    }

    /// Items already minted through `tier` on the strength of gate item `item` (its
    /// holder record; 0 before its first use).
    pub async fn holder_minted(&self, tier: &Pubkey, item: &Pubkey) -> Result<u32, Error> {
        let address = pda::holder_record(tier, item).0;
        match self.account(&address).await? {
            Some(account) if account.owner == microdrop::ID => {
                let record =
                    microdrop::state::HolderRecord::try_deserialize(&mut account.data.as_slice())
                        .map_err(|e| Error::Decode(format!("holder record {address}: {e}")))?;
                Ok(record.minted)
            }
            _ => Ok(0),
        }
    }

    /// What `wallet` can mint from each tier now. `allowlists` maps tier ids to their
    /// allow lists; an allow-listed tier without one is reported as `AllowListNeeded`.
    pub async fn eligibility(
        &self,
        drop_address: &Pubkey,
        wallet: &Pubkey,
        allowlists: &HashMap<u8, AllowList>,
    ) -> Result<Vec<TierEligibility>, Error> {
        let drop = self.drop(drop_address).await?;
        let tiers = self.tiers(drop_address, &drop).await?;
        let now = self.cluster_time().await?;
        let mut out = Vec::with_capacity(tiers.len());
        for tier in &tiers {
            let tier_address = pda::tier(drop_address, tier.id).0;
            let allowance = match (&tier.allowlist_root, allowlists.get(&tier.id)) {
                (None, _) => Allowance::NotRequired,
                (Some(root), Some(list)) if list.root() == *root => match list.allowance(wallet) {
                    Some(n) => Allowance::Listed(n),
                    None => Allowance::NotListed,
                },
                (Some(_), _) => Allowance::Unknown,
            };
            let holds = match &tier.holder_of {
                Some(collection) => self.held_item(wallet, collection).await?.is_some(),
                None => true,
            };
            let facts = WalletFacts {
                minted: self.wallet_minted(&tier_address, wallet).await?,
                allowance,
                holds,
            };
            out.push(eligibility::evaluate(&drop, tier, &facts, now));
        }
        Ok(out)
    }

    /// The drop's benefits, by id.
    pub async fn benefits(
        &self,
        drop_address: &Pubkey,
        drop: &Drop,
    ) -> Result<Vec<Benefit>, Error> {
        let addresses: Vec<Pubkey> = (0..drop.benefit_count)
            .map(|id| pda::benefit(drop_address, id).0)
            .collect();
        self.decode_all(&addresses, accounts::decode_benefit).await
    }

    /// The benefit whose label or id is `selector`.
    pub fn find_benefit<'a>(benefits: &'a [Benefit], selector: &str) -> Result<&'a Benefit, Error> {
        find_labelled(benefits, selector, "benefit", |b| (b.id, &b.label))
    }

    /// The drop's redemption receipts, oldest first; only `holder`'s and only those with
    /// `status` when given.
    pub async fn redemptions(
        &self,
        drop_address: &Pubkey,
        holder: Option<&Pubkey>,
        status: Option<RedemptionStatus>,
    ) -> Result<Vec<(Pubkey, Redemption)>, Error> {
        use anchor_lang::Discriminator;
        /// Where `holder` sits in a Redemption: discriminator, drop, benefit, benefit id.
        const HOLDER_OFFSET: usize = 8 + 32 + 32 + 1;
        let mut filters = vec![
            RpcFilterType::Memcmp(Memcmp::new_base58_encoded(0, Redemption::DISCRIMINATOR)),
            RpcFilterType::Memcmp(Memcmp::new_base58_encoded(8, drop_address.as_ref())),
        ];
        if let Some(holder) = holder {
            filters.push(RpcFilterType::Memcmp(Memcmp::new_base58_encoded(
                HOLDER_OFFSET,
                holder.as_ref(),
            )));
        }
        let mut out = Vec::new();
        for (address, data) in self.program_accounts(&microdrop::ID, filters).await? {
            let redemption = accounts::decode_redemption(&data)?;
            if status.is_none_or(|s| s == redemption.status) {
                out.push((address, redemption));
            }
        }
        out.sort_by_key(|(_, r)| (r.redeemed_at, r.benefit_id, r.index));
        Ok(out)
    }

    /// The payer's records in a drop that it can close once the drop is closed: its wallet
    /// record per tier and its spent single-use voucher nonces. Returns the instructions
    /// that close them and the rent they hold.
    pub async fn reclaimable(
        &self,
        drop_address: &Pubkey,
    ) -> Result<(Vec<Instruction>, u64), Error> {
        use anchor_lang::Discriminator;
        use microdrop::state::VoucherNonce;
        let wallet = self.payer();
        let drop = self.drop(drop_address).await?;
        let mut ixs = Vec::new();
        let mut rent = 0;
        for id in 0..drop.tier_count {
            let tier = pda::tier(drop_address, id).0;
            if let Some(account) = self.account(&pda::wallet_record(&tier, &wallet).0).await? {
                rent += account.lamports;
                ixs.push(instructions::close_wallet_record(&wallet, drop_address, id));
            }
            /// Where `tier` and `wallet` sit in a VoucherNonce: after the discriminator, and
            /// after the tier and the nonce.
            const TIER_OFFSET: usize = 8;
            const WALLET_OFFSET: usize = 8 + 32 + 8;
            let filters = vec![
                RpcFilterType::Memcmp(Memcmp::new_base58_encoded(0, VoucherNonce::DISCRIMINATOR)),
                RpcFilterType::Memcmp(Memcmp::new_base58_encoded(TIER_OFFSET, tier.as_ref())),
                RpcFilterType::Memcmp(Memcmp::new_base58_encoded(WALLET_OFFSET, wallet.as_ref())),
            ];
            for (address, data) in self.program_accounts(&microdrop::ID, filters).await? {
                let nonce = u64::from_le_bytes(
                    data.get(40..48)
                        .and_then(|b| b.try_into().ok())
                        .ok_or_else(|| Error::Decode(format!("voucher record {address}")))?,
                );
                rent += self.balance(&address).await?;
                ixs.push(instructions::close_voucher_nonce(
                    &wallet,
                    drop_address,
                    id,
                    nonce,
                ));
            }
        }
        Ok((ixs, rent))
    }

    /// The symbol wallets show for token `mint`: its Token Metadata symbol, else its
    /// Token-2022 metadata's; `None` when it has neither (or it is blank).
    pub async fn token_symbol(&self, mint: &Pubkey) -> Result<Option<String>, Error> {
        let clean = |symbol: &str| {
            let symbol = symbol.trim_matches(char::from(0)).trim();
            (!symbol.is_empty()).then(|| symbol.to_string())
        };
        let metadata = self.account(&crate::pda::metadata(mint).0).await?;
        if let Some(symbol) = metadata
            .and_then(|account| crate::accounts::decode_metadata(&account.data).ok())
            .and_then(|metadata| clean(&metadata.symbol))
        {
            return Ok(Some(symbol));
        }
        Ok(self
            .account(mint)
            .await?
            .filter(|account| account.owner == TOKEN_2022_PROGRAM_ID)
            .and_then(|account| items::token_2022::metadata(&account.data))
            .and_then(|metadata| clean(&metadata.symbol)))
    }

    /// The drop and index of a microdrop item of either standard (see
    /// [`items::origin`]), when that drop exists; `None` for any other mint.
    pub async fn item_origin(&self, mint: &Pubkey) -> Result<Option<(Pubkey, u64)>, Error> {
        let Some(mint_account) = self.account(mint).await? else {
            return Ok(None);
        };
        let program = mint_account.owner;
        let membership = items::membership_account(&program, mint);
        let data = if membership == *mint {
            mint_account.data
        } else {
            match self.account(&membership).await? {
                Some(account) => account.data,
                None => return Ok(None),
            }
        };
        let Some((drop, index)) = items::origin(&program, &data, mint) else {
            return Ok(None);
        };
        Ok(self.find_drop(&drop).await?.map(|_| (drop, index)))
    }
}
