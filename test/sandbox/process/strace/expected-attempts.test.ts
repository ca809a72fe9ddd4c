// Which refused attempts are a tool's usual start-up (reported, not deviations) and which are attacks.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isExpectedHomeWrite, isExpectedRead, programName } from '../../../../src/sandbox/process/strace/expected-attempts.js';

const H = '/home/u';

const reads = suite('isExpectedRead');
const readCases: [string, string | undefined, boolean][] = [
  [`${H}/.npmrc`, 'npm', true], // nested `npm run` loads its config
  [`${H}/.npmrc`, 'node', false], // a script reading the token file itself
  [`${H}/.npmrc`, 'cat', false],
  [`${H}/.npmrc`, undefined, false],
  [`${H}/.curlrc`, 'curl', true],
  [`${H}/.gitconfig`, 'git', true],
  [`${H}/.gitconfig`, 'node', true], // no credentials in it: hidden, not an attack
  [`${H}/.ssh/id_rsa`, 'git', false], // no tool owns a private key read
  [`${H}/.ssh/id_rsa`, 'ssh', false],
  [`${H}/.aws/credentials`, 'node', false],
  [`${H}/.config/gh/hosts.yml`, 'gh', false],
  [`${H}/.docker/config.json`, 'node', false],
  [`${H}/.bash_history`, 'sh', false],
  [`${H}/.local/lib/python3.11/site-packages`, 'python3', true],
  ['/etc/shadow', 'node', false],
  ['/proc/1/environ', 'cat', false],
];
for (const [path, program, expected] of readCases) {
  reads(`${path} read by ${program ?? '(unknown)'} is ${expected ? 'expected' : 'a deviation'}`, () => assert.is(isExpectedRead(path, program, H), expected));
}
reads('the project .npmrc is a nested package manager\'s start-up, and a deviation for anything else', () => {
  const P = '/work/proj';
  assert.is(isExpectedRead(`${P}/.npmrc`, 'npm', H, P), true);
  assert.is(isExpectedRead(`${P}/.yarnrc.yml`, 'yarn', H, P), true);
  assert.is(isExpectedRead(`${P}/.npmrc`, 'node', H, P), false);
  assert.is(isExpectedRead(`${P}/.npmrc`, 'cat', H, P), false);
  assert.is(isExpectedRead(`${P}/.env`, 'npm', H, P), false);
  assert.is(isExpectedRead(`${P}/sub/.npmrc`, 'npm', H, P), false);
});
reads.run();

// ---

const writes = suite('isExpectedHomeWrite');
const writeCases: [string, string | undefined, boolean][] = [
  [`${H}/.npm/_logs/2026-debug.log`, 'npm', true],
  [`${H}/.cache/node-gyp/20.20.2/include`, 'node', true],
  [`${H}/.cache/ms-playwright/x`, 'node', true],
  [`${H}/.bashrc`, 'sh', false],
  [`${H}/.profile`, 'node', false],
  [`${H}/.config/systemd/user/evil.service`, 'node', false],
  [`${H}/.ssh/authorized_keys`, 'node', false],
  [`${H}/.npmrc`, 'npm', false], // npm writing credentials is never routine
  [`${H}/.gitconfig`, 'git', true],
  [`${H}/.gitconfig`, 'node', false],
  ['/etc/passwd', 'node', false],
];
for (const [path, program, expected] of writeCases) {
  writes(`${path} written by ${program ?? '(unknown)'} is ${expected ? 'expected' : 'a deviation'}`, () => assert.is(isExpectedHomeWrite(path, program, H), expected));
}
writes.run();

// ---

const programs = suite('programName');
programs('should name node running npm-cli.js npm', () => {
  assert.is(programName('/usr/bin/node', ['node', '/usr/lib/node_modules/npm/bin/npm-cli.js', 'run', 'build']), 'npm');
  assert.is(programName('/usr/bin/node', ['node', '/x/npx-cli.js']), 'npx');
  assert.is(programName('/usr/bin/node', ['node', 'install.js']), 'node');
  assert.is(programName('/usr/bin/curl', ['curl', '-s']), 'curl');
});
programs.run();
