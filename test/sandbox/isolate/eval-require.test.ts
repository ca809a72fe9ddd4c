// `node -e` in the isolate tier resolves requires from the script's cwd, as node does (the demo's root
// postinstall `node -e "require('demo-codegen')"` failed before).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { makeFixture, safeInstall, readReport, readIfExists } from '../../helpers/fixture.js';

test('a root `node -e` postinstall requires an installed dependency', async () => {
  const fx = makeFixture({
    packages: [{ name: 'lib', files: { 'index.js': 'module.exports = 42;\n' } }],
    root: { dependencies: { lib: 'tarball:lib' }, scripts: { postinstall: `node -e "require('fs').writeFileSync('out.txt', String(require('lib')))"` } },
  });
  try {
    const r = await safeInstall(fx, ['install']);
    assert.is(r.code, 0, r.stderr.slice(-2000));
    assert.is(readIfExists(join(fx.project, 'out.txt')), '42');
    const root = readReport(fx).scripts.find((s: { path: string }) => s.path === '');
    assert.is(root.outcome, 'ok');
    assert.ok(['isolate', 'process'].includes(root.tier));
  } finally {
    fx.cleanup();
  }
});

test.run();
