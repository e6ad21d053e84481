// Mint and redeem instructions with the remaining accounts the program expects for the
// drop's item standard, and a voucher's Ed25519 instruction where the tier needs one:
// what a wallet sends, built from the generated instruction builders.
import {
  AccountRole,
  type Address,
  type Instruction,
  type TransactionSigner,
} from '@solana/kit';

import {
  type Drop,
  getMintInstructionAsync,
  getRedeemInstructionAsync,
  getRefundInstructionAsync,
  ItemStandard,
  MICRODROP_PROGRAM_ADDRESS,
} from './generated';
import {
  findItemTiersPda,
  findVaultPda,
  findWalletRecordPda,
} from './generated/pdas';
import {
  findMasterEditionPda,
  findMetadataPda,
  itemAccounts,
  TOKEN_METADATA_PROGRAM_ADDRESS,
} from './items';
import {
  findAssociatedTokenPda,
  findBenefitPda,
  findEventAuthorityPda,
  findItemPricesPda,
  findRedemptionPda,
  findTierPda,
  findVoucherNoncePda,
  TOKEN_2022_PROGRAM_ADDRESS,
} from './pda';
import { ed25519Instruction, encodeVoucher, type VoucherMessage } from './voucher';

/** The Instructions sysvar, which voucher tiers read. */
export const INSTRUCTIONS_SYSVAR_ADDRESS = 'Sysvar1nstructions1111111111111111111111111' as Address;

/** A signed voucher: its message, the signer's public key and the signature. */
export type SignedVoucher = {
  message: VoucherMessage;
  signer: Uint8Array;
  signature: Uint8Array;
};

export type MintItemsInput = {
  buyer: TransactionSigner;
  /** The drop's address and its account as fetched (`fetchDrop`). */
  drop: Address;
  state: Drop;
  tierId: number;
  quantity: number;
  /** For an allow-listed tier: the buyer's allowance and proof. */
  allowance?: number;
  proof?: Uint8Array[];
  /** For a holder-gated tier: the buyer's token account and what proves its item. */
  holder?: { token: Address; proof: Address };
  /** For a tier with a holder limit: the gate item's record. */
  holderRecord?: Address;
  /** For a voucher tier. */
  voucher?: SignedVoucher;
};

/** What a mint sends, in order: a voucher's Ed25519 instruction, then the mint. */
export async function getMintItemsInstructions(input: MintItemsInput): Promise<Instruction[]> {
  const { drop, state } = input;
  const [tier] = await findTierPda(drop, input.tierId);
  const [vault] = await findVaultPda({ drop });
  const [eventAuthority] = await findEventAuthorityPda();
  const metadata = state.standard === ItemStandard.TokenMetadata;
  const payment =
    state.currency.__kind === 'Spl'
      ? {
          buyerPayment: (await findAssociatedTokenPda(input.buyer.address, state.currency.mint))[0],
          vaultPayment: (await findAssociatedTokenPda(vault, state.currency.mint))[0],
        }
      : {};
  const voucher = input.voucher;
  const mint = await getMintInstructionAsync({
    buyer: input.buyer,
    drop,
    tier,
    walletRecord: (await findWalletRecordPda({ tier, wallet: input.buyer.address }))[0],
    vault,
    itemTiers: (await findItemTiersPda({ drop }))[0],
    ...payment,
    collectionMint: state.collectionMint,
    ...(metadata
      ? {
          collectionMetadata: await findMetadataPda(state.collectionMint),
          collectionMasterEdition: await findMasterEditionPda(state.collectionMint),
          tokenMetadataProgram: TOKEN_METADATA_PROGRAM_ADDRESS,
        }
      : { token2022Program: TOKEN_2022_PROGRAM_ADDRESS }),
    ...(voucher ? { instructionsSysvar: INSTRUCTIONS_SYSVAR_ADDRESS } : {}),
    ...(voucher?.message.singleUse
      ? { voucherNonce: (await findVoucherNoncePda(tier, voucher.message.nonce))[0] }
      : {}),
    ...(input.holder ? { holderToken: input.holder.token, holderMetadata: input.holder.proof } : {}),
    ...(input.holderRecord ? { holderRecord: input.holderRecord } : {}),
    // A preorder records what each item cost in its item-price table.
    ...(state.minimum > 0n ? { itemPrices: (await findItemPricesPda(drop))[0] } : {}),
    eventAuthority,
    program: MICRODROP_PROGRAM_ADDRESS,
    tierId: input.tierId,
    quantity: input.quantity,
    allowance: input.allowance ?? null,
    proof: input.proof ?? [],
  });
  const items: Address[] = [];
  for (let offset = 0n; offset < BigInt(input.quantity); offset++) {
    items.push(...(await itemAccounts(state.standard, drop, input.buyer.address, state.minted + 1n + offset)));
  }
  const instruction: Instruction = {
    ...mint,
    accounts: [
      ...mint.accounts,
      ...items.map((address) => ({ address, role: AccountRole.WRITABLE })),
    ],
  };
  if (!voucher) return [instruction];
  return [
    ed25519Instruction(voucher.signer, voucher.signature, encodeVoucher(voucher.message)),
    instruction,
  ];
}

