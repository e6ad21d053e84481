// The browser tests drive Debian's Chromium. On a fresh machine it is not there yet: this
// installs Debian's `chromium` package with apt-get (through sudo when not root), so the
// README's test command works on a fresh clone. `MICRODROP_CHROMIUM` names another
// browser, which is then only checked.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chosen = process.env.MICRODROP_CHROMIUM;
const path = chosen ?? '/usr/bin/chromium';
if (!existsSync(path)) {
  if (chosen) {
    console.error(`MICRODROP_CHROMIUM=${chosen}: no such file`);
    process.exit(1);
  }
  console.error(`${path} is missing: installing Debian's chromium package with apt-get`);
  const root = process.getuid?.() === 0;
  const run = (...args) =>
    execFileSync(root ? args[0] : 'sudo', root ? args.slice(1) : args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  run('apt-get', 'update', '-q');
  run('apt-get', 'install', '-y', '-q', '--no-install-recommends', 'chromium');
}
