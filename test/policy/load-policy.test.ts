import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadPolicy, policyJsonSchemaText, PROFILE_NAMES, loadBuiltinProfiles, PROFILES_DIR, findKnownPackage } from '../../src/policy/index.js';
import { isSafeInstallError, type SafeInstallError } from '../../src/errors.js';
import { FIXTURES, ROOT } from './helpers.js';

// Load a fixture and return its problems as `file:line:col: message` lines, file relative to the fixtures.
async function problems(file: string): Promise<{ code: string; lines: string }> {
  try {
    await loadPolicy({ projectDir: FIXTURES, file });
  } catch (e) {
    assert.ok(isSafeInstallError(e), String(e));
    const err = e as SafeInstallError;
    const lines = err.details.map((d) => `${relative(FIXTURES, d.location!.file)}:${d.location!.line}:${d.location!.column}: ${d.message}`);
    return { code: err.code, lines: lines.join('\n') };
  }
  throw new Error(`${file} loaded without error`);
}

const located = suite('loadPolicy located errors');
located('should locate broken JSON', async () => {
  const { code, lines } = await problems('bad-json.json');
  assert.is(code, 'EPOLICY_PARSE');
  assert.fixture(lines, 'bad-json.json:4:31: (json): invalid JSON: PropertyNameExpected (expected a JSON object)');
});
located('should locate wrong types and bad enum values', async () => {
  const { code, lines } = await problems('wrong-type.json');
  assert.is(code, 'EPOLICY_INVALID');
  assert.fixture(lines, [
    'wrong-type.json:2:11: mode: not an allowed value (expected one of "enforce", "audit")',
    'wrong-type.json:4:25: packages.esbuild.run: wrong type (expected a boolean)',
  ].join('\n'));
});
located('should name unknown keys and the allowed ones', async () => {
  const { lines } = await problems('unknown-key.json');
  assert.fixture(lines, [
    'unknown-key.json:3:31: packages.esbuild.alow: unknown key "alow" (expected run, profile, allow)',
    'unknown-key.json:5:3: extra: unknown key "extra" (expected $schema, mode, unlisted, root, packages, acceptDrift, gates)',
  ].join('\n'));
});
located('should reject path patterns that escape or use ~', async () => {
  const { lines } = await problems('bad-path.json');
  const expected = '(expected a path starting with $PKG, $PROJECT, $HOME, $TMP, $CACHE or /, optionally ending in /**)';
  assert.fixture(lines, [
    `bad-path.json:3:35: packages.pkg.allow.write[0]: "$PKG/../../../.ssh/**" escapes $PKG with ".." ${expected}`,
    `bad-path.json:3:60: packages.pkg.allow.write[1]: "~/.npmrc" uses ~ ${expected}; write "$HOME/.npmrc"`,
  ].join('\n'));
});
located('should reject URLs, * and *.com, and a missing port, with the fix', async () => {
  const { lines } = await problems('bad-host.json');
  const e = '(expected host:port, *.domain:port or host:* (port 1-65535))';
  assert.fixture(lines, [
    `bad-host.json:3:33: packages.pkg.allow.net[0]: "https://downloads.example.com/a.tgz" is a URL, not a host ${e}; write "downloads.example.com:443"`,
    `bad-host.json:3:72: packages.pkg.allow.net[1]: "*" allows every host ${e}; name the hosts, e.g. "registry.npmjs.org:443"`,
    `bad-host.json:3:77: packages.pkg.allow.net[2]: "*.com:443" is overly broad ${e}; name a registrable domain, e.g. "*.example.com:443"`,
    `bad-host.json:3:90: packages.pkg.allow.net[3]: "github.com" has no port ${e}; write "github.com:443" for HTTPS`,
  ].join('\n'));
});
located('should reject version ranges in keys', async () => {
  const { lines } = await problems('bad-version.json');
  assert.match(lines, /^bad-version.json:3:5: packages\["esbuild@\^0.25.0"\]: "\^0.25.0" in "esbuild@\^0.25.0" is a version range; only exact versions are allowed/);
  assert.match(lines, /\nbad-version.json:4:5: packages\["sharp@0.33.x"\]: "0.33.x" .* is a version range/);
});
located('should reject a key written twice', async () => {
  const { lines } = await problems('duplicate-key.json');
  assert.fixture(lines, 'duplicate-key.json:4:5: packages.esbuild: duplicate key "esbuild" (expected each key once)');
});
located('the thrown message is the first problem with its location', async () => {
  try {
    await loadPolicy({ projectDir: FIXTURES, file: 'bad-host.json' });
  } catch (e) {
    const err = e as SafeInstallError;
    assert.match(err.message, /bad-host.json is not a valid policy: 4 problems$/);
    assert.equal(err.location, err.details[0].location);
    assert.is(err.hint, 'write "downloads.example.com:443"');
    assert.equal({ line: err.location?.line, column: err.location?.column }, { line: 3, column: 33 });
  }
});
located('an explicit file that does not exist is EPOLICY_IO', async () => {
  try {
    await loadPolicy({ projectDir: FIXTURES, file: 'nope.json' });
    assert.unreachable();
  } catch (e) {
    assert.is((e as SafeInstallError).code, 'EPOLICY_IO');
  }
});
located.run();

