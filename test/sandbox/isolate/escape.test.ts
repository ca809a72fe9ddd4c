// Escape attempts from inside the isolate: each must reach no host capability. A capability would
// show as a canary (the planted HOME secrets, a variable set only in the host processes) in the
// script's output or files, a write outside its package, or a live host object.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, existsSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createHarness, CANARIES, type Harness, type RunOutcome } from './harness.js';
import { isolatedVmMissing } from '../../../src/sandbox/isolate/create-isolate-tier.js';
import { workerArgv } from '../../../src/sandbox/isolate/start-worker.js';
import { envFromBwrapArgv } from '../../../src/sandbox/isolate/view/mounts.js';

const missing = isolatedVmMissing();
// A secret only the host processes (test runner, controller) hold: the isolate must never see it.
process.env.SI_HOST_CANARY = 'SI_HOST_CANARY_VALUE';

const escape = suite('escape attempts');
let h: Harness;
escape.before(() => {
  if (!missing) h = createHarness();
});
escape.after(async () => h?.close());

const noCanary = (r: RunOutcome) => {
  const all = r.stdout + r.stderr + JSON.stringify(r.events);
  for (const c of CANARIES) assert.not.match(all, c, `canary ${c} leaked`);
};
const it = (title: string, fn: () => Promise<void>) => escape(title, async () => {
  if (missing) return console.log(`  (skipped: ${missing})`);
  await fn();
});

it('should give only the isolate\'s own process through this.constructor.constructor', async () => {
  const r = await h.run('node escape.js', {
    files: {
      'escape.js': `
        const p = this.constructor.constructor('return process')();
        const g = this.constructor.constructor('return globalThis')();
        const out = {
          pid: p.pid,
          binding: (() => { try { p.binding('fs'); return 'reached'; } catch (e) { return 'refused'; } })(),
          dlopen: (() => { try { p.dlopen({}, '/x.node'); return 'reached'; } catch (e) { return 'refused'; } })(),
          hostEnv: p.env.SI_HOST_CANARY,
          bridge: Object.getOwnPropertyNames(g).filter((n) => n.startsWith('__si')),
          // The ES module loader's entry points: frozen, fixed, isolate functions only.
          esm: (() => { const d = Object.getOwnPropertyDescriptor(g, '__si_esm'); const v = d.value; const before = v.require; try { g.__si_esm = {}; v.require = null; } catch {}
            return [d.writable, d.configurable, Object.isFrozen(v), g.__si_esm === v && v.require === before, Object.values(v).every((f) => typeof f === 'function' && typeof f.applySync !== 'function')]; })(),
          refs: Object.getOwnPropertyNames(g).filter((n) => { try { const v = g[n]; return v && typeof v.applySync === 'function'; } catch { return false; } }),
          fromError: (() => { try { require('fs').readFileSync('/nonexistent'); } catch (e) { return e.constructor.constructor('return typeof __si_call')(); } })(),
        };
        console.log(JSON.stringify(out));`,
    },
  });
  assert.is(r.tier, 'isolate', r.reason);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out, { pid: 42, binding: 'refused', dlopen: 'refused', bridge: ['__si_esm'], esm: [false, false, true, true, true], refs: [], fromError: 'undefined' });
  noCanary(r);
});

it('should leak no host frame, function or receiver through Error.prepareStackTrace', async () => {
  const r = await h.run('node stack.js', {
    files: {
      'stack.js': `
        const seen = [];
        Error.prepareStackTrace = (e, frames) => { for (const f of frames) seen.push({ file: f.getFileName(), fn: f.getFunction(), self: f.getThis() }); return 'x'; };
        try { require('fs').readFileSync(require('os').homedir() + '/.npmrc'); } catch (e) { e.stack; }
        try { require('child_process').execFileSync('/nonexistent-binary'); } catch (e) { e.stack; }
        setTimeout(() => {
          new Error('in a host-scheduled callback').stack;
          const files = [...new Set(seen.map((s) => s.file))];
          // The bridge lives in runtime closures (strict code: getFunction() gives nothing); built so as not to match this file.
          const bridge = new RegExp(['call', 'async', 'emit', 'internal'].map((w) => w + 'Ref').join('|') + '|' + 'applySync' + 'Promise');
          const hostish = seen.filter((s) => s.fn && String(s.file).startsWith('safe-install:') && bridge.test(Function.prototype.toString.call(s.fn)));
          const globals = seen.map((s) => { try { return s.fn && s.fn.constructor('return typeof __si_call + typeof require')(); } catch { return 'err'; } });
          console.log(JSON.stringify({ files, hostish: hostish.length, globals: [...new Set(globals)] }));
        }, 5);`,
    },
  });
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.is(out.hostish, 0);
  // Only the script's own file and the runtime (in the isolate) appear; never a host path of safe-install.
  for (const file of out.files) assert.ok(file === undefined || file === null || file.startsWith(h.pkgDir) || file.startsWith('safe-install:'), `frame from ${file}`);
  for (const g of out.globals) assert.ok(g === undefined || g === null || g === 'undefinedundefined', `a frame's Function reached ${g}`);
  noCanary(r);
});

