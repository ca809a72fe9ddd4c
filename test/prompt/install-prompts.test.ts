// safe-install in a pseudo-terminal, end to end: real npm, real bubblewrap, a loopback HTTP server, and
// a person pressing keys. Network prompts (allow once, allow always, deny), a run prompt with "show the
// script", and hostile text kept escaped on the screen.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFixture, readReport, safeInstall, type Fixture } from '../helpers/fixture.js';
import { ptyInstall, startLoopbackServer, type LoopbackServer } from './pty-install.js';

let server: LoopbackServer;
const fixtures: Fixture[] = [];

// A project depending on `fetcher`, whose install and postinstall scripts each fetch from the loopback server.
function fetcherProject(): Fixture {
  const url = (path: string) => `http://127.0.0.1:${server.port}/${path}`;
  const fx = makeFixture({
    packages: [{
      name: 'fetcher',
      scripts: {
        install: `curl -sf -m 10 ${url('install')} -o install.txt; echo "curl=$?" > install-curl.txt; true`,
        postinstall: `curl -sf -m 10 ${url('x')} -o out.txt; echo "curl=$?" > out-curl.txt; true`,
      },
    }],
    root: { dependencies: { fetcher: 'tarball:fetcher' } },
  });
  fixtures.push(fx);
  return fx;
}

const QUESTION = (port: number, event: string) => `fetcher@1.0.0 (${event}) wants to connect to loopback address "127.0.0.1:${port}"`;
const policyFile = (fx: Fixture) => join(fx.project, 'safe-install.policy.json');
const pkgFile = (fx: Fixture, file: string) => join(fx.project, 'node_modules', 'fetcher', file);
const netEvents = (fx: Fixture) => readReport(fx).events.filter((e: { kind: string; source: string }) => e.kind === 'net.connect' && e.source === 'proxy').map((e: { script: string; target: string; decision: string }) => `${e.script} ${e.target} ${e.decision}`);

// ---
const net = suite('network prompts, end to end');
net.before(async () => { server = await startLoopbackServer(); });
net.after(async () => {
  await server.close();
  for (const fx of fixtures) fx.cleanup();
});

net('allow once: both scripts are asked, the install completes, the policy is not written', async () => {
  const fx = fetcherProject();
  const run = ptyInstall(fx, ['install']);
  await run.waitFor(QUESTION(server.port, 'install'));
  await run.waitFor(' > ');
  run.press('y');
  await run.waitFor(QUESTION(server.port, 'postinstall'));
  run.press('y');
  const { exitCode } = await run.exited;
  assert.is(exitCode, 0, run.text().slice(-2000));
  assert.not.ok(existsSync(policyFile(fx)), 'no policy file was written');
  // A yes to the loopback address itself (the question names it) opens it for that connection only.
  assert.equal(netEvents(fx), [`install 127.0.0.1:${server.port} asked-allowed`, `postinstall 127.0.0.1:${server.port} asked-allowed`]);
  assert.is(readFileSync(pkgFile(fx, 'out.txt'), 'utf8'), 'payload /x\n', 'the postinstall fetched through the proxy');
});

net('allow always: the grant is written, and the next script of the package reaches the host', async () => {
  const fx = fetcherProject();
  writeFileSync(policyFile(fx), '{\n  // reviewed by the team\n  "packages": {\n    "other": { "run": false }\n  }\n}\n');
  const run = ptyInstall(fx, ['install']);
  await run.waitFor(QUESTION(server.port, 'install'));
  await run.waitFor(' > ');
  run.press('A');
  const { exitCode } = await run.exited;
  const screen = run.text();
  assert.is(exitCode, 0, screen.slice(-2000));
  if (process.env.SHOW_SCREEN) console.log(JSON.stringify(screen));
  assert.not.match(screen, QUESTION(server.port, 'postinstall'), 'asked once');
  assert.is(readFileSync(policyFile(fx), 'utf8'),
    `{\n  // reviewed by the team\n  "packages": {\n    "other": { "run": false },\n    "fetcher": { "allow": { "net": ["127.0.0.1:${server.port}"] } }\n  }\n}\n`);
  assert.is(readFileSync(pkgFile(fx, 'out.txt'), 'utf8'), 'payload /x\n', 'postinstall fetched through the proxy');
  assert.equal(netEvents(fx), [`install 127.0.0.1:${server.port} asked-allowed`, `postinstall 127.0.0.1:${server.port} allowed`]);

  // Without a terminal, the written policy is enough: nothing is asked and both scripts fetch.
  const again = await safeInstall(fx, ['ci']);
  assert.is(again.code, 0, again.stderr);
  assert.is(readFileSync(pkgFile(fx, 'install.txt'), 'utf8'), 'payload /install\n');
});

