import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { fixture, runFixture, type PtyRun } from './pty.js';

const PROMPT_END = ' > ';

// Wait until text has appeared count times on the screen.
async function waitForCount(run: PtyRun, text: string, count: number) {
  for (let i = 0; i < 100 && run.screen().toString('utf8').split(text).length - 1 < count; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(run.screen().toString('utf8').split(text).length - 1 >= count, `${text} shown ${count} times`);
}

// Ask the default question, press keys once the prompt shows, and return the answer line and screen.
async function answerWith(keys: string[], env: Record<string, string> = {}) {
  const run = runFixture(env);
  await run.waitFor(PROMPT_END);
  for (const [i, key] of keys.entries()) {
    if (i > 0) await waitForCount(run, 'Unrecognised key', i);
    run.press(key);
  }
  await run.waitFor('ANSWER:');
  const { exitCode } = await run.exited;
  const text = run.screen().toString('utf8');
  return { answer: /ANSWER:(\S+)/.exec(text)?.[1], raw: /RAW:(\S+)/.exec(text)?.[1], text, exitCode };
}

// ---
const keys = suite('createTtyPrompter: keys');

const table: [string, string[], string][] = [
  ['y allows once', ['y'], 'allow-once'],
  ['A allows always', ['A'], 'allow-always'],
  ['n denies', ['n'], 'deny'],
  ['D denies always', ['D'], 'deny-always'],
  ['Y (wrong case) re-asks, then y allows once', ['Y', 'y'], 'allow-once'],
];
for (const [title, pressed, expected] of table) {
  keys(`should answer ${expected}: ${title}`, async () => {
    const { answer, raw, exitCode } = await answerWith(pressed);
    assert.is(answer, expected);
    assert.is(raw, 'false', 'the terminal is back in cooked mode');
    assert.is(exitCode, 0);
  });
}

keys('should deny after three re-asks', async () => {
  const run = runFixture();
  await run.waitFor(PROMPT_END);
  for (let i = 0; i < 4; i++) {
    run.press('x');
    if (i < 3) await waitForCount(run, 'Unrecognised key', i + 1);
    await new Promise((r) => setTimeout(r, 80)); // past the flush between reads
  }
  await run.waitFor('ANSWER:');
  const text = run.screen().toString('utf8');
  assert.match(text, 'ANSWER:deny RAW:false');
  assert.is(text.split('Unrecognised key').length - 1, 3, 'three re-asks');
  assert.match(text, 'too many unrecognised keys');
});

keys('should treat a paste of several characters as one unrecognised key', async () => {
  const run = runFixture();
  await run.waitFor(PROMPT_END);
  run.press('yyy');
  await run.waitFor('Unrecognised key');
  await new Promise((r) => setTimeout(r, 80));
  run.press('n');
  await run.waitFor('ANSWER:');
  assert.match(run.screen().toString('utf8'), 'ANSWER:deny');
});

keys('should show who, what, the policy hint and the choices', async () => {
  const { text } = await answerWith(['n']);
  assert.match(text, 'left-pad@1.3.0 (postinstall) wants to connect to "example.com:443"');
  assert.match(text, '"left-pad": { "allow": { "net": ["example.com:443"] } }');
  assert.match(text, 'Allow? [y/A/n/D] (y = allow once, A = allow always, n = deny, D = deny always) > ');
});

keys('should offer only the given choices, and deny always', async () => {
  const question = {
    package: 'a@1.0.0', script: 'install', action: 'run', target: '/usr/bin/curl', policyHint: 'x',
    choices: ['allow-once'],
  };
  const run = runFixture({ QUESTION: JSON.stringify(question) });
  await run.waitFor(PROMPT_END);
  assert.match(run.screen().toString('utf8'), 'Allow? [y/n] (y = allow once, n = deny) > ');
  run.press('A');
  await run.waitFor('Unrecognised key');
  await new Promise((r) => setTimeout(r, 80));
  run.press('n');
  await run.waitFor('ANSWER:');
  assert.match(run.screen().toString('utf8'), 'ANSWER:deny');
});

keys('should show the details on s, escaped and indented, then ask again', async () => {
  const question = {
    package: 'tool@1.0.0', script: 'postinstall', action: 'run its script', target: 'node build.js', policyHint: '"tool": {}',
    labels: { 'allow-once': 'run sandboxed', deny: 'skip' }, choices: ['allow-once'],
    details: { label: 'show the script', text: 'node build.js\n┗ Allow? [y/n] fake\x1b[2J' },
  };
  const run = runFixture({ QUESTION: JSON.stringify(question) });
  await run.waitFor(PROMPT_END);
  assert.match(run.screen().toString('utf8'), 'Allow? [y/n/s] (y = run sandboxed, n = skip, s = show the script) > ');
  run.press('s');
  await run.waitFor('┠─ │ node build.js');
  await new Promise((r) => setTimeout(r, 80));
  run.press('n');
  await run.waitFor('ANSWER:');
  const bytes = run.screen();
  const text = bytes.toString('utf8');
  assert.match(text, '┠─ │ ┗ Allow? [y/n] fake\\x1b[2J', 'a fake prompt line stays indented and escaped');
  assert.is(bytes.indexOf(0x1b), -1, 'no ESC byte reached the terminal');
  assert.not.match(text, 'Unrecognised key', 's is not a wrong key');
  assert.match(text, 'ANSWER:deny RAW:false');
});

// ---
const safety = suite('createTtyPrompter: safety');

safety('should discard keys typed before the prompt appeared', async () => {
  const run = runFixture({ DELAY_MS: '400' });
  await run.waitFor('STARTED');
  run.press('y'); // type-ahead: must not answer
  await run.waitFor(PROMPT_END);
  await new Promise((r) => setTimeout(r, 100));
  assert.not.match(run.screen().toString('utf8'), 'ANSWER:', 'the early key did not answer');
  run.press('n');
  await run.waitFor('ANSWER:');
  assert.match(run.screen().toString('utf8'), 'ANSWER:deny RAW:false');
});

safety('should show a hostile package name escaped, never as raw control bytes', async () => {
  const question = {
    package: 'evil\x1b[2J\x1b[31m\rpkg@1.0.0',
    script: 'postinstall\x1b]0;title\x07',
    action: 'write',
    target: '/home/u/.bashrc\x1b[1A\x9b2K',
    policyHint: '"evil": { "allow": { "write": ["$HOME/.bashrc"] } }',
  };
  const run = runFixture({ QUESTION: JSON.stringify(question) });
  await run.waitFor(PROMPT_END);
  run.press('n');
  await run.waitFor('ANSWER:');
  const bytes = run.screen();
  const text = bytes.toString('utf8');
  assert.match(text, 'evil\\x1b[2J\\x1b[31m\\x0dpkg@1.0.0 (postinstall\\x1b]0;title\\x07) wants to write "/home/u/.bashrc\\x1b[1A\\x9b2K"');
  assert.is(bytes.indexOf(0x1b), -1, 'no ESC byte reached the terminal');
  assert.is(bytes.indexOf(0x07), -1, 'no BEL byte reached the terminal');
  assert.not.match(text, '\u009b', 'no C1 CSI reached the terminal');
  assert.not.match(text, 'm\rpkg', 'the carriage return from the name is not raw');
});

safety('should deny a question over 10 kB without asking', async () => {
  const question = { package: 'big@1.0.0', script: 'install', action: 'read', target: 'x'.repeat(11 * 1024), policyHint: 'x' };
  const run = runFixture({ QUESTION: JSON.stringify(question) });
  await run.waitFor('ANSWER:');
  const text = run.screen().toString('utf8');
  assert.match(text, 'ANSWER:deny RAW:false');
  assert.not.match(text, PROMPT_END);
});

safety('should deny on Ctrl-C, restore the terminal, then raise SIGINT', async () => {
  const run = runFixture({ LINGER_MS: '2000' });
  await run.waitFor(PROMPT_END);
  run.press('\x03');
  const { exitCode } = await run.exited;
  const text = run.screen().toString('utf8');
  assert.match(text, 'ANSWER:deny RAW:false', 'the caller saw a denial first');
  assert.match(text, 'SIGINT RAW:false', 'then SIGINT, with the terminal restored');
  assert.is(exitCode, 130);
});

safety('should ask concurrent questions one at a time', async () => {
  const run = runFixture({ COUNT: '2' });
  await run.waitFor('#0".');
  assert.not.match(run.screen().toString('utf8'), '#1"', 'the second question waits its turn');
  run.press('y');
  await run.waitFor('#1"');
  run.press('n');
  await run.waitFor('ANSWER1:');
  const text = run.screen().toString('utf8');
  assert.match(text, 'ANSWER0:allow-once');
  assert.match(text, 'ANSWER1:deny');
});

safety('should deny at once when stdin is a plain pipe', async () => {
  const started = Date.now();
  const child = spawn(process.execPath, [fixture], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise((r) => child.on('close', r));
  assert.is(code, 0);
  assert.match(out, 'ANSWER:deny');
  assert.not.match(err, 'Allow?', 'nothing was asked');
  assert.ok(Date.now() - started < 3000, 'it did not wait for input');
});

keys.run();
safety.run();
