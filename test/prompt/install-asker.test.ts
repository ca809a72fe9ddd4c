// The install's side of prompting, without a terminal: questions built from a script, "always" answers
// remembered for the run and written into the policy file in place, grants carried into later scripts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyGrantChanges } from '../../src/policy/edit-policy.js';
import { defaultPolicy, parsePolicyText } from '../../src/policy/index.js';
import { createInstallAsker } from '../../src/prompt/create-install-asker.js';
import { createScriptedPrompter } from '../../src/prompt/index.js';
import { netQuestion, runQuestion } from '../../src/prompt/install-questions.js';
import { formatQuestion, formatDetails } from '../../src/prompt/format-question.js';
import { offerRerun } from '../../src/prompt/offer-rerun.js';
import type { SandboxEvent } from '../../src/events/types.js';

const script = (name: string, event = 'postinstall', command = 'node install.js') => ({ identity: { name, version: '1.0.0', isRoot: false }, event, command });

// ---
const edits = suite('applyGrantChanges');

const table: [string, string | undefined, Parameters<typeof applyGrantChanges>[1], string][] = [
  ['creates a file with a one-line entry', undefined, [{ key: 'a', list: 'net', value: 'x.example:443' }],
    '{\n  "$schema": "./node_modules/safe-install/schema/policy.schema.json",\n  "packages": {\n    "a": { "allow": { "net": ["x.example:443"] } }\n  }\n}\n'],
  ['appends to a one-line list', '{\n  "packages": {\n    "a": { "allow": { "net": ["x:1"] } } // why\n  }\n}\n', [{ key: 'a', list: 'net', value: 'y:2' }],
    '{\n  "packages": {\n    "a": { "allow": { "net": ["x:1", "y:2"] } } // why\n  }\n}\n'],
  ['appends to a list written one item per line', '{\n  "packages": {\n    "a": {\n      "allow": {\n        "write": [\n          "$HOME/.x/**"\n        ]\n      }\n    }\n  }\n}\n',
    [{ key: 'a', list: 'write', value: '$HOME/.y/**' }],
    '{\n  "packages": {\n    "a": {\n      "allow": {\n        "write": [\n          "$HOME/.x/**",\n          "$HOME/.y/**"\n        ]\n      }\n    }\n  }\n}\n'],
  ['adds a list to an existing allow', '{ "packages": { "a": { "allow": { "net": ["x:1"] } } } }', [{ key: 'a', list: 'write', value: '$HOME/.y/**' }],
    '{ "packages": { "a": { "allow": { "net": ["x:1"], "write": ["$HOME/.y/**"] } } } }'],
  ['adds allow to an approval, carrying the known grants', '{\n  "packages": {\n    "esbuild": {}\n  }\n}\n',
    [{ key: 'esbuild', list: 'net', value: 'x:1', base: { profile: 'default', allow: { net: ['registry.npmjs.org:443'], timeout: 60 } } }],
    '{\n  "packages": {\n    "esbuild": { "profile": "default", "allow": { "net": ["registry.npmjs.org:443", "x:1"], "timeout": 60 } }\n  }\n}\n'],
  ['adds the root section', '{\n  "packages": {}\n}\n', [{ key: { root: true }, list: 'write', value: '$HOME/.cache/gen/**' }],
    '{\n  "packages": {},\n  "root": { "allow": { "write": ["$HOME/.cache/gen/**"] } }\n}\n'],
  ['adds packages when the file has none', '{\n  "mode": "audit"\n}\n', [{ key: 'a', list: 'net', value: 'x:1' }],
    '{\n  "mode": "audit",\n  "packages": { "a": { "allow": { "net": ["x:1"] } } }\n}\n'],
  ['leaves a granted item alone', '{ "packages": { "a": { "allow": { "net": ["x:1"] } } } }', [{ key: 'a', list: 'net', value: 'x:1' }],
    '{ "packages": { "a": { "allow": { "net": ["x:1"] } } } }'],
];
for (const [title, original, changes, expected] of table) {
  edits(`should: ${title}`, () => {
    const { text } = applyGrantChanges(original, changes);
    assert.fixture(text, expected);
    parsePolicyText(text, 'p.json');
  });
}

// ---
const questions = suite('install questions');

questions('should ask to run with the script to show, and labels saying what each key does', () => {
  const q = runQuestion(script('tool', 'postinstall', 'node build.js\nrm -rf /'));
  assert.match(formatQuestion(q), 'tool@1.0.0 (postinstall) wants to run its script "node build.js\\nrm -rf /".');
  assert.match(formatQuestion(q), 'Allow? [y/A/n/D/s] (y = run sandboxed, A = run, and approve in the policy, n = skip, D = skip, and deny in the policy, s = show the script) > ');
  assert.is(formatDetails(q).split('\n').slice(1, 3).join('\n'), '┠─ │ node build.js\n┠─ │ rm -rf /');
});

questions('should name a loopback destination for what it is', () => {
  assert.is(netQuestion(script('a'), '127.0.0.1', 8080).action, 'connect to loopback address');
  assert.is(netQuestion(script('a'), '::1', 80).target, '[::1]:80');
  assert.is(netQuestion(script('a'), 'cdn.example.com', 443).policyHint, '"packages": { "a": { "allow": { "net": ["cdn.example.com:443"] } } }');
});

// ---
const asker = suite('createInstallAsker');
let dir: string;
asker.before.each(() => { dir = mkdtempSync(join(tmpdir(), 'si-asker-')); });
asker.after.each(() => rmSync(dir, { recursive: true, force: true }));

