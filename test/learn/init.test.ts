// `safe-install init` end to end: real npm and bubblewrap learn a policy from what scripts tried, and
// `safe-install --ci` then passes on the same project and fails once one package does something new.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFixture, packPackage, readReport, run, CLI, testEnv, type Fixture, type PackageSpec } from '../helpers/fixture.js';
import { startLoopbackServer, type LoopbackServer } from '../prompt/pty-install.js';

let server: LoopbackServer;
let fx: Fixture;

// curl -q: no ~/.curlrc lookup (a read of a hidden HOME file, which no policy should grant).
const fetch = (path: string, file: string) => `curl -q -sf -m 10 http://localhost:${server.port + (path === 'm' ? 1 : 0)}/${path} -o ${file}`;
const netter = (extra = ''): PackageSpec => ({
  name: 'netter',
  version: extra ? '1.0.1' : '1.0.0',
  scripts: { postinstall: `(${fetch('n', 'got.txt')} || echo offline > got.txt)${extra}` },
});
const cacher: PackageSpec = { name: 'cacher', scripts: { postinstall: 'mkdir -p "$HOME/.cache/cacher" && echo blob > "$HOME/.cache/cacher/blob"' } };
const quiet: PackageSpec = { name: 'quiet', scripts: { install: 'echo built > built.txt' } };

const cli = (args: string[]) => run(process.execPath, [CLI, ...args], { cwd: fx.project, env: testEnv(fx) });
const policyFile = () => join(fx.project, 'safe-install.policy.json');

// ---
const init = suite('safe-install init');

init.before(async () => {
  server = await startLoopbackServer();
  fx = makeFixture({
    packages: [netter(), cacher, quiet],
    root: { dependencies: { netter: 'tarball:netter', cacher: 'tarball:cacher', quiet: 'tarball:quiet' } },
  });
});
init.after(async () => {
  await server.close();
  fx.cleanup();
});

init('should write a proposed policy granting what the scripts tried, grouped by profile', async () => {
  const r = await cli(['init']);
  assert.is(r.code, 0, r.stderr + r.stdout);
  const text = readFileSync(policyFile(), 'utf8');
  if (process.env.SHOW_INIT) console.log(r.stdout, text);
  assert.match(text, `"netter": { "allow": { "net": ["localhost:${server.port}"] } }`);
  assert.match(text, '"cacher": { "allow": { "write": ["$HOME/.cache/cacher/**"] } }');
  assert.match(text, '"quiet": {}');
  assert.match(text, '// profile "default"');
  assert.match(r.stdout, `netter  net    localhost:${server.port}`);
  assert.not.ok(existsSync(join(fx.home, '.cache', 'cacher', 'blob')), 'the observing run wrote nothing to HOME');
});

init('should let `safe-install ci --ci` pass with the written policy', async () => {
  const r = await cli(['ci', '--ci']);
  assert.is(r.code, 0, r.stderr);
  assert.is(readFileSync(join(fx.project, 'node_modules', 'netter', 'got.txt'), 'utf8'), 'payload /n\n');
  assert.is(readFileSync(join(fx.home, '.cache', 'cacher', 'blob'), 'utf8'), 'blob\n');
});

init('should fail `--ci` once one package does something new', async () => {
  // netter 1.0.1 also fetches from a second port.
  const tarball = packPackage(join(fx.root, 'packages-next'), netter(` && ${fetch('m', 'more.txt')}; true`));
  const manifest = JSON.parse(readFileSync(join(fx.project, 'package.json'), 'utf8'));
  manifest.dependencies.netter = `file:${tarball}`;
  writeFileSync(join(fx.project, 'package.json'), JSON.stringify(manifest, null, 2));
  rmSync(join(fx.project, 'package-lock.json'));
  const r = await cli(['install', '--ci']);
  assert.is(r.code, 1, r.stderr);
  const denied = readReport(fx).events.filter((e: { decision: string }) => e.decision === 'denied').map((e: { package: string; kind: string; target: string }) => `${e.package} ${e.kind} ${e.target}`);
  assert.ok(denied.includes(`netter@1.0.1 net.connect localhost:${server.port + 1}`), denied.join('\n'));
});

init('should show the difference for an existing policy and change nothing without --write', async () => {
  const before = readFileSync(policyFile(), 'utf8');
  const r = await cli(['init']);
  assert.is(r.code, 0, r.stderr + r.stdout);
  assert.is(readFileSync(policyFile(), 'utf8'), before, 'the policy file is unchanged');
  assert.match(r.stdout, 'exists and was not changed');
  assert.match(r.stdout, `+ `);
  assert.match(r.stdout, `localhost:${server.port + 1}`);
  const w = await cli(['init', '--write']);
  assert.is(w.code, 0, w.stderr + w.stdout);
  assert.match(readFileSync(policyFile(), 'utf8'), `"net": ["localhost:${server.port}", "localhost:${server.port + 1}"]`);
});

init.run();
