import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPolicyCheck } from '../../src/cli/commands/policy-check.js';
import { runApprove, runDeny } from '../../src/cli/commands/approve-deny.js';
import { runPolicyImport } from '../../src/cli/commands/policy-import.js';
import { loadPolicy, parsePolicyText } from '../../src/policy/index.js';
import { FIXTURES } from './helpers.js';

// Capture a command's stdout and stderr.
function io() {
  const out = { stdout: '', stderr: '' };
  return { out, write: (t: string) => void (out.stdout += t), writeError: (t: string) => void (out.stderr += t) };
}
const tempDir = () => mkdtempSync(join(tmpdir(), 'si-policy-cmd-'));

// ---
const check = suite('policy check');
check('should exit 0 for a valid file', async () => {
  const c = io();
  assert.is(await runPolicyCheck({ file: 'valid.json', cwd: FIXTURES, ...c }), 0);
  assert.is(c.out.stdout, 'valid.json: valid (4 package entries, mode enforce, unlisted ask)\n');
});
check('should print located problems and exit 2 for each broken fixture', async () => {
  for (const [file, first] of [
    ['bad-json.json', 'bad-json.json:4:31: (json): invalid JSON: PropertyNameExpected (expected a JSON object)'],
    ['wrong-type.json', 'wrong-type.json:2:11: mode: not an allowed value (expected one of "enforce", "audit")'],
    ['unknown-key.json', 'unknown-key.json:3:31: packages.esbuild.alow: unknown key "alow" (expected run, profile, allow)'],
    ['bad-path.json', 'bad-path.json:3:35: packages.pkg.allow.write[0]: "$PKG/../../../.ssh/**" escapes $PKG with ".."'],
    ['bad-host.json', 'bad-host.json:3:33: packages.pkg.allow.net[0]: "https://downloads.example.com/a.tgz" is a URL, not a host'],
    ['bad-version.json', 'bad-version.json:3:5: packages["esbuild@^0.25.0"]: "^0.25.0" in "esbuild@^0.25.0" is a version range'],
  ]) {
    const c = io();
    assert.is(await runPolicyCheck({ file, cwd: FIXTURES, ...c }), 2, file);
    assert.ok(c.out.stderr.startsWith(first), c.out.stderr);
    assert.not.match(c.out.stderr, /\n\s+at /, 'no stack trace');
    assert.match(c.out.stderr, /problems? in /);
  }
});
check('should say so when no policy file exists', async () => {
  const dir = tempDir();
  const c = io();
  assert.is(await runPolicyCheck({ cwd: dir, ...c }), 0);
  assert.match(c.out.stdout, /built-in default policy applies/);
  rmSync(dir, { recursive: true });
});
check('should exit 2 when the named file is missing', async () => {
  const c = io();
  assert.is(await runPolicyCheck({ file: 'missing.json', cwd: FIXTURES, ...c }), 2);
  assert.match(c.out.stderr, /does not exist/);
});
check('should escape control characters from the file', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'safe-install.policy.json'), '{ "packages": { "x": { "allow": { "env": ["A\\u001b[31mB"] } } } }');
  const c = io();
  assert.is(await runPolicyCheck({ cwd: dir, ...c }), 2);
  assert.not.ok(c.out.stderr.includes('\u001b'), JSON.stringify(c.out.stderr));
  rmSync(dir, { recursive: true });
});
check.run();

