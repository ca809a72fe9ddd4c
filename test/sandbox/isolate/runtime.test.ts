// The Node API inside the isolate: the built-ins install scripts use behave as in Node, and every
// capability goes through the broker under the grant (files, processes, HTTP through the proxy).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createHarness, type Harness } from './harness.js';
import { isolatedVmMissing } from '../../../src/sandbox/isolate/create-isolate-tier.js';

const missing = isolatedVmMissing();
const runtime = suite('isolate runtime');
let h: Harness;
let server: Server;
let port = 0;
const asked: string[] = [];

runtime.before(async () => {
  if (missing) return;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => res.end(JSON.stringify({ method: req.method, url: req.url, body })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.address() as { port: number }).port;
  h = createHarness({ askNet: async (host, p) => { asked.push(`${host}:${p}`); return false; } });
});
runtime.after(async () => {
  await h?.close();
  server?.close();
});

const it = (title: string, fn: () => Promise<void>) => runtime(title, async () => {
  if (missing) return console.log(`  (skipped: ${missing})`);
  await fn();
});
const json = (text: string) => JSON.parse(text.trim().split('\n').pop()!);

it('should give path, util, events, buffer, url, querystring, string_decoder, assert and os', async () => {
  const r = await h.run('node api.js a1 --flag', {
    files: {
      'api.js': `
        const path = require('path'), util = require('util'), { EventEmitter } = require('events'), os = require('os');
        const assert = require('assert'), qs = require('querystring'), { StringDecoder } = require('string_decoder');
        const e = new EventEmitter(); let got; e.once('x', (v) => (got = v)); e.emit('x', 7);
        assert.deepStrictEqual({ a: [1] }, { a: [1] });
        const u = new URL('https://user@example.com:8443/a/b?x=1#h');
        console.log(JSON.stringify({
          join: path.join('/a', '../b', 'c.js'), rel: path.relative('/a/b', '/a/c'), ext: path.extname('x.tar.gz'),
          fmt: util.format('%s:%d %j', 'n', 4, { k: 1 }), inspect: util.inspect({ a: 1, b: 'x' }),
          got, hex: Buffer.from('hé').toString('hex'), b64: Buffer.from('abc').toString('base64'),
          url: [u.hostname, u.port, u.pathname, u.searchParams.get('x')], legacy: require('url').parse('http://h.com/p?q=1').pathname,
          qs: qs.stringify({ a: 1, b: [2, 3] }), dec: new StringDecoder('utf8').write(Buffer.from([0xe2, 0x82, 0xac])),
          platform: os.platform(), hostname: os.hostname(), home: os.homedir() === process.env.HOME,
          argv: process.argv.slice(2), cwd: process.cwd() === __dirname, te: new TextDecoder().decode(new TextEncoder().encode('ok')),
          typeOk: util.types.isDate(new Date()), promisified: typeof util.promisify(setTimeout),
        }));`,
    },
  });
  assert.is(r.code, 0, r.stderr);
  assert.equal(json(r.stdout), {
    join: '/b/c.js', rel: '../c', ext: '.gz', fmt: 'n:4 {"k":1}', inspect: "{ a: 1, b: 'x' }", got: 7, hex: '68c3a9', b64: 'YWJj',
    url: ['example.com', '8443', '/a/b', '1'], legacy: '/p', qs: 'a=1&b=2&b=3', dec: '€', platform: process.platform, hostname: 'localhost', home: true,
    argv: ['a1', '--flag'], cwd: true, te: 'ok', typeOk: true, promisified: 'function',
  });
});

it('should do fs in sync, callback and promise forms, with streams, inside the package directory', async () => {
  const r = await h.run('node files.js', {
    files: {
      'files.js': `
        const fs = require('fs'), path = require('path'), { pipeline } = require('stream');
        const d = path.join(__dirname, 'work');
        fs.mkdirSync(path.join(d, 'deep', 'er'), { recursive: true });
        fs.writeFileSync(path.join(d, 'a.txt'), 'alpha');
        fs.appendFileSync(path.join(d, 'a.txt'), '+');
        fs.copyFileSync(path.join(d, 'a.txt'), path.join(d, 'b.txt'));
        fs.renameSync(path.join(d, 'b.txt'), path.join(d, 'deep', 'c.txt'));
        fs.symlinkSync('a.txt', path.join(d, 'link'));
        const out = { sync: fs.readFileSync(path.join(d, 'link'), 'utf8'), list: fs.readdirSync(d).sort(), isDir: fs.statSync(d).isDirectory(), link: fs.lstatSync(path.join(d, 'link')).isSymbolicLink(), exists: fs.existsSync(path.join(d, 'nope')) };
        fs.readFile(path.join(d, 'deep', 'c.txt'), 'utf8', async (err, text) => {
          out.cb = err ? err.code : text;
          out.promise = (await fs.promises.readdir(path.join(d, 'deep'), { withFileTypes: true })).map((e) => e.name + (e.isDirectory() ? '/' : ''));
          await fs.promises.rm(path.join(d, 'deep', 'er'), { recursive: true });
          pipeline(fs.createReadStream(path.join(d, 'a.txt')), require('zlib').createGzip(), fs.createWriteStream(path.join(d, 'a.gz')), (e) => {
            out.gz = e ? e.message : require('zlib').gunzipSync(fs.readFileSync(path.join(d, 'a.gz'))).toString();
            out.sha = require('crypto').createHash('sha1').update(fs.readFileSync(path.join(d, 'a.txt'))).digest('hex');
            console.log(JSON.stringify(out));
          });
        });`,
    },
  });
  assert.is(r.code, 0, r.stderr);
  assert.equal(json(r.stdout), {
    sync: 'alpha+', list: ['a.txt', 'deep', 'link'], isDir: true, link: true, exists: false, cb: 'alpha+', promise: ['c.txt', 'er/'], gz: 'alpha+', sha: createHash('sha1').update('alpha+').digest('hex'),
  });
  assert.ok(existsSync(join(h.pkgDir, 'work', 'a.gz')));
});