it('should keep denying and attributing when the script breaks its own stack traces', async () => {
  const r = await h.run('node nostack.js', {
    files: {
      'nostack.js': `
        Object.defineProperty(Error, 'stackTraceLimit', { value: 0, writable: false });
        try { Error.prepareStackTrace = () => { throw new Error('boom'); }; } catch {}
        let code; try { require('fs').readFileSync(require('os').homedir() + '/.npmrc'); } catch (e) { code = e.code; }
        console.log(code);`,
    },
  });
  assert.is(r.stdout.trim(), 'ENOENT');
  const event = r.events.find((e) => e.kind === 'fs.read' && e.target === join(h.home, '.npmrc'));
  assert.ok(event, 'the denied read is still reported');
  assert.is(event!.decision, 'denied');
});

it('should resolve a path once: Proxy and Symbol.toPrimitive tricks cannot swap it after the check', async () => {
  const r = await h.run('node proxy.js', {
    files: {
      'own.txt': 'own',
      'proxy.js': `
        const fs = require('fs'), os = require('os');
        const secret = os.homedir() + '/.npmrc', own = __dirname + '/own.txt';
        let n = 0;
        const flip = new Proxy({ href: 'file:///x', protocol: 'file:' }, { get(t, k) { if (k === 'pathname') return (n++ % 2) ? secret : own; return t[k]; } });
        const prim = { [Symbol.toPrimitive]() { return (n++ % 2) ? secret : own; }, toString() { return (n++ % 2) ? secret : own; } };
        const results = [];
        for (let i = 0; i < 6; i++) {
          for (const p of [flip, prim, new Proxy(new String(own), {})]) {
            try { results.push(String(fs.readFileSync(p, 'utf8'))); } catch (e) { results.push(e.code || e.message); }
          }
        }
        // A Proxy around bytes and options objects: what crosses is a copy made once.
        const bytes = new Proxy(new Uint8Array([104, 105]), {});
        try { fs.writeFileSync(__dirname + '/bytes.txt', bytes); } catch (e) { results.push('bytes:' + e.message); }
        const opts = new Proxy({}, { get(t, k) { return k === 'flag' ? ((n++ % 2) ? 'r' : 'w') : undefined; } });
        try { fs.writeFileSync(__dirname + '/opts.txt', 'ok', opts); } catch (e) { results.push('opts:' + e.code); }
        console.log(JSON.stringify([...new Set(results)]));`,
    },
  });
  assert.is(r.code, 0, r.stderr);
  const results: string[] = JSON.parse(r.stdout);
  for (const v of results) assert.ok(['own', 'ENOENT', 'ERR_INVALID_ARG_TYPE'].includes(v) || v.startsWith('opts:') || v.startsWith('bytes:'), `unexpected ${v}`);
  noCanary(r);
});

it('should not let a descriptor opened for reading change a read-only file (fchmod, futimes, write)', async () => {
  const r = await h.run('node fd.js', {
    files: {
      'fd.js': `
        const fs = require('fs');
        const fd = fs.openSync(process.env.INIT_CWD + '/package.json', 'r');
        const out = {};
        for (const [name, f] of [['fchmod', () => fs.fchmodSync(fd, 0o777)], ['futimes', () => fs.futimesSync(fd, 1, 1)], ['write', () => fs.writeSync(fd, 'evil')], ['ftruncate', () => fs.ftruncateSync(fd, 0)]]) {
          try { f(); out[name] = 'done'; } catch (e) { out[name] = e.code; }
        }
        try { fs.openSync(process.env.INIT_CWD + '/package.json', 'r+'); out.rw = 'opened'; } catch (e) { out.rw = e.code; }
        console.log(JSON.stringify(out));`,
    },
  });
  assert.equal(JSON.parse(r.stdout), { fchmod: 'EROFS', futimes: 'EROFS', write: 'EBADF', ftruncate: 'EBADF', rw: 'EROFS' });
  const st = statSync(join(h.project, 'package.json'));
  assert.is(st.mode & 0o777, 0o644);
  assert.ok(st.mtimeMs > 1000);
});

