import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { explainExitCode } from '../../src/report/explain-exit-code.js';
import { isSecretTarget } from '../../src/report/is-secret-target.js';
import { locatePackage } from '../../src/report/locate-package.js';
import { formatDuration } from '../../src/report/format-duration.js';
import { SAMPLE_LOCKFILE } from './sample-report.js';

const exit = suite('explainExitCode');

exit('should say what each status means, and name npm when its code passed through', () => {
  const table: [number, number | null, string][] = [
    [0, 0, 'exit 0: clean'],
    [1, 0, 'exit 1: policy deviation or failed script'],
    [1, 1, 'exit 1: policy deviation or failed script (npm exited 1)'],
    [2, null, 'exit 2: usage or policy error'],
    [3, null, 'exit 3: sandbox unavailable'],
    [217, 217, 'exit 217: npm failed (its own exit code)'],
    [9, 0, 'exit 9'],
  ];
  for (const [exitCode, npmCode, expected] of table) {
    assert.is(explainExitCode({ exitCode, npm: { version: '11.6.2', exitCode: npmCode } }), expected);
  }
});

exit.run();

// ---

const secrets = suite('isSecretTarget');

secrets('should know credential files and secret-looking variable names', () => {
  const table: [string, string, boolean][] = [
    ['fs.read', '/home/u/.npmrc', true],
    ['fs.read', '/work/app/.npmrc', true],
    ['fs.read', '/home/u/.ssh/id_ed25519', true],
    ['fs.read', '/home/u/.aws/credentials', true],
    ['fs.read', '/home/u/.config/gh/hosts.yml', true],
    ['fs.read', '/proc/1/environ', true],
    ['fs.read', '/proc/self/environ', true],
    ['fs.read', '/work/app/.env.production', true],
    ['fs.read', '/home/u/.docker/config.json', true],
    ['fs.read', '/work/app/node_modules/evil/package.json', false],
    ['fs.read', '/home/u/.sshrc-notes', false],
    ['fs.write', '/home/u/.npmrc', false],
    ['env.read', 'NPM_TOKEN', true],
    ['env.read', 'AWS_SECRET_ACCESS_KEY', true],
    ['env.read', 'GITHUB_TOKEN', true],
    ['env.read', 'npm_config__auth', true],
    ['env.read', 'HOME', false],
    ['env.read', 'npm_config_nodedir', false],
  ];
  for (const [kind, target, expected] of table) assert.is(isSecretTarget(kind, target), expected, `${kind} ${target}`);
});

secrets.run();

// ---

const locate = suite('locatePackage');

locate('should find the lockfile entry, nested ones included, and fall back to package.json', () => {
  const lock = `${SAMPLE_LOCKFILE.slice(0, -7)},\n    "node_modules/evil/node_modules/x": {\n      "version": "2.0.0"\n    }\n  }\n}\n`;
  assert.equal(locatePackage('node_modules/evil', 'postinstall', { lockfileText: lock }), { uri: 'package-lock.json', line: 11, column: 5 });
  assert.equal(locatePackage('node_modules/evil/node_modules/x', 'install', { lockfileText: lock }), { uri: 'package-lock.json', line: 17, column: 5 });
  assert.equal(locatePackage('node_modules/gone', 'install', { lockfileText: lock }), { uri: 'package.json', line: 1, column: 1 });
  assert.equal(locatePackage('node_modules/evil', 'install', {}), { uri: 'package.json', line: 1, column: 1 });
  assert.equal(locatePackage(undefined, undefined, { lockfileText: lock, baseUri: 'apps/web/' }), { uri: 'apps/web/package.json', line: 1, column: 1 });
});

locate.run();

// ---

const duration = suite('formatDuration');

duration('should read as a person says it', () => {
  assert.equal([0, 999, 1000, 1549, 59_999, 60_000, 125_400].map(formatDuration), ['0 ms', '999 ms', '1.0 s', '1.5 s', '60.0 s', '1 min 0 s', '2 min 5 s']);
});

duration.run();
