// The two script shells (shim.ts on node, native-shim.c) speak the same protocol and behave alike:
// a controller in this test answers each, and their output, exit code and `done` report must match
// byte for byte: escaping, split UTF-8, CR before newlines, the output limit, time limits, denials,
// output relayed for the isolate tier, and failing closed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server, type Socket } from 'node:net';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeShim } from '../../src/install/native-shim.js';
import type { ControllerMessage } from '../../src/install/protocol.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SHIM_JS = join(REPO, 'dist', 'src', 'install', 'shim.js');
const native = nativeShim({ ...process.env, SAFE_INSTALL_NATIVE_SHIM: '1' });
const parity = suite('script shells: node and native alike');

interface Outcome { code: number | null; stdout: string; stderr: string; hello?: Record<string, unknown>; done?: Record<string, unknown> }

// Run one shim against a controller that answers the hello with `reply` (and acks a `done`).
async function runShim(argv: string[], reply: (hello: Record<string, unknown>) => ControllerMessage[], options: { ack?: boolean; closeAfterMs?: number } = {}): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'si-shim-'));
  const socketPath = join(dir, 'control.sock');
  const outcome: Outcome = { code: null, stdout: '', stderr: '' };
  const server: Server = createServer((socket: Socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const message = JSON.parse(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        if (message.type === 'hello') {
          outcome.hello = message;
          for (const m of reply(message)) socket.write(`${JSON.stringify(m)}\n`);
          if (options.closeAfterMs !== undefined) setTimeout(() => socket.destroy(), options.closeAfterMs);
        } else if (message.type === 'done') {
          outcome.done = message;
          if (options.ack !== false) socket.end(`${JSON.stringify({ type: 'ack' })}\n`);
        }
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, () => resolve()));
  const child = spawn(argv[0], [...argv.slice(1), '-c', 'the script'], { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SAFE_INSTALL_CONTROL: socketPath, npm_lifecycle_event: 'postinstall' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.setEncoding('utf8').on('data', (d: string) => (outcome.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (outcome.stderr += d));
  outcome.code = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  server.close();
  rmSync(dir, { recursive: true, force: true });
  return outcome;
}

const shells: [string, string[]][] = [['node', [process.execPath, SHIM_JS]], ...(native.path ? [['native', [native.path]] as [string, string[]]] : [])];
const run = (script: string, extra: Partial<{ timeoutMs: number; outputLimit: number; escapeOutput: boolean }> = {}) => (): ControllerMessage[] => [{
  type: 'run', file: '/bin/sh', args: ['-c', script], env: { PATH: '/usr/bin:/bin' }, cwd: '/', timeoutMs: extra.timeoutMs ?? 10_000, outputLimit: extra.outputLimit ?? 1_000_000, escapeOutput: extra.escapeOutput ?? true,
}];
const strip = (o: Outcome) => ({ code: o.code, stdout: o.stdout, stderr: o.stderr, done: o.done ? { ...o.done, durationMs: 0 } : undefined });

// Run the same exchange with every shell; all must agree, and the first is returned for checks.
async function agree(reply: (hello: Record<string, unknown>) => ControllerMessage[], options: { ack?: boolean; closeAfterMs?: number } = {}): Promise<Outcome> {
  const results = [];
  for (const [, argv] of shells) results.push(await runShim(argv, reply, options));
  for (let i = 1; i < results.length; i++) assert.equal(strip(results[i]), strip(results[0]), `${shells[i][0]} differs from ${shells[0][0]}`);
  return results[0];
}

parity('should build the native shim on this machine (a C compiler is installed by scripts/setup)', () => {
  if (!existsSync('/usr/bin/cc')) return console.log('  (skipped: no /usr/bin/cc)');
  assert.ok(native.path, native.reason);
});

parity('should send the same hello and report the same exit code', async () => {
  const o = await agree(run('echo out; echo err >&2; exit 3'));
  assert.is(o.code, 3);
  assert.is(o.stdout, 'out\n');
  assert.is(o.stderr, 'err\n');
  assert.equal(o.hello?.argv, ['-c', 'the script']);
  assert.is((o.hello?.env as Record<string, string>).npm_lifecycle_event, 'postinstall');
  assert.equal({ ...o.done, durationMs: 0 }, { type: 'done', exitCode: 3, signal: null, timedOut: false, durationMs: 0, outputTail: 'out\nerr\n', outputDropped: 0 });
});

parity('should escape terminal controls, bidi overrides and invalid UTF-8, keep split characters whole, and drop CR before a newline', async () => {
  const o = await agree(run(String.raw`printf '\033]0;title\007\033[2Jred\r\nbidi \342\200\256x\nbad \377 byte\n'; printf '\342\202'; sleep 0.1; printf '\254 euro\ttab\n'; printf 'cr\rmid\n'; printf '\302\233C1\n'`));
  assert.is(o.stdout, '\\x1b]0;title\\x07\\x1b[2Jred\nbidi \\u202ex\nbad \uFFFD byte\n\u20ac euro\ttab\ncr\\x0dmid\n\\x9bC1\n');
});

parity('should replace each maximal invalid UTF-8 subpart as Node\'s decoder does, and keep literal backslash text', async () => {
  const o = await agree(run(String.raw`printf 'a\340\200\200b \355\240\200 \360\237\230\200 \364\220\200\200 lit\\x0d\n'`));
  assert.is(o.stdout, 'a\uFFFD\uFFFD\uFFFDb \uFFFD\uFFFD\uFFFD \u{1F600} \uFFFD\uFFFD\uFFFD\uFFFD lit\\x0d\n');
});

parity('should name the signal that ended a script and report a command that cannot start as 127', async () => {
  const o = await agree(run('kill -XFSZ $$'));
  assert.is(o.done?.signal, 'SIGXFSZ');
  const missing = await agree(() => [{ type: 'run', file: '/nonexistent/bwrap', args: [], env: {}, cwd: '/', timeoutMs: 5000, outputLimit: 1000, escapeOutput: true }]);
  assert.is(missing.code, 127);
  assert.is(missing.done?.spawnError, 'spawn /nonexistent/bwrap ENOENT');
});

parity('should stop forwarding at the output limit, say so once, and count what it dropped', async () => {
  const o = await agree(run("head -c 3000 /dev/zero | tr '\\0' 'a'; sleep 0.1; head -c 2000 /dev/zero | tr '\\0' 'b'", { outputLimit: 1000 }));
  assert.match(o.stdout, /\[safe-install: output limit of 1000 bytes reached; the rest is dropped\]/);
  assert.is(o.done?.outputDropped, 2000);
});

parity('should kill a script at its time limit with exit 124', async () => {
  const o = await agree(run('echo started; exec sleep 20', { timeoutMs: 400 }));
  assert.is(o.code, 124);
  assert.match(o.stderr, 'script killed after 0 s time limit');
  assert.is(o.done?.timedOut, true);
});

parity('should also kill a script that closed its output at its time limit', async () => {
  const o = await agree(run('echo bye; exec >&- 2>&-; exec sleep 20', { timeoutMs: 400 }));
  assert.is(o.code, 124);
  assert.is(o.stdout, 'bye\n');
});

parity('should print a denial and exit with its code, running nothing', async () => {
  const o = await agree(() => [{ type: 'deny', message: 'safe-install: skipped postinstall of x@1.0.0: denied by policy', exitCode: 0 }]);
  assert.is(o.code, 0);
  assert.is(o.stderr, 'safe-install: skipped postinstall of x@1.0.0: denied by policy\n');
  assert.is(o.done, undefined);
});

parity('should relay the output of a script the controller runs (isolate tier), bounded and escaped, and exit with its code', async () => {
  const o = await agree(() => [
    { type: 'output', stream: 'stdout', data: 'hello \u001b[31mred\n', outputLimit: 30 },
    { type: 'output', stream: 'stderr', data: 'warn\n', outputLimit: 30 },
    { type: 'output', stream: 'stdout', data: 'x'.repeat(50), outputLimit: 30 },
    { type: 'output', stream: 'stdout', data: 'dropped', outputLimit: 30 },
    { type: 'exit', code: 2, timedOut: false, durationMs: 5 },
  ]);
  assert.is(o.code, 2);
  assert.is(o.stdout, 'hello \\x1b[31mred\n' + 'x'.repeat(50) + '\n[safe-install: output limit of 30 bytes reached; the rest is dropped]\n');
  assert.is(o.stderr, 'warn\n');
});

parity('should stop the script and fail when the controller goes away mid-script', async () => {
  const o = await agree(run('exec sleep 20'), { closeAfterMs: 300 });
  assert.is(o.code, 1);
  assert.match(o.stderr, 'the safe-install controller closed the connection; the script was stopped.');
});

parity('should keep script output out of the control socket when started with stdout closed', async () => {
  const forged = JSON.stringify({ type: 'done', exitCode: 0, signal: null, timedOut: false, durationMs: 0, outputTail: 'forged', outputDropped: 0 });
  for (const [name, argv] of shells) {
    const o = await runShim(['/bin/sh', '-c', 'exec "$@" 1>&-', 'sh', ...argv], run(`printf '%s\\n' '${forged}'; exit 7`));
    assert.is(o.done?.exitCode, 7, name);
    assert.is.not(o.done?.outputTail, 'forged', name);
  }
});

parity('should fail closed without a controller', async () => {
  for (const [name, argv] of shells) {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const c = spawn(argv[0], [...argv.slice(1), '-c', 'echo ran'], { env: { PATH: '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      c.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      c.on('close', (code) => resolve({ code, stderr }));
    });
    assert.is(r.code, 1, name);
    assert.match(r.stderr, 'no safe-install controller', name);
  }
});

parity.run();
