// A Wallet Standard wallet for the end-to-end tests, injected into the page before it
// loads (Playwright's `addInitScript`). It signs with a local Ed25519 key through the
// browser's WebCrypto, as a real wallet signs in its own window. `__TEST_WALLET__` is
// replaced by the test with `{ address, publicKey: number[], pkcs8: number[] }`.
(() => {
  const key = __TEST_WALLET__;
  const chains = ['solana:localnet'];
  const account = Object.freeze({
    address: key.address,
    publicKey: new Uint8Array(key.publicKey),
    chains,
    features: ['solana:signTransaction'],
    label: 'Test wallet',
  });
  const privateKey = crypto.subtle.importKey('pkcs8', new Uint8Array(key.pkcs8), { name: 'Ed25519' }, false, ['sign']);

  /** Reads a compact-u16 at `at`: its value and its length in bytes. */
  function compactU16(bytes, at) {
    let value = 0;
    for (let i = 0; i < 3; i++) {
      const byte = bytes[at + i];
      value |= (byte & 0x7f) << (7 * i);
      if ((byte & 0x80) === 0) return [value, i + 1];
    }
    throw new Error('bad compact-u16');
  }

  /** Signs a wire transaction in place at the signer slot of this wallet's key. */
  async function sign(wire) {
    const bytes = new Uint8Array(wire);
    const [signatures, sigLen] = compactU16(bytes, 0);
    const messageAt = sigLen + 64 * signatures;
    const message = bytes.slice(messageAt);
    const versioned = (message[0] & 0x80) !== 0;
    const header = versioned ? 1 : 0;
    const required = message[header];
    const [keys, keysLen] = compactU16(message, header + 3);
    const keysAt = header + 3 + keysLen;
    let slot = -1;
    for (let i = 0; i < Math.min(keys, required); i++) {
      const candidate = message.slice(keysAt + 32 * i, keysAt + 32 * (i + 1));
      if (candidate.every((b, j) => b === account.publicKey[j])) slot = i;
    }
    if (slot < 0) throw new Error('this wallet is not a signer of the transaction');
    const signature = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, await privateKey, message));
    bytes.set(signature, sigLen + 64 * slot);
    window.__testWalletSigned = (window.__testWalletSigned ?? 0) + 1;
    // What was signed, for the test to read back (base64 of the wire transaction).
    (window.__testWalletTransactions ??= []).push(btoa(String.fromCharCode(...bytes)));
    return bytes;
  }

  const wallet = {
    version: '1.0.0',
    name: 'Test Wallet',
    icon: 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=',
    chains,
    get accounts() {
      return connected ? [account] : [];
    },
    features: {
      'standard:connect': {
        version: '1.0.0',
        connect: async () => {
          connected = true;
          return { accounts: [account] };
        },
      },
      'standard:events': { version: '1.0.0', on: () => () => {} },
      'solana:signTransaction': {
        version: '1.0.0',
        supportedTransactionVersions: ['legacy', 0],
        signTransaction: async (...inputs) =>
          Promise.all(inputs.map(async ({ transaction }) => ({ signedTransaction: await sign(transaction) }))),
      },
    },
  };
  let connected = false;
  const register = ({ register }) => register(wallet);
  window.dispatchEvent(new CustomEvent('wallet-standard:register-wallet', { detail: register }));
  window.addEventListener('wallet-standard:app-ready', (event) => register(event.detail));
})();
