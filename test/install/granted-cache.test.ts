// A grant to write a cache directory in HOME (like playwright's or puppeteer's): the script writes the real
// directory, safe-install creates it when missing, and the tamper witness does not blame anyone for it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFixture, safeInstall, readReport, readIfExists } from '../helpers/fixture.js';

test('a granted ~/.cache directory is created, written, and not reported as tampering under --ci', async () => {
  const fx = makeFixture({
    packages: [
      { name: 'cacher', scripts: { postinstall: 'node -e "require(\'fs\').writeFileSync(require(\'os\').homedir() + \'/.cache/cacher/data.json\', \'{}\')"' } },
      // Granted too, but writes nothing (a download skipped by an env var): only safe-install touched HOME.
      { name: 'idle', scripts: { postinstall: 'true' } },
    ],
    root: { dependencies: { cacher: 'tarball:cacher', idle: 'tarball:idle' } },
  });
  try {
    writeFileSync(join(fx.project, 'safe-install.policy.json'), JSON.stringify({ packages: { cacher: { allow: { write: ['$HOME/.cache/cacher/**'] } }, idle: { allow: { write: ['$HOME/.local/share/idle/**'] } } } }));
    const r = await safeInstall(fx, ['install', '--ci']);
    assert.is(r.code, 0, r.stderr.slice(-3000));
    assert.is(readIfExists(join(fx.home, '.cache', 'cacher', 'data.json')), '{}', 'the real cache directory was written');
    const tamper = readReport(fx).findings.filter((f: { rule: string }) => f.rule === 'tamper');
    assert.equal(tamper, [], 'no tamper finding for the directory safe-install created');
  } finally {
    fx.cleanup();
  }
});

test.run();