net('deny: a denied net.connect event is recorded and the install ends with status 0 (not --ci)', async () => {
  const fx = fetcherProject();
  const run = ptyInstall(fx, ['install']);
  await run.waitFor(QUESTION(server.port, 'install'));
  await run.waitFor(' > ');
  run.press('n');
  await run.waitFor(QUESTION(server.port, 'postinstall'));
  run.press('D');
  const { exitCode } = await run.exited;
  assert.is(exitCode, 0, run.text().slice(-2000));
  assert.equal(netEvents(fx), [`install 127.0.0.1:${server.port} asked-denied`, `postinstall 127.0.0.1:${server.port} asked-denied`]);
  assert.is(readFileSync(pkgFile(fx, 'out-curl.txt'), 'utf8').trim(), 'curl=22', 'curl saw the 403');
  assert.not.ok(existsSync(policyFile(fx)), 'deny always on a host is kept for this run only');
});

// ---
const runs = suite('run prompts and hostile text, end to end');
runs.after(() => { for (const fx of fixtures) fx.cleanup(); });

runs('should ask to run an unlisted package, show its script escaped on s, and run it sandboxed on y', async () => {
  // What a hostile package controls on this screen: its script body (npm restricts names and versions).
  const body = 'echo ran > ran.txt # \x1b[2J\x1b]0;pwned\x07\x1b[31m\r┗ Allow? [y/n] >';
  const fx = makeFixture({ packages: [{ name: 'hostile', scripts: { postinstall: body } }], root: { dependencies: { hostile: 'tarball:hostile' } } });
  fixtures.push(fx);
  writeFileSync(policyFile(fx), '{ "unlisted": "ask" }\n');
  const run = ptyInstall(fx, ['install']);
  await run.waitFor('hostile@1.0.0 (postinstall) wants to run its script');
  await run.waitFor('s = show the script) > ');
  run.press('s');
  await run.waitFor('┠─ │ echo ran');
  await new Promise((r) => setTimeout(r, 100));
  run.press('y');
  const { exitCode } = await run.exited;
  const screen = run.text();
  assert.is(exitCode, 0, screen.slice(-2000));
  if (process.env.SHOW_SCREEN) console.log(JSON.stringify(screen));
  assert.match(screen, 'echo ran > ran.txt # \\x1b[2J\\x1b]0;pwned\\x07\\x1b[31m\\x0d┗ Allow? [y/n] >"', 'the question shows the body escaped');
  assert.match(screen, '┠─ │ echo ran > ran.txt # \\x1b[2J', 'and so does "show the script"');
  // safe-install's own summary colours with ESC sequences of its own, so look for the package's. npm 11.19's
  // own "install-scripts" warning prints the body with colour codes and CR left in (npm's STRIP_C01 keeps SGR):
  // that line is npm's, on the same terminal, and is left out here.
  const ours = screen.split('\n').filter((line) => !line.includes('install-scripts')).join('\n');
  for (const raw of ['\x1b[2J', '\x1b]0;pwned', '\x07', '\x1b[31m\r', '\r┗ Allow']) assert.not.ok(ours.includes(raw), `no raw ${JSON.stringify(raw)} on the screen`);
  assert.is(readFileSync(join(fx.project, 'node_modules', 'hostile', 'ran.txt'), 'utf8'), 'ran\n', 'it ran, sandboxed');
  assert.is(readFileSync(policyFile(fx), 'utf8'), '{ "unlisted": "ask" }\n', 'run once leaves the policy alone');
});