it('should not block or exhaust the host with FIFOs, endless devices or the terminal', async () => {
  const r = await h.run('node dev.js', {
    files: {
      'dev.js': `
        const fs = require('fs');
        require('child_process').execSync('mkfifo ' + __dirname + '/fifo');
        const out = {};
        for (const [name, f] of [
          ['fifo', () => fs.readFileSync(__dirname + '/fifo')],
          ['zero', () => fs.readFileSync('/dev/zero')],
          ['tty', () => fs.readFileSync('/dev/tty')],
          ['null', () => fs.readFileSync('/dev/null').length],
          ['urandom', () => { const fd = fs.openSync('/dev/urandom', 'r'); const b = Buffer.alloc(16); return fs.readSync(fd, b); }],
        ]) { try { out[name] = f(); } catch (e) { out[name] = e.code; } }
        console.log(JSON.stringify(out));`,
    },
    timeoutMs: 15_000,
  });
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), { fifo: 'ENXIO', zero: 'ERR_FS_FILE_TOO_LARGE', tty: 'ENOENT', null: 0, urandom: 16 });
});

it('should isolate scripts from each other: pollution of shared built-ins does not carry over', async () => {
  const a = await h.run('node pollute.js', {
    files: {
      'pollute.js': `
        Object.prototype.polluted = 'yes';
        Object.prototype.recursive = true;
        Array.prototype.push = function () { return 0; };
        JSON.parse = () => ({ ok: true });
        const fs = require('fs');
        fs.readFileSync = () => 'forged';
        require('path').join = () => '/';
        Buffer.from = () => 'forged';
        // Pollution must not widen what the host allows for this script either (it may only break its own runtime).
        let write; try { fs.writeFileSync(process.env.INIT_CWD + '/package.json', 'evil'); write = 'written'; } catch (e) { write = 'refused'; }
        console.log(write);`,
    },
  });
  assert.is(a.stdout.trim(), 'refused');
  const b = await h.run('node check.js', {
    files: { 'check.js': `const r = [({}).polluted, typeof require('fs').readFileSync('check.js', 'utf8'), require('path').join('a', 'b'), JSON.parse('[1]').length, Buffer.from('x').length]; console.log(JSON.stringify(r));` },
  });
  assert.equal(JSON.parse(b.stdout), [null, 'string', 'a/b', 1, 1]);
  assert.is((({}) as Record<string, unknown>).polluted, undefined, 'the host Object.prototype is untouched');
  assert.not.match(readFileSync(join(h.project, 'package.json'), 'utf8'), 'evil');
});

it('should refuse process.binding, require("vm") and other unsupported built-ins; require("module") is the isolate\'s own loader', async () => {
  const r = await h.run('node builtins.js', {
    files: {
      'builtins.js': `
        const out = {};
        const Module = require('module');
        const viaModule = [
          () => Module.createRequire('/')('fs').readFileSync(require('os').homedir() + '/.npmrc', 'utf8'),
          () => Module._load('fs').readFileSync(process.env.INIT_CWD + '/.npmrc', 'utf8'),
          () => process.mainModule.require('fs').writeFileSync('/etc/evil', 'x'),
          () => Module.prototype.require.call({ filename: '/' }, 'fs').readFileSync('/proc/1/environ', 'utf8'),
          () => Module._extensions['.node']({}, '/x.node'),
        ];
        out.module = viaModule.map((f) => { try { const v = f(); return v === '' ? 'empty' : 'reached:' + String(v).slice(0, 40); } catch (e) { return e.code || 'threw'; } });
        for (const name of ['vm', 'v8', 'node:vm', 'cluster', 'dgram']) {
          const id = name; // dynamic: the static scan would have sent a literal require to the process tier
          try { require(id); out[name] = 'loaded'; } catch (e) { out[name] = e.code; }
        }
        // Reached indirectly: a literal process.binding( would send the script to the process tier up front.
        const binding = 'bind' + 'ing', linked = '_linked' + 'Binding';
        for (const b of ['fs', 'natives', 'process_wrap', 'spawn_sync']) { try { process[binding](b); out['binding:' + b] = 'reached'; } catch { out['binding:' + b] = 'refused'; } }
        try { process[linked]('x'); out.linked = 'reached'; } catch { out.linked = 'refused'; }
        // Stand-ins: no threads and no debugger behind them.
        const wt = 'worker_' + 'threads', ins = 'insp' + 'ector';
        out.worker = typeof require(wt).Worker;
        try { new (require(ins).Session)().connect(); out.session = 'connected'; } catch (e) { out.session = e.code; }
        console.log(JSON.stringify(out));`,
    },
  });
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.is(out.worker, 'undefined');
  assert.is(out.session, 'ERR_INSPECTOR_NOT_AVAILABLE');
  // HOME is empty, the project .npmrc reads as empty, /etc is read-only, /proc/1 is not there, addons are refused.
  assert.equal(out.module, ['ENOENT', 'empty', 'EROFS', 'ENOENT', 'threw']);
  for (const name of ['vm', 'v8', 'node:vm', 'cluster', 'dgram']) assert.is(out[name], 'MODULE_NOT_FOUND', name);
  for (const b of ['fs', 'natives', 'process_wrap', 'spawn_sync']) assert.is(out[`binding:${b}`], 'refused');
  assert.is(out.linked, 'refused');
});

