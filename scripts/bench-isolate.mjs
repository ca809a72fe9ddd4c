// Benchmark: the per-script cost of a small postinstall in the isolate tier's warm worker, in the
// process tier (bwrap + strace + proxy), and with plain unconfined node, for two scripts: `post.js`
// (mkdir and 51 small files, like a codegen step) and `noop.js` (one console.log: the fixed cost).
// Needs a build (scripts/setup) and isolated-vm. Prints medians.
// Usage: node scripts/bench-isolate.mjs [rounds]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src');
const { createIsolateTier, isolatedVmMissing } = await import(join(dist, 'sandbox/isolate/create-isolate-tier.js'));
const { createScriptHooks } = await import(join(dist, 'install/script-hooks.js'));
const { sandboxCommand } = await import(join(dist, 'install/sandbox-command.js'));
const { probeHost } = await import(join(dist, 'sandbox/process/probe-host.js'));
const { emptyGrant } = await import(join(dist, 'policy/types.js'));

const missing = isolatedVmMissing();
if (missing) {
  console.log(`bench-isolate: skipped: ${missing}`);
  process.exit(0);
}
const rounds = Number(process.argv[2] ?? 15);
const root = mkdtempSync(join(tmpdir(), 'si-bench-iso-'));
const project = join(root, 'project');
const pkgDir = join(project, 'node_modules', 'bench-pkg');
const workDir = join(root, 'work');
mkdirSync(pkgDir, { recursive: true });
mkdirSync(workDir);
writeFileSync(join(project, 'package.json'), '{"name":"bench","version":"1.0.0"}');
writeFileSync(join(pkgDir, 'package.json'), '{"name":"bench-pkg","version":"1.0.0"}');
writeFileSync(join(pkgDir, 'noop.js'), `console.log('ok')`);
writeFileSync(join(pkgDir, 'post.js'), `const fs=require('fs'),p=require('path');fs.mkdirSync(p.join(__dirname,'gen'),{recursive:true});for(let i=0;i<50;i++)fs.writeFileSync(p.join(__dirname,'gen',i+'.js'),'module.exports='+i);fs.writeFileSync(p.join(__dirname,'out.json'),JSON.stringify({n:50}));`);

const host = await probeHost(process.env);
const grant = { ...emptyGrant(), protect: [] };
const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? '/root', TMPDIR: '/tmp', npm_lifecycle_event: 'postinstall' };
const hooks = createScriptHooks({ workDir, projectDir: project, home: env.HOME, strace: host.strace, trace: host.strace ? 'narrow' : 'off', shell: '/bin/sh' });
const tier = createIsolateTier({ workDir, host });
const base = { shell: '/bin/sh', pkgDir, projectDir: project, isRoot: false, grant, host, env, exists: existsSync, projectEntries: readdirSync(project) };
let id = 1;
const identity = { name: 'bench-pkg', version: '1.0.0', path: 'node_modules/bench-pkg', isRoot: false, source: 'lockfile' };
let file = 'post.js';
const script = () => ({ id: id++, identity, event: 'postinstall', command: `node ${file}`, pkgDir, plan: { run: 'allow', grant, profile: 'default' } });

function runChild(file, args, childEnv) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: pkgDir, env: childEnv, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${file} exited ${code}`))));
  });
}

const variants = {
  // The whole per-script path the controller takes: scan, route, run, finish (events).
  'isolate tier (warm worker)': async () => {
    const s = script();
    const decision = await tier.route({ id: s.id, who: { package: 'bench-pkg@1.0.0', path: identity.path, script: 'postinstall' }, command: s.command, env, npmEnv: env, base, timeoutMs: 60_000, prepare: () => hooks.prepare({ ...s, id: id++ }), output: () => {} });
    if (decision.tier !== 'isolate') throw new Error(`not in the isolate: ${decision.reason}`);
    const exit = await decision.done;
    await decision.finish();
    if (exit.code !== 0) throw new Error(`isolate exit ${exit.code}`);
  },
  'process tier (bwrap+strace+proxy)': async () => {
    const s = script();
    const prepared = await hooks.prepare(s);
    const childEnv = { ...env, ...prepared.env };
    const cmd = sandboxCommand({ ...base, env: childEnv, script: s.command, tracer: prepared.tracer, inner: prepared.inner, proxySocket: prepared.proxySocket });
    await runChild(cmd.file, cmd.args, childEnv);
    await prepared.finish();
  },
  'plain node (unconfined)': () => runChild(process.execPath, [file], env),
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Warm-up: starts the worker (its start-up is paid once per install), fills caches.
const t0 = performance.now();
await variants['isolate tier (warm worker)']();
const firstIsolate = performance.now() - t0;
for (file of ['post.js', 'noop.js']) {
  const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (const v of Object.values(variants)) await v();
  for (let round = 0; round < rounds; round++) {
    const names = Object.keys(variants);
    if (round % 2) names.reverse();
    for (const name of names) {
      rmSync(join(pkgDir, 'gen'), { recursive: true, force: true });
      const start = performance.now();
      await variants[name]();
      times[name].push(performance.now() - start);
    }
  }
  console.log(`\nnode ${file} (${file === 'post.js' ? 'mkdir + 51 file writes' : 'one console.log'}), ${rounds} rounds, medians:`);
  for (const [name, xs] of Object.entries(times)) console.log(`  ${name.padEnd(36)} ${median(xs).toFixed(1).padStart(7)} ms`);
}
console.log(`  ${'isolate tier, first script (cold)'.padEnd(36)} ${firstIsolate.toFixed(1).padStart(7)} ms  (worker start-up, once per install)`);
await tier.close();
rmSync(root, { recursive: true, force: true });
