import { fileURLToPath } from 'node:url';
// End to end: a real bwrap sandbox with no network of its own reaches a loopback origin on the host
// only through the forwarder and the proxy, and only where the grant says.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { proxiedCommand, proxyEnv, SANDBOX_PROXY_SOCKET, type Forwarder } from '../../../../src/sandbox/process/proxy/index.js';
import { startOrigin, startTestProxy } from './helpers.js';

const probe = spawnSync('bwrap', ['--ro-bind', '/', '/', '--unshare-all', '--', '/bin/true']);
const hasBwrap = probe.status === 0;
const hasCurl = spawnSync('curl', ['--version']).status === 0;
const hasSocat = spawnSync('socat', ['-V']).status === 0;

// dist/ of this checkout (tests run from dist/test/sandbox/process/proxy).
const REPO_DIST = fileURLToPath(new URL('../../../../', import.meta.url));

interface Run { code: number | null; stdout: string; stderr: string }

// Run argv in the sandbox the integrator builds: no network, proxy socket bound read-only, proxy variables set.
function sandboxed(hostSocket: string, command: string[], port: number, forwarder: Forwarder): Promise<Run> {
  const env = Object.entries(proxyEnv(port)).flatMap(([k, v]) => ['--setenv', k, v]);
  const argv = [
    '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp',
    // IMPORTANT: /run becomes a tmpfs before the socket is bound under it (the host has no /run/safe-install).
    '--tmpfs', '/run',
    // The node forwarder's script lives in this checkout, which may itself be under /tmp (a CI clone).
    '--ro-bind', REPO_DIST, REPO_DIST,
    '--unshare-all', '--unshare-net', '--die-with-parent', '--new-session',
    '--ro-bind', hostSocket, SANDBOX_PROXY_SOCKET,
    ...env, '--',
    ...proxiedCommand({ socketPathInSandbox: SANDBOX_PROXY_SOCKET, port, command, forwarder }),
  ];
  return new Promise((resolve) => {
    const child = spawn('bwrap', argv, { env: { PATH: '/usr/local/bin:/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// A script written the way a careful postinstall must be on Node 20, whose http ignores http_proxy.
const NODE_CLIENT = `
const http = require('http');
const proxy = new URL(process.env.http_proxy);
function show(label, options) {
  return new Promise((done) => {
    http.get(options, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => { console.log(label, res.statusCode, body.trim()); done(); });
    }).on('error', (err) => { console.log(label, 'ERR', err.code); done(); });
  });
}
// Absolute-form request sent to the proxy: the only way out of the sandbox.
const viaProxy = (url) => ({ host: proxy.hostname, port: proxy.port, path: url, headers: { host: new URL(url).host } });
(async () => {
  await show('granted', viaProxy(process.argv[1]));
  await show('ungranted', viaProxy(process.argv[2]));
  await show('direct', process.argv[1]);
  await show('by-name', 'http://registry.npmjs.org/');
})();
`;

const forwarders: [string, Forwarder, boolean][] = [
  ['socat', { kind: 'socat', socatPath: '/usr/bin/socat' }, hasSocat],
  ['node', { kind: 'node', nodePath: process.execPath }, true],
];

for (const [label, forwarder, available] of forwarders) {
  const e2e = suite(`sandbox end to end (${label} forwarder)`);
  let origin: Awaited<ReturnType<typeof startOrigin>>;
  let other: Awaited<ReturnType<typeof startOrigin>>;
  e2e.before(async () => { origin = await startOrigin(); other = await startOrigin(); });
  e2e.after(async () => { await origin.close(); await other.close(); });
  const skip = !hasBwrap ? 'bwrap cannot create namespaces here' : !available ? `${label} is not installed` : !hasCurl ? 'curl is not installed' : '';
  const it = skip ? (title: string, _fn: () => Promise<void>) => e2e.skip(`${title} (skipped: ${skip})`, () => {}) : e2e;

  it('curl via http_proxy reaches the granted loopback origin and gets 403 elsewhere', async () => {
    const { proxy, events, close } = await startTestProxy({ allowNet: [`127.0.0.1:${origin.port}`] });
    const run = await sandboxed(proxy.socketPath, ['/bin/sh', '-c', [
      `curl -s -w ' %{http_code}\\n' http://127.0.0.1:${origin.port}/file`,
      `curl -s -w ' %{http_code}\\n' http://127.0.0.1:${other.port}/file`,
      `curl -s -p -w ' %{http_code}\\n' http://127.0.0.1:${origin.port}/tunnelled`,
      `curl -s --noproxy '*' http://127.0.0.1:${origin.port}/direct; echo "direct exit $?"`,
    ].join('; ')], 3128, forwarder);
    await close();
    assert.is(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.is(lines[0], 'file-body /file');
    assert.is(lines[1], ' 200');
    assert.is(lines[2], `safe-install: blocked prebuilt-thing@1.2.3 (postinstall) from connecting to 127.0.0.1:${other.port}: ` +
      `127.0.0.1 is a loopback address, reached only when a grant names it exactly. To allow it, add "127.0.0.1:${other.port}" ` +
      'to packages["prebuilt-thing"].allow.net in safe-install.policy.json');
    assert.is(lines[3], ' 403');
    assert.is(lines[4], 'file-body /tunnelled');
    assert.is(lines[5], ' 200');
    assert.is(lines[6], 'direct exit 7', 'without the proxy the host loopback is unreachable');
    assert.equal(events.map((e) => [e.target, e.decision, e.detail?.split(' ').slice(0, 2).join(' ')]), [
      [`127.0.0.1:${origin.port}`, 'allowed', 'GET 200'],
      [`127.0.0.1:${other.port}`, 'denied', 'GET 403'],
      [`127.0.0.1:${origin.port}`, 'allowed', 'CONNECT 200'],
    ]);
  });

  it('node http.get reaches the origin only through an explicit proxy request', async () => {
    const { proxy, events, close } = await startTestProxy({ allowNet: [`127.0.0.1:${origin.port}`] });
    const run = await sandboxed(proxy.socketPath, [process.execPath, '-e', NODE_CLIENT,
      `http://127.0.0.1:${origin.port}/file`, `http://127.0.0.1:${other.port}/file`], 3128, forwarder);
    await close();
    assert.is(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.is(lines[0], 'granted 200 file-body /file');
    assert.match(lines[1], /^ungranted 403 safe-install: blocked prebuilt-thing@1\.2\.3 \(postinstall\) from connecting to 127\.0\.0\.1:\d+/);
    assert.is(lines[2], 'direct ERR ECONNREFUSED', 'Node 20 ignores http_proxy: a plain request finds nothing listening');
    assert.match(lines[3], /^by-name ERR (EAI_AGAIN|ENOTFOUND)$/, 'names do not resolve inside the sandbox');
    assert.equal(events.map((e) => e.decision), ['allowed', 'denied']);
  });

  it('the command starts only once the forwarder listens, and its exit status comes back', async () => {
    const { proxy, close } = await startTestProxy({ allowNet: [`127.0.0.1:${origin.port}`] });
    // No retry, no wait: the very first instruction is a request.
    const run = await sandboxed(proxy.socketPath, ['/bin/sh', '-c',
      `curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:${origin.port}/first && exit 42`], 3129, forwarder);
    await close();
    assert.is(run.stdout, '200');
    assert.is(run.code, 42);
  });

  it('the forwarder does not outlive the sandbox', async () => {
    const { proxy, close } = await startTestProxy();
    const port = 3000 + Math.floor(Math.random() * 900);
    const run = await sandboxed(proxy.socketPath, ['/bin/sh', '-c', 'sleep 0.2 & exit 0'], port, forwarder);
    await close();
    assert.is(run.code, 0, run.stderr);
    const marker = label === 'socat' ? `TCP-LISTEN:${port},` : `--port\0${port}\0`;
    const survivors = readdirSync('/proc').filter((pid) => /^\d+$/.test(pid)).filter((pid) => {
      try { return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(marker); } catch { return false; }
    });
    assert.equal(survivors, []);
  });

  e2e.run();
}

// ---

const failClosed = suite('sandbox end to end: forwarder missing');

failClosed(hasBwrap ? 'should not run the script when the forwarder cannot start' : 'skipped: bwrap cannot create namespaces here', async () => {
  if (!hasBwrap) return;
  const { proxy, close } = await startTestProxy();
  const run = await sandboxed(proxy.socketPath, ['/bin/echo', 'SHOULD NOT RUN'], 3128, { kind: 'socat', socatPath: '/nonexistent/socat' });
  await close();
  assert.is(run.code, 125);
  assert.is(run.stdout, '');
  assert.match(run.stderr, /safe-install: network forwarder \(\/nonexistent\/socat\) did not start/);
});

failClosed.run();