it('should map /tmp to a private directory shared with child processes, and hide HOME', async () => {
  const r = await h.run('node tmp.js', {
    files: {
      'tmp.js': `
        const fs = require('fs'), os = require('os'), cp = require('child_process');
        fs.writeFileSync(os.tmpdir() + '/shared.txt', 'from the isolate');
        const seen = cp.execSync('cat /tmp/shared.txt').toString();
        let home; try { home = fs.readdirSync(os.homedir()); } catch (e) { home = e.code; }
        fs.appendFileSync(os.homedir() + '/.bashrc', 'evil');
        fs.mkdirSync(os.homedir() + '/.cache/tool', { recursive: true });
        console.log(JSON.stringify({ seen, home }));`,
    },
  });
  assert.is(r.code, 0, r.stderr);
  assert.equal(json(r.stdout), { seen: 'from the isolate', home: [] });
  assert.not.ok(existsSync('/tmp/shared.txt'), 'the host /tmp is untouched');
  // Writes in the synthetic HOME are discarded and reported as the process tier does: a cache is expected, .bashrc is not.
  assert.is(readFileSync(join(h.home, '.bashrc'), 'utf8'), '# fixture bashrc\n');
  const bashrc = r.events.find((e) => e.target === join(h.home, '.bashrc'));
  assert.ok(bashrc && bashrc.decision === 'denied' && !bashrc.expected && /synthetic HOME/.test(bashrc.detail ?? ''), JSON.stringify(r.events));
  const cache = r.events.find((e) => e.target === join(h.home, '.cache/tool'));
  assert.ok(cache && cache.expected, JSON.stringify(r.events));
});

it('should resolve requires as Node does: relative, node_modules, main, exports, JSON', async () => {
  const r = await h.run('node entry', {
    files: {
      'entry.js': `console.log(JSON.stringify([require('./lib'), require('./data.json').v, require('other'), require('dep'), require('dep/feature'), require.resolve('other').endsWith('main.js')]));`,
      'lib/index.js': `module.exports = 'lib:' + require('../lib/helper');`,
      'lib/helper.js': `module.exports = 'helper';`,
      'data.json': '{"v": 3}',
      'node_modules/dep/package.json': '{"name":"dep","exports":{".":{"import":"./esm.mjs","require":"./cjs.js"},"./feature":"./feat.js"}}',
      'node_modules/dep/cjs.js': `module.exports = 'dep-cjs';`,
      'node_modules/dep/feat.js': `module.exports = 'feat';`,
    },
  });
  assert.is(r.code, 0, r.stderr);
  assert.equal(json(r.stdout), ['lib:helper', 3, 'other', 'dep-cjs', 'feat', true]);
});

it('should run child processes in the process tier (sync and async) and report them', async () => {
  const r = await h.run('node kids.js', {
    files: {
      'kids.js': `
        const cp = require('child_process');
        const sync = cp.execFileSync('/bin/sh', ['-c', 'echo $0-$FOO; touch made-by-child', 'arg'], { env: { ...process.env, FOO: 'bar' } }).toString().trim();
        let home; try { cp.execSync('cat "$HOME/.npmrc"', { stdio: 'pipe' }); home = 'read'; } catch (e) { home = e.status; }
        const child = cp.spawn('sh', ['-c', 'read x; echo got-$x; exit 5']);
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('close', (code) => console.log(JSON.stringify({ sync, home, out: out.trim(), code })));
        child.stdin.end('hi\\n');`,
    },
  });
  assert.is(r.code, 0, r.stderr);
  assert.equal(json(r.stdout), { sync: 'arg-bar', home: 1, out: 'got-hi', code: 5 });
  assert.ok(existsSync(join(h.pkgDir, 'made-by-child')));
  const exec = r.events.filter((e) => e.kind === 'proc.exec' && e.tier === 'isolate');
  assert.ok(exec.some((e) => e.target === '/bin/sh' && /kids\.js:3:\d+/.test(e.detail ?? '')), JSON.stringify(exec));
});

