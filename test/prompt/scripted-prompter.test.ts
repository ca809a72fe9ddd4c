import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import { createScriptedPrompter, createTtyPrompter, denyPrompter, formatQuestion, isQuestionTooLong, type Question } from '../../src/prompt/index.js';

const q: Question = { package: 'a@1.0.0', script: 'postinstall', action: 'connect to', target: 'h:443', policyHint: '"a": { "allow": { "net": ["h:443"] } }' };

// ---
const scripted = suite('createScriptedPrompter');

scripted('should answer in order and record the questions', async () => {
  const p = createScriptedPrompter(['allow-once', 'deny-always']);
  assert.is(await p.ask(q), 'allow-once');
  assert.is(await p.ask({ ...q, target: 'other:80' }), 'deny-always');
  assert.equal(p.asked.map((x) => x.target), ['h:443', 'other:80']);
});

scripted('should throw on a question it was not given an answer for', async () => {
  const p = createScriptedPrompter([]);
  try {
    await p.ask(q);
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, Error);
    assert.match((error as Error).message, 'question 1 was not expected');
  }
});

scripted('should compute answers with a function', async () => {
  const p = createScriptedPrompter((question) => (question.action === 'connect to' ? 'allow-once' : 'deny'));
  assert.is(await p.ask(q), 'allow-once');
  assert.is(await p.ask({ ...q, action: 'run' }), 'deny');
});

// ---
const noTty = suite('denyPrompter and non-TTY streams');

noTty('denyPrompter should deny', async () => {
  assert.is(await denyPrompter.ask(q), 'deny');
});

noTty('createTtyPrompter should deny without writing when the streams are not terminals', async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (d) => (written += d));
  const p = createTtyPrompter({ input, output });
  input.write('y');
  assert.is(await p.ask(q), 'deny');
  assert.is(written, '');
});

// ---
const format = suite('formatQuestion');

format('should render who, what, the hint and the choices', () => {
  assert.fixture(
    formatQuestion(q),
    [
      '┏ ⚠ a@1.0.0 (postinstall) wants to connect to "h:443".',
      '┠─ The policy does not grant this. To allow it without being asked, add to the policy:',
      '┠─   "a": { "allow": { "net": ["h:443"] } }',
      '┗ Allow? [y/A/n/D] (y = allow once, A = allow always, n = deny, D = deny always) > ',
    ].join('\n'),
  );
});

format('should cut long fields and flag questions over 10 kB', () => {
  const long = { ...q, target: 'x'.repeat(5000) };
  assert.ok(formatQuestion(long).includes('[2952 more characters cut]'));
  assert.not.ok(isQuestionTooLong(long));
  assert.ok(isQuestionTooLong({ ...q, target: 'x'.repeat(10 * 1024) }));
});

scripted.run();
noTty.run();
format.run();
