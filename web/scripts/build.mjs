// Builds the mint page and the dashboard with Vite into cli/assets/{site,dashboard}, which
// the CLI embeds (so `cargo install` needs no node). `--check` builds into a temporary
// directory instead and fails when the committed build differs from it: the test suite
// runs that, so a change to the pages without a rebuild cannot pass.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'vite';

const web = resolve(fileURLToPath(import.meta.url), '../..');
const committed = resolve(web, '../cli/assets');
const check = process.argv.includes('--check');
const out = check ? mkdtempSync(join(tmpdir(), 'microdrop-web-')) : committed;

for (const page of ['site', 'dashboard']) {
  await build({
    configFile: false,
    root: join(web, page),
    base: './',
    logLevel: 'warn',
    resolve: {
      alias: { '@microdrop/client': resolve(web, '../clients/js/src/index.ts') },
      dedupe: ['@solana/kit'],
    },
    build: {
      outDir: join(out, page),
      emptyOutDir: true,
      target: 'es2022',
      reportCompressedSize: false,
      chunkSizeWarningLimit: 2048,
    },
  });
}

if (check) {
  const files = (dir) =>
    readdirSync(dir, { recursive: true })
      .filter((f) => statSync(join(dir, f)).isFile())
      .map((f) => relative(dir, join(dir, f)))
      .sort();
  const differences = [];
  for (const page of ['site', 'dashboard']) {
    const built = files(join(out, page));
    let ours = [];
    try {
      ours = files(join(committed, page));
    } catch {
      differences.push(`${page}: no committed build`);
      continue;
    }
    for (const file of new Set([...built, ...ours])) {
      const a = built.includes(file) ? readFileSync(join(out, page, file)) : undefined;
      const b = ours.includes(file) ? readFileSync(join(committed, page, file)) : undefined;
      if (!a || !b || !a.equals(b)) differences.push(`${page}/${file}`);
    }
  }
  rmSync(out, { recursive: true, force: true });
  if (differences.length) {
    console.error(
      `cli/assets is stale: rebuild it with \`npm run build --prefix web\` and commit it.\n  ${differences.join('\n  ')}`,
    );
    process.exit(1);
  }
  console.log('cli/assets is what the pages build to');
}
