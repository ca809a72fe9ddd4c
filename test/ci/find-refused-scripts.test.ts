// The --ci preflight's pure core: which packages the policy refuses for want of an approval, read from
// the lockfile before npm starts, and which dependency types npm will leave out.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parsePolicyText } from '../../src/policy/index.js';
import { findRefusedScripts, npmOmit, platformMatches, type PreflightLockfile } from '../../src/ci/index.js';

const policy = (unlisted: string, packages: Record<string, unknown> = {}) => parsePolicyText(JSON.stringify({ unlisted, packages }), '/p/safe-install.policy.json');

const lockfile: PreflightLockfile = {
  packages: {
    '': { name: 'app', version: '1.0.0', hasInstallScript: true },
    'node_modules/approved': { version: '1.0.0', hasInstallScript: true },
    'node_modules/denied': { version: '1.0.0', hasInstallScript: true },
    'node_modules/plain': { version: '1.0.0' },
    'node_modules/stranger': { version: '2.0.0', hasInstallScript: true },
    'node_modules/@s/native': { version: '3.0.0', hasInstallScript: true, dev: true },
    'node_modules/win-only': { version: '1.0.0', hasInstallScript: true, optional: true, os: ['win32'] },
    'node_modules/bundled/node_modules/inner': { version: '1.0.0', hasInstallScript: true, inBundle: true },
    'node_modules/linked': { version: '1.0.0', link: true },
    'node_modules/on-disk': { version: '1.0.0' },
    'packages/workspace-a': { version: '1.0.0', hasInstallScript: true },
  },
};
const installed = (path: string) => (path === 'node_modules/on-disk' ? { version: '1.0.0', hasScripts: true } : undefined);
const refused = (unlisted: string, omit: ('dev' | 'optional' | 'peer')[] = [], platform = 'linux') =>
  findRefusedScripts({ policy: policy(unlisted, { approved: {}, denied: { run: false } }), lockfile, omit: new Set(omit), platform, arch: 'x64', installedScripts: installed })
    .map((r) => `${r.path} ${r.package}: ${r.reason}`);

const find = suite('findRefusedScripts');

find('should list unlisted packages with install scripts under unlisted "deny", not approved or explicitly denied ones', () => {
  assert.equal(refused('deny'), [
    'node_modules/@s/native @s/native@3.0.0: unlisted is "deny"',
    'node_modules/on-disk on-disk@1.0.0: unlisted is "deny"',
    'node_modules/stranger stranger@2.0.0: unlisted is "deny"',
  ]);
});

find('should list them under "ask" too: --ci has nobody to ask', () => {
  assert.equal(refused('ask', ['dev']), [
    'node_modules/on-disk on-disk@1.0.0: unlisted is "ask" and --ci never asks',
    'node_modules/stranger stranger@2.0.0: unlisted is "ask" and --ci never asks',
  ]);
});

find('should list nothing under "sandbox", where every unlisted package runs confined', () => {
  assert.equal(refused('sandbox'), []);
});

find('should skip what npm will not install: omitted dev dependencies, optional packages for another platform', () => {
  assert.not.ok(refused('deny', ['dev']).some((line) => line.includes('@s/native')));
  assert.ok(refused('deny', [], 'win32').some((line) => line.includes('win-only')));
});

find('should ignore an installed copy whose version is not the lockfile\'s', () => {
  const out = findRefusedScripts({ policy: policy('deny'), lockfile: { packages: { 'node_modules/x': { version: '2.0.0' } } }, platform: 'linux', arch: 'x64', installedScripts: () => ({ version: '1.0.0', hasScripts: true }) });
  assert.equal(out, []);
});

find('should list nothing without a lockfile', () => {
  assert.equal(findRefusedScripts({ policy: policy('deny'), lockfile: undefined, platform: 'linux', arch: 'x64' }), []);
});

find.run();

// ---

const omit = suite('npmOmit and platformMatches');

const omitCases: [string[], Record<string, string>, string[]][] = [
  [[], {}, []],
  [['--omit=dev'], {}, ['dev']],
  [['--omit', 'dev', '--omit=optional'], {}, ['dev', 'optional']],
  [['--production'], {}, ['dev']],
  [['--only=prod'], {}, ['dev']],
  [[], { NODE_ENV: 'production' }, ['dev']],
  [['--include=dev'], { NODE_ENV: 'production' }, []],
  [[], { npm_config_omit: 'dev peer' }, ['dev', 'peer']],
  [['--omit=bogus'], {}, []],
];
for (const [args, env, expected] of omitCases) {
  omit(`should omit [${expected.join(', ')}] for ${JSON.stringify(args)} ${JSON.stringify(env)}`, () => assert.equal([...npmOmit(args, env)].sort(), expected));
}

omit('should follow npm\'s os/cpu lists', () => {
  assert.ok(platformMatches(undefined, 'linux'));
  assert.ok(platformMatches(['linux', 'darwin'], 'linux'));
  assert.not.ok(platformMatches(['win32'], 'linux'));
  assert.not.ok(platformMatches(['!linux'], 'linux'));
  assert.ok(platformMatches(['!win32'], 'linux'));
});

omit.run();
