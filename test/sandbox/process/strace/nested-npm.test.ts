// A recorded trace of `npm run gen` (a nested npm inside a script): npm's read of ~/.npmrc in the
// synthetic HOME is refused, reported, and marked expected (a tool's start-up, not a deviation).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { syscallsToEvents } from '../../../../src/sandbox/process/strace/index.js';
import { ctx, parseFixture, HOME } from './fixtures.js';

test('npm reading ~/.npmrc is reported as denied and expected', () => {
  const events = syscallsToEvents(parseFixture('nested-npm'), { ...ctx, startExec: undefined });
  const npmrc = events.find((e) => e.kind === 'fs.read' && e.target === `${HOME}/.npmrc`);
  assert.ok(npmrc, 'the read is reported');
  assert.is(npmrc!.decision, 'denied');
  assert.is(npmrc!.expected, true);
});

test('without npm among the programs, the same read is a deviation', () => {
  const calls = parseFixture('nested-npm').filter((c) => c.name !== 'execve');
  const events = syscallsToEvents(calls, { ...ctx, startExec: undefined });
  const npmrc = events.find((e) => e.kind === 'fs.read' && e.target === `${HOME}/.npmrc`);
  assert.ok(npmrc && npmrc.decision === 'denied' && !npmrc.expected);
});

test.run();