// ---
const loading = suite('loadPolicy sources');
loading('should load a valid file with comments and every key form', async () => {
  const p = await loadPolicy({ projectDir: FIXTURES, file: 'valid.json' });
  assert.is(p.unlisted, 'ask');
  assert.equal(p.entries.map((e) => [e.key, e.parsed.versions ?? null, e.run]), [
    ['esbuild', null, true],
    ['sharp@0.33.5 || 0.33.4', ['0.33.4', '0.33.5'], true],
    ['@scope/tool', null, true],
    ['left-pad', null, false],
  ]);
});
loading('should fall back to the default policy when no file exists', async () => {
  const p = await loadPolicy({ projectDir: join(FIXTURES, 'project-bad-allowscripts', 'nonexistent') });
  assert.is(p.file, undefined);
  assert.is(p.mode, 'enforce');
  assert.is(p.unlisted, 'sandbox');
  assert.equal(p.entries, []);
});
loading('should merge allowScripts: the policy file wins a key, a deny is always kept', async () => {
  const p = await loadPolicy({ projectDir: join(FIXTURES, 'project-allowscripts') });
  assert.equal(p.entries.map((e) => `${e.key}:${e.run}:${e.source}`), [
    'esbuild:true:policy',
    'core-js:true:policy',
    'core-js:false:allowScripts',
    'sharp@0.33.5:true:allowScripts',
  ]);
});
loading('should locate bad allowScripts entries in package.json', async () => {
  try {
    await loadPolicy({ projectDir: join(FIXTURES, 'project-bad-allowscripts') });
    assert.unreachable();
  } catch (e) {
    const err = e as SafeInstallError;
    assert.is(err.code, 'EPOLICY_INVALID');
    assert.equal(err.details.map((d) => `${d.location!.line}:${d.location!.column} ${d.path}`), ['4:5 allowScripts["esbuild@>=0.20"]', '5:14 allowScripts.sharp']);
  }
});
loading.run();

// ---
const shipped = suite('shipped files');
shipped('schema/policy.schema.json is current (UPDATE_SCHEMA=1 to rewrite it)', async () => {
  const file = join(ROOT, 'schema', 'policy.schema.json');
  const text = policyJsonSchemaText();
  if (process.env.UPDATE_SCHEMA === '1') (await import('node:fs')).writeFileSync(file, text);
  assert.fixture(readFileSync(file, 'utf8'), text);
});
shipped('the JSON Schema forbids unknown keys and describes every property', () => {
  const schema = JSON.parse(policyJsonSchemaText());
  assert.is(schema.additionalProperties, false);
  const walk = (node: Record<string, any>, path: string) => {
    for (const [key, prop] of Object.entries<Record<string, any>>(node.properties ?? {})) {
      assert.ok(typeof prop.description === 'string', `${path}.${key} has a description`);
      walk(prop, `${path}.${key}`);
      if (prop.additionalProperties && typeof prop.additionalProperties === 'object') walk(prop.additionalProperties, `${path}.${key}.*`);
      if (prop.items) walk(prop.items, `${path}.${key}[]`);
    }
  };
  walk(schema, '');
});
shipped('every built-in profile name has a file and every file a name', () => {
  const files = readdirSync(PROFILES_DIR).filter((f) => f.endsWith('.json') && f !== 'known-packages.json').map((f) => f.slice(0, -5)).sort();
  assert.equal(files, [...PROFILE_NAMES].sort());
  assert.is(Object.keys(loadBuiltinProfiles().profiles).length, PROFILE_NAMES.length);
});
shipped('every known package has a reason and a valid range', () => {
  const { known } = loadBuiltinProfiles();
  assert.ok(known.length >= 25, String(known.length));
  for (const k of known) assert.ok(k.$comment.length > 20, `${k.name} explains itself`);
});
shipped('the packages named in the policy issue are known', () => {
  const { known } = loadBuiltinProfiles();
  const versions: [string, string][] = [
    ['esbuild', '0.25.10'], ['@swc/core', '1.13.0'], ['sharp', '0.32.6'], ['sharp', '0.33.5'], ['better-sqlite3', '12.4.1'], ['sqlite3', '5.1.7'],
    ['bcrypt', '5.1.1'], ['bcrypt', '6.0.0'], ['node-pty', '1.0.0'], ['isolated-vm', '5.0.4'], ['canvas', '3.2.0'], ['husky', '4.3.8'],
    ['lefthook', '1.11.0'], ['simple-git-hooks', '2.13.0'], ['core-js', '3.45.0'], ['protobufjs', '7.5.4'], ['msw', '2.11.0'],
    ['puppeteer', '24.0.0'], ['playwright', '1.20.2'], ['cypress', '15.3.0'], ['electron', '38.0.0'], ['prisma', '5.22.0'],
    ['@prisma/engines', '6.16.0'], ['@parcel/watcher', '2.5.1'], ['nx', '21.0.0'],
  ];
  for (const [name, version] of versions) assert.ok(findKnownPackage(known, name, version), `${name}@${version}`);
  assert.is(findKnownPackage(known, 'sharp', '0.32.6')?.profile, 'prebuilt-download');
  assert.is(findKnownPackage(known, 'sharp', '0.33.5')?.profile, 'native-build');
  assert.is(findKnownPackage(known, 'husky', '9.1.7'), undefined, 'husky 9 has no install script');
});
shipped.run();
