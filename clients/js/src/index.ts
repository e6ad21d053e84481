// @microdrop/client: the generated program client (accounts, instructions, errors, the
// program address) and the helpers its IDL cannot express.
export * from './generated';
export * from './pda';
export * from './allowlist';
export * from './voucher';
export * from './items';
export * from './operations';
export * from './events';
export * from './eligibility';
export * from './fees';
export * from './currency';
