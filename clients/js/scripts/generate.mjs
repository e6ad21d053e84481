// Generates src/generated from the committed IDL (idl/microdrop.json) with Codama.
//
//   node scripts/generate.mjs           writes src/generated
//   node scripts/generate.mjs --check   fails when the committed code differs from what
//                                       the IDL generates (the test suite runs this)
//
// @codama/nodes-from-anchor 1.5.6 builds nodes with @codama/nodes 1.11, which leaves
// empty child lists out (`fields`, `arguments`, ...); @codama/renderers-js 2.2.0 reads
// them as arrays and runs on @codama/nodes 1.9 (package.json's overrides). `complete`
// puts the empty lists back before rendering.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { rootNodeFromAnchor } from '@codama/nodes-from-anchor';
import { renderVisitor } from '@codama/renderers-js';
import { createFromRoot } from 'codama';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const idl = JSON.parse(readFileSync(join(packageDir, '../../idl/microdrop.json'), 'utf8'));

/** The child lists each node kind always has in the renderer's node version. */
const LISTS = {
  rootNode: ['additionalPrograms'],
  programNode: ['accounts', 'instructions', 'definedTypes', 'pdas', 'errors'],
  instructionNode: [
    'accounts',
    'arguments',
    'extraArguments',
    'remainingAccounts',
    'byteDeltas',
    'discriminators',
  ],
  accountNode: ['discriminators'],
  pdaNode: ['seeds'],
  pdaValueNode: ['seeds'],
  structTypeNode: ['fields'],
  structValueNode: ['fields'],
  tupleTypeNode: ['items'],
  tupleValueNode: ['items'],
  arrayValueNode: ['items'],
  setValueNode: ['items'],
  mapValueNode: ['entries'],
  enumTypeNode: ['variants'],
  hiddenPrefixTypeNode: ['prefix'],
  hiddenSuffixTypeNode: ['suffix'],
};

/** A copy of `node` with every child list present. */
function complete(node) {
  if (Array.isArray(node)) return node.map(complete);
  if (node === null || typeof node !== 'object') return node;
  const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, complete(value)]));
  for (const key of LISTS[copy.kind] ?? []) copy[key] ??= [];
  return copy;
}

/**
 * The program plugin declares its return type as `Omit<T, 'microdrop'> & {...}`, which
 * TypeScript 5.9 does not accept from Kit's `extendClient` (a mapped type over the same
 * members): the declaration goes, and the return type is inferred. The edit fails loudly
 * when a Codama upgrade changes the line.
 */
function patchPluginReturnType(folder) {
  const file = join(folder, 'src/generated/programs/microdrop.ts');
  const declared = '): Omit<T, "microdrop"> & { microdrop: MicrodropPlugin } => {';
  const source = readFileSync(file, 'utf8');
  if (!source.includes(declared)) {
    throw new Error(`${file}: the plugin's return type changed; revisit patchPluginReturnType`);
  }
  writeFileSync(file, source.replace(declared, ') => {'));
}

/** Renders the client into `folder`/src/generated. */
async function render(folder) {
  const codama = createFromRoot(complete(rootNodeFromAnchor(idl)));
  await codama.accept(
    renderVisitor(folder, {
      // The package.json is ours: its dependencies are pinned and locked.
      syncPackageJson: false,
      kitImportStrategy: 'rootOnly',
    }),
  );
  patchPluginReturnType(folder);
}

if (process.argv.includes('--check')) {
  const scratch = mkdtempSync(join(tmpdir(), 'microdrop-codama-'));
  try {
    cpSync(join(packageDir, 'package.json'), join(scratch, 'package.json'));
    await render(scratch);
    try {
      execFileSync('diff', ['-r', join(scratch, 'src/generated'), join(packageDir, 'src/generated')], {
        stdio: 'pipe',
      });
    } catch (error) {
      console.error(String(error.stdout));
      console.error('src/generated is stale: run `npm run generate` in clients/js and commit it');
      process.exit(1);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
} else {
  await render(packageDir);
}
