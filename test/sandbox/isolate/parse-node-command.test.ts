// Which script bodies the isolate tier takes: plain `node <file>` and `node -e <code>`, nothing else.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseNodeCommand } from '../../../src/sandbox/isolate/parse-node-command.js';
import { createIsolateTier } from '../../../src/sandbox/isolate/create-isolate-tier.js';

const accepted = suite('parseNodeCommand: accepted forms');
const cases: [string, unknown][] = [
  ['node install.js', { kind: 'file', file: 'install.js', args: [] }],
  ['node ./scripts/postinstall.js --quiet a=b', { kind: 'file', file: './scripts/postinstall.js', args: ['--quiet', 'a=b'] }],
  ['node install', { kind: 'file', file: 'install', args: [] }],
  ['node install.mjs', { kind: 'file', file: 'install.mjs', args: [] }],
  ['node -- install.js', { kind: 'file', file: 'install.js', args: [] }],
  [`node -e "require('fs').writeFileSync('x', '1')"`, { kind: 'eval', code: "require('fs').writeFileSync('x', '1')", args: [] }],
  [`node --eval 'console.log(1)' extra`, { kind: 'eval', code: 'console.log(1)', args: ['extra'] }],
  ['  node   "lib/post install.js"  ', { kind: 'file', file: 'lib/post install.js', args: [] }],
  // `|| exit 0` only masks a failure: the isolate does the same with the exit code.
  [` node -e "try{require('./_postinstall')}catch(e){}" || exit 0`, { kind: 'eval', code: "try{require('./_postinstall')}catch(e){}", args: [], orTrue: true }],
  ['node bin/postinstall || true', { kind: 'file', file: 'bin/postinstall', args: [], orTrue: true }],
];
for (const [command, expected] of cases) accepted(`should take ${command.trim()}`, () => assert.equal(parseNodeCommand(command), expected));
accepted.run();

// ---

const refused = suite('parseNodeCommand: left to the process tier, with the reason');
const reasons: [string, string][] = [
  ['node install.js && echo done', 'shell syntax'],
  ['node install.js || echo failed', 'shell syntax'],
  ['node a.js || true && evil', 'shell syntax'],
  ['node install.js; rm -rf x', 'shell syntax'],
  ['node install.js > log.txt', 'shell syntax'],
  ['node $HOME/x.js', 'shell syntax'],
  ['node "$HOME/x.js"', 'shell expansion inside double quotes'],
  ['node `which x`', 'shell syntax'],
  ['FOO=1 node install.js', 'sets environment variables'],
  ['node-gyp rebuild', 'not a `node` command'],
  ['node --require ./hook.js install.js', 'node option --require'],
  ['node', '`node` without a file (reads stdin)'],
  ['node -e', '`node -e` without code'],
  ["node 'unbalanced", 'unbalanced quote'],
  ['node ~/x.js', 'shell syntax'],
  ['node *.js', 'shell syntax'],
];
for (const [command, reason] of reasons) {
  refused(`should refuse ${command}`, () => {
    const result = parseNodeCommand(command);
    assert.type(result, 'string');
    assert.ok((result as string).startsWith(reason), `${command}: ${result}`);
  });
}
refused.run();

// ---

const unavailable = suite('without isolated-vm');
unavailable('should send every script to the process tier with the reason, before it starts', async () => {
  const tier = createIsolateTier({ workDir: '/nonexistent', host: { bwrap: '/usr/bin/bwrap', secretDirs: [], toolDirs: [] }, unavailable: 'isolated-vm is not installed (test)' });
  assert.is(tier.unavailable, 'isolated-vm is not installed (test)');
  const decision = await tier.route({ command: 'node install.js' } as never);
  assert.equal(decision, { tier: 'process', reason: 'isolate tier unavailable: isolated-vm is not installed (test)' });
  await tier.close();
});
unavailable.run();
