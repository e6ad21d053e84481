#!/usr/bin/env bash
# Deploys the microdrop program to a cluster with the Solana toolchain.
#
#   migrations/deploy.sh <devnet|mainnet-beta|localnet|URL> [PROGRAM_KEYPAIR]
#
# Needs `anchor` (1.2.x) and `solana` on PATH, a funded wallet in the Solana CLI config,
# and the program's keypair. Without PROGRAM_KEYPAIR, target/deploy/microdrop-keypair.json
# is used (`anchor build` creates one); its address must match `declare_id!` in
# programs/microdrop/src/lib.rs and Anchor.toml, which `anchor keys sync` rewrites. After a
# program id change, rebuild the CLI and SDK too: they address the program by that id.
set -euo pipefail
cd "$(dirname "$0")/.."

cluster="${1:?usage: migrations/deploy.sh <devnet|mainnet-beta|localnet|URL> [PROGRAM_KEYPAIR]}"
program_keypair="${2:-target/deploy/microdrop-keypair.json}"

for tool in anchor solana; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not on PATH" >&2; exit 1; }
done

case "$cluster" in
  devnet|mainnet-beta|testnet|localnet|http://*|https://*) ;;
  *) echo "error: unknown cluster $cluster" >&2; exit 2 ;;
esac
url="$cluster"
[ "$cluster" = localnet ] && url="http://localhost:8899"

anchor build
if [ -f "$program_keypair" ]; then
  keypair_id="$(solana address -k "$program_keypair")"
  declared_id="$(sed -n 's/^declare_id!("\(.*\)");/\1/p' programs/microdrop/src/lib.rs)"
  if [ "$keypair_id" != "$declared_id" ]; then
    echo "error: $program_keypair is $keypair_id but the program declares $declared_id;" \
         "run 'anchor keys sync' and rebuild" >&2
    exit 1
  fi
fi

echo "Deploying target/deploy/microdrop.so as $(solana address -k "$program_keypair") to $url"
solana program deploy --url "$url" --program-id "$program_keypair" target/deploy/microdrop.so
solana program show --url "$url" "$(solana address -k "$program_keypair")"
