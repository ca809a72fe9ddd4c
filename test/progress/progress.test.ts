// The progress display against a fake terminal: live lines redrawn in place above npm's spinner line,
// cleared while a question is asked or a root script writes, plain lines elsewhere, nothing when quiet.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chooseProgressMode, createProgress } from '../../src/progress/create-progress.js';
import { formatFinished, formatRunning } from '../../src/progress/format-progress.js';
import type { ScriptRecord } from '../../src/report/types.js';

function fakeStream(columns = 80) {
  const writes: string[] = [];
  return { writes, stream: { columns, rows: 24, write: (t: string) => { writes.push(t); return true; } } as unknown as NodeJS.WriteStream };
}
const start = (name: string, event = 'postinstall', isRoot = false) => ({ identity: { name, version: '1.0.0', path: isRoot ? '' : `node_modules/${name}`, isRoot }, event });
const record = (name: string, fields: Partial<ScriptRecord> = {}): ScriptRecord => ({
  package: `${name}@1.0.0`, name, version: '1.0.0', identitySource: 'lockfile', path: `node_modules/${name}`, event: 'postinstall',
  command: 'x', outcome: 'ok', exitCode: 0, durationMs: 1500, tier: 'process', ...fields,
});

// ---
const text = suite('format-progress');

text('should show each running script with its elapsed time, escaped and cut to the width', () => {
  const lines = formatRunning([
    { package: 'esbuild@0.25.0', event: 'postinstall', startedAt: 0 },
    { package: 'evil\x1b[2J@1.0.0', event: 'install', startedAt: 2000 },
  ], 3500, { columns: 30, rows: 10 });
  assert.equal(lines, ['  ⋯ esbuild@0.25.0 postinsta…', '  ⋯ evil\\x1b[2J@1.0.0 instal…'], 'no line reaches the last column');
});

text('should cut the list to the rows available', () => {
  const running = Array.from({ length: 5 }, (_, i) => ({ package: `p${i}@1.0.0`, event: 'install', startedAt: 0 }));
  assert.equal(formatRunning(running, 10, { columns: 80, rows: 3 }), ['  ⋯ p0@1.0.0 install 10 ms', '  ⋯ p1@1.0.0 install 10 ms', '  … and 3 more scripts running']);
});

text('should say how a script ended', () => {
  assert.is(formatFinished(record('a')), '✔ a@1.0.0 postinstall 1.5 s');
  assert.is(formatFinished(record('a', { outcome: 'failed', exitCode: 2 })), '✘ a@1.0.0 postinstall failed (exit 2) 1.5 s');
});

// ---
const mode = suite('chooseProgressMode');

mode('should draw live only on a terminal without NO_COLOR, and nothing when quiet', () => {
  assert.is(chooseProgressMode({ tty: true, quiet: false, env: {} }), 'live');
  assert.is(chooseProgressMode({ tty: true, quiet: false, env: { NO_COLOR: '1' } }), 'lines');
  assert.is(chooseProgressMode({ tty: true, quiet: false, env: { TERM: 'dumb' } }), 'lines');
  assert.is(chooseProgressMode({ tty: false, quiet: false, env: {} }), 'lines');
  assert.is(chooseProgressMode({ tty: true, quiet: true, env: {} }), 'off');
});

// ---
const live = suite('createProgress: live');

live('should draw the area above the cursor line, redraw it in place, and collapse it when done', () => {
  const { writes, stream } = fakeStream();
  let now = 0;
  const p = createProgress({ mode: 'live', stream, now: () => now, intervalMs: 60_000 });
  p.start(start('a'));
  now = 1200;
  p.start(start('b', 'install'));
  p.end(record('a'));
  p.end(record('b', { event: 'install' }));
  p.stop();
  assert.equal(writes, [
    '\x1b[1G\x1b[0K  ⋯ a@1.0.0 postinstall 0 ms\n',
    '\x1b[1G\x1b[1A\x1b[0J\x1b[1G\x1b[0K  ⋯ a@1.0.0 postinstall 1.2 s\n  ⋯ b@1.0.0 install 0 ms\n',
    '\x1b[1G\x1b[2A\x1b[0J\x1b[1G\x1b[0K  ⋯ b@1.0.0 install 0 ms\n',
    '\x1b[1G\x1b[1A\x1b[0J',
  ]);
});

live('should clear the area while a question is asked, and draw it again after', async () => {
  const { writes, stream } = fakeStream();
  const p = createProgress({ mode: 'live', stream, now: () => 0, intervalMs: 60_000 });
  p.start(start('a'));
  const answer = await p.pause(async () => { writes.push('QUESTION\n'); return 'y'; });
  p.stop();
  assert.is(answer, 'y');
  assert.equal(writes, ['\x1b[1G\x1b[0K  ⋯ a@1.0.0 postinstall 0 ms\n', '\x1b[1G\x1b[1A\x1b[0J', 'QUESTION\n', '\x1b[1G\x1b[0K  ⋯ a@1.0.0 postinstall 0 ms\n', '\x1b[1G\x1b[1A\x1b[0J']);
});

live('should draw nothing while a root-project script writes to the terminal', () => {
  const { writes, stream } = fakeStream();
  const p = createProgress({ mode: 'live', stream, now: () => 0, intervalMs: 60_000 });
  p.start(start('a'));
  p.start(start('fixture-project', 'prepare', true));
  p.end({ ...record('fixture-project', { event: 'prepare' }), path: '' });
  p.stop();
  assert.equal(writes, ['\x1b[1G\x1b[0K  ⋯ a@1.0.0 postinstall 0 ms\n', '\x1b[1G\x1b[1A\x1b[0J', '\x1b[1G\x1b[0K  ⋯ a@1.0.0 postinstall 0 ms\n', '\x1b[1G\x1b[1A\x1b[0J']);
});

live('should leave a line per finished script with --verbose', () => {
  const { writes, stream } = fakeStream();
  const p = createProgress({ mode: 'live', verbose: true, stream, now: () => 0, intervalMs: 60_000 });
  p.start(start('a'));
  p.end(record('a'));
  p.stop();
  assert.equal(writes, ['\x1b[1G\x1b[0K  ⋯ a@1.0.0 postinstall 0 ms\n', '\x1b[1G\x1b[1A\x1b[0J✔ a@1.0.0 postinstall 1.5 s\n']);
});

// ---
const plain = suite('createProgress: lines and off');

plain('should print one plain line per finished script, with no cursor movement', async () => {
  const { writes, stream } = fakeStream();
  const p = createProgress({ mode: 'lines', stream });
  p.start(start('a'));
  await p.pause(async () => undefined);
  p.end(record('a', { package: 'evil\x1b]0;t\x07@1.0.0' }));
  p.stop();
  assert.equal(writes, ['✔ evil\\x1b]0;t\\x07@1.0.0 postinstall 1.5 s\n']);
});

plain('should print nothing when quiet', () => {
  const { writes, stream } = fakeStream();
  const p = createProgress({ mode: 'off', stream });
  p.start(start('a'));
  p.end(record('a'));
  p.stop();
  assert.equal(writes, []);
});

text.run();
mode.run();
live.run();
plain.run();
