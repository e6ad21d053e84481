//! The drop's address lookup table: creating, filling and recording it.

use super::*;

/// The addresses of `wanted` that `table` does not hold yet.
pub fn lacking_from(table: &AddressLookupTableAccount, wanted: Vec<Pubkey>) -> Vec<Pubkey> {
    wanted
        .into_iter()
        .filter(|address| !table.addresses.contains(address))
        .collect()
}

/// What [`Client::ensure_lookup_table`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupTableOutcome {
    pub address: Pubkey,
    pub created: bool,
    /// Addresses added to the table.
    pub added: usize,
    pub signatures: Vec<Signature>,
}

/// The addresses a `standard` drop's mints share: what its lookup table holds (with the
/// item-price table for a `preorder`).
pub fn drop_lookup_addresses(
    drop: &Pubkey,
    standard: microdrop::state::ItemStandard,
    preorder: bool,
    tier_ids: impl Iterator<Item = u8>,
) -> Vec<Pubkey> {
    let collection = pda::collection_mint(drop).0;
    let mut addresses = vec![
        microdrop::ID,
        *drop,
        pda::vault(drop).0,
        pda::item_tiers(drop).0,
        collection,
        pda::event_authority().0,
        crate::TOKEN_PROGRAM_ID,
        crate::ASSOCIATED_TOKEN_PROGRAM_ID,
        crate::SYSTEM_PROGRAM_ID,
        instructions::COMPUTE_BUDGET_PROGRAM_ID,
        instructions::INSTRUCTIONS_SYSVAR_ID,
    ];
    addresses.extend(crate::items::shared_accounts(standard, &collection));
    if preorder {
        addresses.push(pda::item_prices(drop).0);
    }
    addresses.extend(tier_ids.map(|id| pda::tier(drop, id).0));
    addresses
}

impl Client {
    /// The drop's lookup table as the chain holds it, when the drop names one that exists.
    pub async fn lookup_table(
        &self,
        drop: &Drop,
    ) -> Result<Option<AddressLookupTableAccount>, Error> {
        Ok(self.lookup_table_state(drop).await?.map(|(table, _)| table))
    }

    /// The drop's lookup table and the authority that may extend it.
    async fn lookup_table_state(
        &self,
        drop: &Drop,
    ) -> Result<Option<(AddressLookupTableAccount, Option<Pubkey>)>, Error> {
        if drop.lookup_table == Pubkey::default() {
            return Ok(None);
        }
        let Some(account) = self.account(&drop.lookup_table).await? else {
            return Ok(None);
        };
        let table = AddressLookupTable::deserialize(&account.data)
            .map_err(|e| Error::Decode(format!("lookup table {}: {e}", drop.lookup_table)))?;
        Ok(Some((
            AddressLookupTableAccount {
                key: drop.lookup_table,
                addresses: table.addresses.to_vec(),
            },
            table.meta.authority,
        )))
    }

    /// Makes the payer's drop name a lookup table holding its static accounts
    /// ([`drop_lookup_addresses`] for every tier): creates the table, fills it and records
    /// it in one transaction, then extends it with whatever it lacks (tiers added later).
    /// Running it again sends nothing once the table is complete.
    pub async fn ensure_lookup_table(
        &self,
        drop_address: &Pubkey,
    ) -> Result<LookupTableOutcome, Error> {
        let drop = self.drop(drop_address).await?;
        let wanted = drop_lookup_addresses(
            drop_address,
            drop.standard,
            drop.minimum > 0,
            0..drop.tier_count,
        );
        let payer = self.payer();
        let mut outcome = LookupTableOutcome {
            address: drop.lookup_table,
            created: false,
            added: 0,
            signatures: vec![],
        };
        let mut missing = match self.lookup_table_state(&drop).await? {
            Some((table, authority)) => {
                let missing = lacking_from(&table, wanted);
                if !missing.is_empty() && authority != Some(payer) {
                    return Err(Error::NotFound(format!(
                        "lookup table {} lacks {} of the drop's addresses and {payer} cannot \
                         extend it (its authority is {})",
                        table.key,
                        missing.len(),
                        authority.map_or("none: it is frozen".into(), |a| a.to_string())
                    )));
                }
                missing
            }
            None => {
                let slot = self
                    .rpc
                    .get_slot_with_commitment(CommitmentConfig::finalized())
                    .await
                    .map_err(|e| Error::Rpc(e.to_string()))?;
                let (create, table) = alt::create_lookup_table(payer, payer, slot);
                let set = instructions::set_lookup_table(&payer, drop_address, &table);
                let first = largest_fitting(&wanted, &payer, |chunk| {
                    vec![
                        create.clone(),
                        alt::extend_lookup_table(table, payer, Some(payer), chunk.to_vec()),
                        set.clone(),
                    ]
                });
                let extend =
                    alt::extend_lookup_table(table, payer, Some(payer), wanted[..first].to_vec());
                outcome
                    .signatures
                    .push(self.send(&[create, extend, set], &[]).await?);
                outcome.address = table;
                outcome.created = true;
                outcome.added = first;
                wanted[first..].to_vec()
            }
        };
        while !missing.is_empty() {
            let table = outcome.address;
            let count = largest_fitting(&missing, &payer, |chunk| {
                vec![alt::extend_lookup_table(
                    table,
                    payer,
                    Some(payer),
                    chunk.to_vec(),
                )]
            });
            let rest = missing.split_off(count);
            let extend = alt::extend_lookup_table(table, payer, Some(payer), missing);
            outcome.signatures.push(self.send(&[extend], &[]).await?);
            outcome.added += count;
            missing = rest;
        }
        Ok(outcome)
    }
}