it('should reach nothing outside the view when its own child swaps a directory or a file for a symlink to HOME mid-operation', async () => {
  const modeBefore = statSync(join(h.home, '.bashrc')).mode;
  const r = await h.run('node race.js', {
    timeoutMs: 30_000,
    files: {
      'x.js': 'module.exports = 1;\n',
      'race.js': `
        const fs = require('fs'), path = require('path'), cp = require('child_process');
        const dir = __dirname, home = process.env.HOME;
        let seen = '';
        const realEval = eval;
        globalThis.eval = function (s) { seen += String(s).slice(0, 200); return realEval(s); };
        fs.mkdirSync(dir + '/d', { recursive: true });
        fs.writeFileSync(dir + '/d/.bashrc', 'mine');
        // The child runs in the process tier with the package dir writable: it swaps d/ and x.js for symlinks into HOME.
        const child = cp.spawn(process.execPath, ['-e', \`
          const fs = require('fs'); process.chdir(\${JSON.stringify(dir)});
          const end = Date.now() + 4000;
          while (Date.now() < end) {
            try { fs.renameSync('d', 'real'); fs.symlinkSync(\${JSON.stringify(home)}, 'd'); } catch {}
            try { fs.symlinkSync(\${JSON.stringify(home + '/.npmrc')}, 't1'); fs.renameSync('t1', 'x.js'); } catch {}
            try { fs.unlinkSync('d'); fs.renameSync('real', 'd'); } catch {}
            try { fs.writeFileSync('t2', 'module.exports = 1'); fs.renameSync('t2', 'x.js'); } catch {}
          }\`], { stdio: 'ignore' });
        setTimeout(() => {
          const t = Date.now(); let n = 0, out = '';
          while (Date.now() - t < 2500) {
            n++;
            try { fs.writeFileSync(dir + '/d/.bashrc', 'PWNED'); } catch {}
            try { out += fs.readFileSync(dir + '/d/.npmrc', 'utf8'); } catch {}
            try { out += fs.readdirSync(dir + '/d').join(','); } catch {}
            try { fs.chmodSync(dir + '/d/.bashrc', 0o777); } catch {}
            delete require.cache[path.join(dir, 'x.js')];
            try { out += JSON.stringify(require('./x.js')); } catch (e) { out += e.message; }
          }
          console.log(JSON.stringify({ n, out: out.slice(0, 100000), seen }));
          child.kill();
        }, 300);`,
    },
  });
  assert.is(r.tier, 'isolate', r.reason);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.ok(out.n > 100, `the loop ran (${out.n} rounds)`);
  noCanary(r);
  assert.not.match(out.out, /\.ssh|\.aws|\.config/, 'no listing of HOME');
  assert.is(out.seen, '', 'a replaced global eval sees no module source');
  assert.is(readFileSync(join(h.home, '.bashrc'), 'utf8'), '# fixture bashrc\n', 'the host ~/.bashrc is untouched');
  assert.is(statSync(join(h.home, '.bashrc')).mode, modeBefore, 'and its mode too');
});

it('should give scripts started together one fresh isolate each, with their own grant', async () => {
  await h.run('node -e "0"');
  for (let attempt = 0; attempt < 3; attempt++) {
    const probe = (name: string) => `const seen = globalThis.__si_test_mark; globalThis.__si_test_mark = '${name}';
      setTimeout(() => { let npmrc; try { npmrc = require('fs').readFileSync(process.env.HOME + '/.npmrc', 'utf8').trim(); } catch (e) { npmrc = e.code; }
        console.log(JSON.stringify({ seen: seen ?? null, mark: globalThis.__si_test_mark, arg: process.argv[2], npmrc })); }, 200);`;
    const [a, b, c] = await Promise.all([
      h.run('node a.js A', { files: { 'a.js': probe('A') } }),
      h.run('node b.js B', { files: { 'b.js': probe('B') }, grant: { read: [join(h.home, '.npmrc')] } }),
      h.run('node c.js C', { files: { 'c.js': probe('C') } }),
    ]);
    const out = (r: RunOutcome) => JSON.parse(r.stdout.trim());
    assert.equal(out(a), { seen: null, mark: 'A', arg: 'A', npmrc: 'ENOENT' });
    assert.equal({ ...out(b), npmrc: out(b).npmrc.includes(CANARIES[0]) || /authToken/.test(out(b).npmrc) }, { seen: null, mark: 'B', arg: 'B', npmrc: true });
    assert.equal(out(c), { seen: null, mark: 'C', arg: 'C', npmrc: 'ENOENT' });
  }
});