it('should reach a granted host over HTTP through the proxy, and be refused (with an event) elsewhere', async () => {
  const script = (target: string) => `
    const http = require('http');
    const req = http.request('http://${target}/path?q=1', { method: 'POST' }, (res) => {
      let b = ''; res.on('data', (d) => (b += d)); res.on('end', () => console.log(JSON.stringify({ status: res.statusCode, body: res.statusCode === 200 ? JSON.parse(b) : b })));
    });
    req.on('error', (e) => console.log(JSON.stringify({ error: e.code })));
    req.end('payload');`;
  const ok = await h.run('node get.js', { files: { 'get.js': script(`127.0.0.1:${port}`) }, grant: { net: [`127.0.0.1:${port}`] } });
  assert.is(ok.code, 0, ok.stderr);
  assert.equal(json(ok.stdout), { status: 200, body: { method: 'POST', url: '/path?q=1', body: 'payload' } });
  const event = ok.events.find((e) => e.kind === 'net.connect');
  assert.ok(event && event.decision === 'allowed' && event.tier === 'isolate' && /get\.js:3:\d+/.test(event.detail ?? ''), JSON.stringify(ok.events));

  asked.length = 0;
  const refused = await h.run('node get.js', { files: { 'get.js': script(`127.0.0.1:${port}`) } });
  const body = json(refused.stdout);
  // Plain HTTP gets the proxy's 403 with the policy line to add, as in the process tier.
  assert.is(body.status, 403, refused.stdout);
  assert.match(body.body, 'blocked pkg@1.0.0');
  assert.ok(refused.events.some((e) => e.kind === 'net.connect' && e.decision !== 'allowed'), JSON.stringify(refused.events));
});

it('should refuse raw sockets and DNS, reporting the script\'s line', async () => {
  const r = await h.run('node raw.js', {
    files: {
      'raw.js': `
        const s = require('net').connect(${port}, '127.0.0.1');
        s.on('error', (e) => {
          require('dns').lookup('example.com', (err) => console.log(JSON.stringify({ net: e.code, dns: err.code })));
        });`,
    },
  });
  assert.equal(json(r.stdout), { net: 'ECONNREFUSED', dns: 'EAI_AGAIN' });
  assert.ok(r.events.some((e) => e.kind === 'net.connect' && e.decision === 'denied' && /raw\.js:2:\d+/.test(e.detail ?? '')));
  assert.ok(r.events.some((e) => e.kind === 'net.dns' && e.target === 'example.com'));
});

it('should pause a refused write, ask, and continue the script with the answer', async () => {
  const questions: string[] = [];
  const r = await h.run('node ask.js', {
    askWrite: async (path) => { questions.push(path); return path.endsWith('allowed.txt'); },
    files: {
      'ask.js': `
        const fs = require('fs');
        const results = [];
        for (const name of ['allowed.txt', 'refused.txt']) {
          try { fs.writeFileSync(process.env.INIT_CWD + '/' + name, 'x'); results.push('written'); } catch (e) { results.push(e.code); }
        }
        console.log(JSON.stringify(results));`,
    },
  });
  assert.equal(json(r.stdout), ['written', 'EROFS']);
  assert.equal(questions, [join(h.project, 'allowed.txt'), join(h.project, 'refused.txt')]);
  assert.is(readFileSync(join(h.project, 'allowed.txt'), 'utf8'), 'x');
  assert.not.ok(existsSync(join(h.project, 'refused.txt')));
  assert.ok(r.events.some((e) => e.decision === 'asked-allowed' && e.target.endsWith('allowed.txt')));
  assert.ok(r.events.some((e) => e.decision === 'asked-denied' && e.target.endsWith('refused.txt')));
});

it('should honour process.exit, exitCode, uncaught errors and timers', async () => {
  assert.is((await h.run('node -e "process.exitCode = 4"')).code, 4);
  assert.is((await h.run('node -e "setTimeout(() => process.exit(6), 5); setInterval(() => {}, 1000)"')).code, 6);
  const thrown = await h.run('node boom.js', { files: { 'boom.js': '\n\nthrow new Error("kaboom")' } });
  assert.is(thrown.code, 1);
  assert.match(thrown.stderr, /kaboom[\s\S]*boom\.js:3/);
  const later = await h.run('node -e "setTimeout(() => { throw new TypeError(\'late\') }, 5)"');
  assert.is(later.code, 1);
  assert.match(later.stderr, 'late');
  const order = await h.run('node -e "const o=[]; setTimeout(()=>{o.push(3); console.log(o.join())},1); Promise.resolve().then(()=>o.push(2)); o.push(1)"');
  assert.is(order.stdout.trim(), '1,2,3');
});

runtime.run();
