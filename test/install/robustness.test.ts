// Bad input and hostile behaviour that is not an escape: hangs, floods, terminal escapes in output,
// probing for safe-install's own sockets, and a shim started without its controller.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { makeFixture, safeInstall, readReport, readIfExists, run, REPO_ROOT, type Fixture, type RunResult } from '../helpers/fixture.js';

const hostile = suite('hostile but not escaping');
let fx: Fixture;
let result: RunResult;

hostile.before(async () => {
  fx = makeFixture({
    packages: [
      { name: 'hangs', scripts: { postinstall: 'sleep 600' } },
      { name: 'floods', scripts: { postinstall: 'node -e "const b=\'x\'.repeat(65536);for(let i=0;i<200;i++)process.stdout.write(b)"' } },
      { name: 'paints', scripts: { postinstall: 'printf \'\\033[2J\\033]0;pwned\\007fake prompt\\n\'; exit 3' } },
      { name: 'prober', scripts: { postinstall: 'ls -a /tmp /run > seen.txt 2>&1; ls /tmp/safe-install-* >> seen.txt 2>&1; true' } },
    ],
    root: { optionalDependencies: { hangs: 'tarball:hangs', floods: 'tarball:floods', paints: 'tarball:paints', prober: 'tarball:prober' } },
  });
  result = await safeInstall(fx, ['install', '--timeout', '3', '--foreground-scripts']);
});
hostile.after(() => fx.cleanup());

const record = (name: string) => readReport(fx).scripts.find((s: { name: string }) => s.name === name);

hostile('a hanging script is killed at its time limit and reported as timeout', () => {
  const hangs = record('hangs');
  assert.is(hangs.outcome, 'timeout');
  assert.ok(hangs.durationMs < 20_000, `killed after ${hangs.durationMs} ms`);
  assert.match(hangs.reason, /time limit/);
});

hostile('a flood of output is cut at the limit and the rest dropped', () => {
  const floods = record('floods');
  assert.is(floods.outcome, 'ok');
  assert.ok(floods.outputDropped > 10 * 1024 * 1024, `dropped ${floods.outputDropped} bytes`);
  assert.ok(result.stdout.length < 3 * 1024 * 1024, `forwarded ${result.stdout.length} bytes to the terminal`);
  assert.match(result.stdout + result.stderr, 'output limit');
});

hostile('terminal escapes in script output are shown escaped, never raw', () => {
  const all = result.stdout + result.stderr;
  assert.match(all, '\\x1b[2J');
  assert.not.ok(all.includes('\x1b[2J'), 'no raw clear-screen');
  assert.not.ok(all.includes('\x1b]0;'), 'no raw title change');
  assert.is(record('paints').outcome, 'failed');
});

hostile('a script cannot find safe-install\'s control or proxy sockets', () => {
  const seen = readIfExists(join(fx.project, 'node_modules', 'prober', 'seen.txt'));
  assert.ok(seen.length > 0, 'the probe ran');
  for (const name of ['control.sock', 'proxy.sock', 'script-shell']) assert.not.ok(seen.includes(name), `${name} is not visible:\n${seen}`);
});

hostile('npm carries on past failed optional dependencies; safe-install still exits 1 for the failed scripts', () => {
  assert.is(readReport(fx).npm.exitCode, 0);
  assert.is(result.code, 1);
});

hostile.run();

// ---

const shim = suite('the shim fails closed');

shim('without a controller it refuses to run anything', async () => {
  const marker = join(REPO_ROOT, 'dist', `shim-marker-${process.pid}`);
  const r = await run(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'install', 'shim.js'), '-c', `touch ${marker}`], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '' } });
  assert.is.not(r.code, 0);
  assert.match(r.stderr, 'refusing to run');
  assert.is(readIfExists(marker), '');
});

shim('with an unreachable controller it refuses to run anything', async () => {
  const r = await run(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'install', 'shim.js'), '-c', 'echo ran'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', SAFE_INSTALL_CONTROL: '/nonexistent/control.sock' } });
  assert.is.not(r.code, 0);
  assert.not.match(r.stdout, 'ran');
  assert.match(r.stderr, 'unreachable');
});

shim.run();