it('should not let a polluted Object.prototype name safe-install\'s own files as built-ins', async () => {
  const r = await h.run('node pollute.js', {
    files: {
      'pollute.js': `
        Object.prototype.evil = './package.json';
        Object.prototype.vm2 = 'isolated-vm/package.json';
        const out = {};
        for (const name of ['evil', 'vm2', 'constructor', 'toString']) { try { out[name] = typeof require(name); } catch (e) { out[name] = e.code; } }
        console.log(JSON.stringify(out));`,
    },
  });
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout.trim()), { evil: 'MODULE_NOT_FOUND', vm2: 'MODULE_NOT_FOUND', constructor: 'MODULE_NOT_FOUND', toString: 'MODULE_NOT_FOUND' });
});

it('should stop a huge allocation at the memory limit and keep the worker serving', async () => {
  const r = await h.run('node hog.js', { files: { 'hog.js': 'const a = []; for (;;) a.push(new Array(1e6).fill(1.5));' } });
  assert.is(r.tier, 'isolate');
  assert.is.not(r.code, 0);
  assert.match(r.exitReason ?? '', 'memory limit');
  const next = await h.run('node -e "console.log(6 * 7)"');
  assert.is(next.stdout.trim(), '42');
});

it('should stop an infinite loop at the time limit (exit 124) and keep the worker serving', async () => {
  const started = Date.now();
  const r = await h.run('node spin.js', { files: { 'spin.js': 'for (;;) {}' }, timeoutMs: 800 });
  assert.is(r.code, 124);
  assert.ok(r.timedOut);
  assert.ok(Date.now() - started < 10_000);
  const late = await h.run('node spin2.js', { files: { 'spin2.js': 'setTimeout(() => { for (;;) {} }, 10);' }, timeoutMs: 800 });
  assert.is(late.code, 124, 'a loop in a callback is stopped too');
  const next = await h.run('node -e "console.log(1)"');
  assert.is(next.stdout.trim(), '1');
});

it('should run the worker itself confined: its own network and mount namespaces, an environment of PATH alone', async () => {
  const worker = fileURLToPath(new URL('../../../src/sandbox/isolate/worker.js', import.meta.url));
  await h.run('node -e "1"');
  const pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    // The node process itself (bwrap, its parent, names the worker too but runs outside), started by this test.
    try { const args = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0'); return args[1] === '--no-node-snapshot' && args[2] === worker && descends(p); } catch { return false; }
  });
  assert.ok(pids.length > 0, 'a worker is running');
  for (const pid of pids) {
    assert.is.not(readlinkSync(`/proc/${pid}/ns/net`), readlinkSync('/proc/self/ns/net'), 'no host network');
    assert.is.not(readlinkSync(`/proc/${pid}/ns/mnt`), readlinkSync('/proc/self/ns/mnt'), 'its own mounts');
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((kv) => kv.split('=')[0]).sort();
    // PATH and LANG from the controller, PWD and the IPC channel from node, the sandbox's tool defaults from bwrap.
    const defaults = Object.keys(envFromBwrapArgv(workerArgv({ confine: { bwrap: 'bwrap', secretDirs: [], toolDirs: [], scratch: '/x' } })));
    assert.equal(env.filter((k) => !k.startsWith('NODE_CHANNEL') && !defaults.includes(k)), ['LANG', 'PATH', 'PWD']);
  }
});

// True when `pid` is a descendant of this test process.
function descends(pid: string): boolean {
  for (let p = pid, hops = 0; p && p !== '0' && hops < 8; hops++) {
    p = readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1];
    if (p === String(process.pid)) return true;
  }
  return false;
}

it('should never hand V8 cached data to an isolate', async () => {
  const worker = readFileSync(new URL('../../../src/sandbox/isolate/worker.js', import.meta.url), 'utf8');
  assert.not.match(worker, 'cachedData');
  assert.ok(existsSync(new URL('../../../src/sandbox/isolate/worker.js', import.meta.url)));
});

escape.run();