asker('should write "allow always" for a host, and not ask again in this run', async () => {
  const file = join(dir, 'safe-install.policy.json');
  writeFileSync(file, '{\n  // team policy\n  "packages": {\n    "other": {}\n  }\n}\n');
  const prompter = createScriptedPrompter(['allow-always']);
  const lines: string[] = [];
  const a = createInstallAsker({ prompter, policy: defaultPolicy(), policyFile: file, note: (l) => lines.push(l) });
  assert.ok(await a.askNet(script('dl'), 'cdn.example.com', 443));
  assert.ok(await a.askNet(script('dl', 'install'), 'cdn.example.com', 443), 'remembered');
  assert.is(prompter.asked.length, 1);
  assert.is(readFileSync(file, 'utf8'), '{\n  // team policy\n  "packages": {\n    "other": {},\n    "dl": { "allow": { "net": ["cdn.example.com:443"] } }\n  }\n}\n');
  assert.equal(a.widen({ name: 'dl', version: '1.0.0', isRoot: false }, { grant: { net: [], write: [] } }).grant.net, ['cdn.example.com:443'], 'later scripts of dl get the host');
  assert.equal(await a.ownedPaths(), [file, `${file}.*`]);
  assert.match(lines.join('\n'), 'dl may reach cdn.example.com:443');
});

asker('should keep "allow once" and "deny always" on a host out of the file', async () => {
  const file = join(dir, 'safe-install.policy.json');
  const prompter = createScriptedPrompter(['allow-once', 'deny-always']);
  const a = createInstallAsker({ prompter, policy: defaultPolicy(), policyFile: file, note: () => undefined });
  assert.ok(await a.askNet(script('dl'), 'a.example', 443));
  assert.not.ok(await a.askNet(script('dl'), 'b.example', 443));
  assert.not.ok(await a.askNet(script('dl'), 'b.example', 443), 'denied without asking');
  assert.is(prompter.asked.length, 2);
  assert.not.ok(existsSync(file));
  assert.equal(await a.ownedPaths(), []);
});

asker('should write an approval or a deny for run questions', async () => {
  const file = join(dir, 'p.json');
  const a = createInstallAsker({ prompter: createScriptedPrompter(['allow-always', 'deny-always']), policy: defaultPolicy(), policyFile: file, note: () => undefined });
  assert.ok(await a.askToRun(script('good')));
  assert.not.ok(await a.askToRun(script('bad')));
  assert.match(readFileSync(file, 'utf8'), '"good": {},\n    "bad": { "run": false }');
});

asker('should say it could not write a broken policy, and still answer', async () => {
  const file = join(dir, 'p.json');
  writeFileSync(file, '{ "packages": { "a": { "run": "yes" } } }');
  const lines: string[] = [];
  const a = createInstallAsker({ prompter: createScriptedPrompter(['allow-always']), policy: defaultPolicy(), policyFile: file, note: (l) => lines.push(l) });
  assert.ok(await a.askNet(script('dl'), 'a.example', 443));
  assert.match(lines.join('\n'), 'could not write the policy');
  assert.is(readFileSync(file, 'utf8'), '{ "packages": { "a": { "run": "yes" } } }');
});

asker('should run each question inside pause (the progress display clears itself)', async () => {
  const order: string[] = [];
  const a = createInstallAsker({
    prompter: { ask: async () => { order.push('ask'); return 'deny'; } },
    policy: defaultPolicy(), policyFile: join(dir, 'p.json'),
    pause: async (fn) => { order.push('clear'); try { return await fn(); } finally { order.push('redraw'); } },
  });
  await a.askToRun(script('x'));
  assert.equal(order, ['clear', 'ask', 'redraw']);
});

asker('should offer one re-run per grant, never for a start-up file, and ask in the isolate tier with the path', async () => {
  const ctx = { home: '/home/u', cache: '/home/u/.npm', projectDir: '/work/app' };
  const prompter = createScriptedPrompter(['allow-once', 'deny', 'allow-once']);
  const a = createInstallAsker({ prompter, policy: defaultPolicy(), policyFile: join(dir, 'p.json'), ctx, note: () => undefined });
  const write = (target: string, decision: SandboxEvent['decision'] = 'denied'): SandboxEvent => ({ package: 'c@1.0.0', path: 'node_modules/c', script: 'postinstall', kind: 'fs.write', target, decision, tier: 'process', source: 'strace' });
  const granted = await offerRerun(a, script('c'), [
    write('/home/u/.cache'), write('/home/u/.cache/c'), write('/home/u/.cache/c/blob'),
    write('/home/u/.bashrc'), write('/home/u/.config/c/x.json'), write('/work/app/node_modules/c/ok', 'allowed'),
  ]);
  assert.equal(granted, ['/home/u/.cache/c']);
  assert.equal(prompter.asked.map((q) => `${q.action} ${q.target}`), ['be re-run with write access to $HOME/.cache/c/**', 'be re-run with write access to $HOME/.config/c/**']);
  assert.is(prompter.asked[0].details?.text, '/home/u/.cache/c\n/home/u/.cache/c/blob');
  // The isolate tier pauses the write and asks about the path; a start-up file gets no "always".
  assert.ok(await a.askWrite(script('c'), { path: '/home/u/.bashrc' }));
  assert.equal(prompter.asked[2].choices, ['allow-once', 'deny']);
  assert.is(prompter.asked[2].target, '/home/u/.bashrc');
  assert.is(await offerRerun(a, script('c'), [write('/home/u/.profile')]), undefined, 'nothing to offer');
});

edits.run();
questions.run();
asker.run();