export type RedeemItemsInput = {
  holder: TransactionSigner;
  drop: Address;
  state: Drop;
  benefitId: number;
  /** The benefit's redemptions so far (its `redeemed`): the receipt's number. */
  redeemed: bigint;
  /** The items to burn, by index. */
  indexes: bigint[];
};

/** `redeem`: burns the holder's items at `indexes` for a benefit. */
export async function getRedeemItemsInstruction(input: RedeemItemsInput): Promise<Instruction> {
  const { drop, state } = input;
  const [benefit] = await findBenefitPda(drop, input.benefitId);
  const metadata = state.standard === ItemStandard.TokenMetadata;
  const redeem = await getRedeemInstructionAsync({
    holder: input.holder,
    drop,
    benefit,
    redemption: (await findRedemptionPda(benefit, input.redeemed))[0],
    itemTiers: (await findItemTiersPda({ drop }))[0],
    collectionMint: state.collectionMint,
    ...(metadata
      ? {
          collectionMetadata: await findMetadataPda(state.collectionMint),
          tokenMetadataProgram: TOKEN_METADATA_PROGRAM_ADDRESS,
        }
      : { token2022Program: TOKEN_2022_PROGRAM_ADDRESS }),
    eventAuthority: (await findEventAuthorityPda())[0],
    program: MICRODROP_PROGRAM_ADDRESS,
    benefitId: input.benefitId,
    indexes: input.indexes,
  });
  const items: Address[] = [];
  for (const index of input.indexes) {
    items.push(...(await itemAccounts(state.standard, drop, input.holder.address, index)));
  }
  return {
    ...redeem,
    accounts: [...redeem.accounts, ...items.map((address) => ({ address, role: AccountRole.WRITABLE }))],
  };
}

/** The most items one `refund` instruction takes (the program's `MAX_REFUND_ITEMS`). */
export const MAX_REFUND_ITEMS = 4;

export type RefundItemsInput = {
  holder: TransactionSigner;
  drop: Address;
  state: Drop;
  /** The holder's items to burn and be refunded for, by index (at most {@link MAX_REFUND_ITEMS}). */
  indexes: bigint[];
};

/** `refund`: burns the holder's items of a failed preorder, paying back what they cost. */
export async function getRefundItemsInstruction(input: RefundItemsInput): Promise<Instruction> {
  const { drop, state } = input;
  const [vault] = await findVaultPda({ drop });
  const metadata = state.standard === ItemStandard.TokenMetadata;
  const payment =
    state.currency.__kind === 'Spl'
      ? {
          holderPayment: (await findAssociatedTokenPda(input.holder.address, state.currency.mint))[0],
          vaultPayment: (await findAssociatedTokenPda(vault, state.currency.mint))[0],
        }
      : {};
  const refund = await getRefundInstructionAsync({
    holder: input.holder,
    drop,
    vault,
    itemPrices: (await findItemPricesPda(drop))[0],
    ...payment,
    collectionMint: state.collectionMint,
    ...(metadata
      ? {
          collectionMetadata: await findMetadataPda(state.collectionMint),
          tokenMetadataProgram: TOKEN_METADATA_PROGRAM_ADDRESS,
        }
      : { token2022Program: TOKEN_2022_PROGRAM_ADDRESS }),
    eventAuthority: (await findEventAuthorityPda())[0],
    program: MICRODROP_PROGRAM_ADDRESS,
    indexes: input.indexes,
  });
  const items: Address[] = [];
  for (const index of input.indexes) {
    items.push(...(await itemAccounts(state.standard, drop, input.holder.address, index)));
  }
  return {
    ...refund,
    accounts: [...refund.accounts, ...items.map((address) => ({ address, role: AccountRole.WRITABLE }))],
  };
}