// ---
const approve = suite('approve / deny');
approve('should create the file with a $schema line', async () => {
  const dir = tempDir();
  const c = io();
  assert.is(await runApprove({ packages: ['esbuild', 'sharp@0.33.5'], cwd: dir, ...c }), 0);
  assert.fixture(readFileSync(join(dir, 'safe-install.policy.json'), 'utf8'), [
    '{',
    '  "$schema": "./node_modules/safe-install/schema/policy.schema.json",',
    '  "packages": {',
    '    "esbuild": {},',
    '    "sharp@0.33.5": {}',
    '  }',
    '}',
    '',
  ].join('\n'));
  assert.match(c.out.stdout, /^created safe-install.policy.json: approved esbuild, sharp@0.33.5/);
  rmSync(dir, { recursive: true });
});
approve('should keep comments and formatting and flip run', async () => {
  const dir = tempDir();
  const file = join(dir, 'safe-install.policy.json');
  writeFileSync(file, '{\n    // reviewed 2026-01\n    "packages": {\n        "esbuild": { "run": true, "allow": { "timeout": 60 } }\n    }\n}\n');
  assert.is(await runDeny({ packages: ['esbuild'], cwd: dir, ...io() }), 0);
  assert.is(await runDeny({ packages: ['core-js'], cwd: dir, ...io() }), 0);
  assert.fixture(readFileSync(file, 'utf8'), [
    '{',
    '    // reviewed 2026-01',
    '    "packages": {',
    '        "esbuild": { "run": false, "allow": { "timeout": 60 } },',
    '        "core-js": { "run": false }',
    '    }',
    '}',
    '',
  ].join('\n'));
  const p = await loadPolicy({ projectDir: dir });
  assert.equal(p.entries.map((e) => [e.key, e.run]), [['esbuild', false], ['core-js', false]]);
  rmSync(dir, { recursive: true });
});
approve('should reuse an equivalent key and warn that a deny wins', async () => {
  const dir = tempDir();
  const file = join(dir, 'safe-install.policy.json');
  writeFileSync(file, '{ "packages": { "x@1.0.1 || 1.0.0": { "run": false }, "y@2.0.0": { "run": false } } }');
  const c = io();
  assert.is(await runApprove({ packages: ['x@1.0.0 || 1.0.1', 'y'], cwd: dir, ...c }), 0);
  const p = await loadPolicy({ projectDir: dir });
  assert.equal(p.entries.map((e) => [e.key, e.run]), [['x@1.0.1 || 1.0.0', true], ['y@2.0.0', false], ['y', true]]);
  assert.match(c.out.stdout, /y: note "y@2.0.0" is denied, and a deny wins/);
  rmSync(dir, { recursive: true });
});
approve('should refuse ranges and leave no file', async () => {
  const dir = tempDir();
  const c = io();
  assert.is(await runApprove({ packages: ['esbuild@^0.25.0'], cwd: dir, ...c }), 2);
  assert.match(c.out.stderr, /version range/);
  assert.throws(() => readFileSync(join(dir, 'safe-install.policy.json')));
  rmSync(dir, { recursive: true });
});
approve('should refuse to edit a broken file', async () => {
  const dir = tempDir();
  copyFileSync(join(FIXTURES, 'bad-host.json'), join(dir, 'safe-install.policy.json'));
  const c = io();
  assert.is(await runApprove({ packages: ['esbuild'], cwd: dir, ...c }), 2);
  assert.equal(readFileSync(join(dir, 'safe-install.policy.json'), 'utf8'), readFileSync(join(FIXTURES, 'bad-host.json'), 'utf8'));
  rmSync(dir, { recursive: true });
});
approve.run();

// ---
const imports = suite('policy import');
imports('should import lavamoat, pnpm (package.json and yaml) and npm approvals', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'app',
    lavamoat: { allowScripts: { '$root$': true, 'vite>esbuild': true, 'a>b>core-js': false } },
    pnpm: { onlyBuiltDependencies: ['@swc/core'], neverBuiltDependencies: ['fsevents'] },
    allowScripts: { 'sharp@0.33.5': true, 'bad@^1': true },
  }));
  writeFileSync(join(dir, 'pnpm-workspace.yaml'), [
    'packages:',
    '  - "packages/*"',
    'onlyBuiltDependencies:',
    "  - 'better-sqlite3' # native",
    'neverBuiltDependencies: [es5-ext]',
    'allowBuilds:',
    '  esbuild: true',
    '  "@parcel/watcher": false',
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'safe-install.policy.json'), '{\n  "packages": {\n    "esbuild": { "run": false }\n  }\n}\n');
  const c = io();
  assert.is(await runPolicyImport({ cwd: dir, ...c }), 0);
  // package.json's own allowScripts holds a range, so read the policy file alone.
  const p = parsePolicyText(readFileSync(join(dir, 'safe-install.policy.json'), 'utf8'), 'safe-install.policy.json');
  const byKey = Object.fromEntries(p.entries.filter((e) => e.source === 'policy').map((e) => [e.key, e.run]));
  assert.equal(byKey, {
    esbuild: false, // existing deny kept
    'sharp@0.33.5': true, '@swc/core': true, 'better-sqlite3': true,
    'core-js': false, fsevents: false, 'es5-ext': false, '@parcel/watcher': false,
  });
  assert.match(c.out.stderr, /warning: allowScripts: skipped "bad@\^1"/);
  assert.match(c.out.stdout, /esbuild: kept the existing deny/);
  rmSync(dir, { recursive: true });
});
imports('should import only the chosen source', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ lavamoat: { allowScripts: { 'x>y': true } }, allowScripts: { z: true } }));
  const c = io();
  assert.is(await runPolicyImport({ cwd: dir, from: ['lavamoat'], ...c }), 0);
  const p = await loadPolicy({ projectDir: dir });
  assert.equal(p.entries.filter((e) => e.source === 'policy').map((e) => e.key), ['y']);
  rmSync(dir, { recursive: true });
});
imports('should reject an unknown source', async () => {
  const c = io();
  assert.is(await runPolicyImport({ cwd: FIXTURES, from: ['yarn' as never], ...c }), 2);
});
imports.run();