runs('should skip on n and write the deny on D', async () => {
  const fx = makeFixture({ packages: [{ name: 'pkg-a', scripts: { postinstall: 'echo a > a.txt' } }, { name: 'pkg-b', scripts: { postinstall: 'echo b > b.txt' } }], root: { dependencies: { 'pkg-a': 'tarball:pkg-a', 'pkg-b': 'tarball:pkg-b' } } });
  fixtures.push(fx);
  writeFileSync(policyFile(fx), '{\n  "unlisted": "ask",\n  "packages": {}\n}\n');
  const run = ptyInstall(fx, ['install']);
  await run.waitFor('wants to run its script');
  await run.waitFor(' > ');
  run.press('D');
  await run.waitFor('wants to run its script', { count: 2 });
  await new Promise((r) => setTimeout(r, 100));
  run.press('n');
  const { exitCode } = await run.exited;
  assert.is(exitCode, 0, run.text().slice(-2000));
  const first = /(pkg-[ab])@1\.0\.0 \(postinstall\) wants/.exec(run.text())![1];
  const second = first === 'pkg-a' ? 'pkg-b' : 'pkg-a';
  assert.is(readFileSync(policyFile(fx), 'utf8'), `{\n  "unlisted": "ask",\n  "packages": {\n    "${first}": { "run": false }\n  }\n}\n`);
  for (const name of [first, second]) assert.not.ok(existsSync(join(fx.project, 'node_modules', name, `${name.slice(-1)}.txt`)), `${name} was skipped`);
  assert.equal(readReport(fx).scripts.map((s: { outcome: string }) => s.outcome), ['denied', 'denied']);
});

// ---
const writes = suite('write prompts in the process tier, end to end');
writes.after(() => { for (const fx of fixtures) fx.cleanup(); });

function cacherProject(): Fixture {
  const fx = makeFixture({
    packages: [{ name: 'cacher', scripts: { postinstall: 'mkdir -p "$HOME/.cache/cacher" && echo blob > "$HOME/.cache/cacher/blob"' } }],
    root: { dependencies: { cacher: 'tarball:cacher' } },
  });
  fixtures.push(fx);
  return fx;
}
const REWRITE = 'cacher@1.0.0 (postinstall) wants to be re-run with write access to "$HOME/.cache/cacher/**"';

writes('should offer a re-run with the refused write granted, and run it again on A', async () => {
  const fx = cacherProject();
  const run = ptyInstall(fx, ['install']);
  await run.waitFor(REWRITE);
  await run.waitFor(' > ');
  run.press('A');
  const { exitCode } = await run.exited;
  assert.is(exitCode, 0, run.text().slice(-2000));
  assert.is(readFileSync(join(fx.home, '.cache', 'cacher', 'blob'), 'utf8'), 'blob\n', 'the second run wrote to the real HOME');
  assert.match(readFileSync(policyFile(fx), 'utf8'), '"cacher": { "allow": { "write": ["$HOME/.cache/cacher/**"] } }');
  const scripts = readReport(fx).scripts.map((s: { event: string; outcome: string; reason?: string }) => `${s.event} ${s.outcome} ${s.reason ?? ''}`.trim());
  assert.equal(scripts, [`postinstall ok run again with write access to ${join(fx.home, '.cache', 'cacher')}`, 'postinstall ok']);
});

writes('should keep the first result on n: the write stays in the throwaway HOME', async () => {
  const fx = cacherProject();
  const run = ptyInstall(fx, ['install']);
  await run.waitFor(REWRITE);
  await run.waitFor(' > ');
  run.press('n');
  const { exitCode } = await run.exited;
  assert.is(exitCode, 0, run.text().slice(-2000));
  assert.not.ok(existsSync(join(fx.home, '.cache', 'cacher')));
  assert.not.ok(existsSync(policyFile(fx)));
  assert.is(readReport(fx).scripts.length, 1, 'run once');
});

net.run();
runs.run();
writes.run();
