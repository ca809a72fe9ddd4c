// What real install scripts lean on beyond the classic built-ins: web globals (AbortController,
// Blob, EventTarget, web streams, structuredClone), stand-ins for built-ins the isolate cannot give
// (worker_threads, http2, inspector, domain, diagnostics_channel), old-style fs stream constructors
// (graceful-fs), a connected socket on HTTP requests (got), and a plain-object process.env.
import * as assert from 'uvu/assert';
import { isolateSuite, lastJson as json } from './harness.js';

const { it, run } = isolateSuite('isolate compatibility');

it('should give worker_threads without Worker, http2 constants, inspector without a debugger, domain and diagnostics_channel', async (h) => {
  const r = await h.run('node standins.js', {
    files: {
      'standins.js': `
        const wt = require('worker_threads'), http2 = require('http2'), inspector = require('inspector'), dc = require('diagnostics_channel');
        const ch = dc.channel('x'); let got; ch.subscribe((m) => (got = m)); ch.publish(5);
        let connect; try { http2.connect('https://127.0.0.1:1'); } catch (e) { connect = e.code; }
        const d = require('domain').create(); const inDomain = d.run(() => process.domain === d);
        console.log(JSON.stringify({ main: wt.isMainThread, worker: typeof wt.Worker, status: http2.constants.HTTP2_HEADER_STATUS,
          connect, url: inspector.url() === undefined, got, has: dc.hasSubscribers('x'), inDomain, after: process.domain === undefined }));`,
    },
  });
  assert.is(r.tier, 'isolate', r.reason);
  assert.is(r.code, 0, r.stderr);
  assert.equal(json(r.stdout), { main: true, worker: 'undefined', status: ':status', connect: 'ERR_HTTP2_UNAVAILABLE', url: true, got: 5, has: true, inDomain: true, after: true });
});

it('should give the web globals: AbortController, EventTarget, Blob, File, web streams, structuredClone, DOMException', async (h) => {
  const r = await h.run('node web.js', {
    files: {
      'web.js': `
        (async () => {
          const c = new AbortController(); let fired = 0;
          c.signal.addEventListener('abort', () => fired++);
          c.abort(); c.abort();
          const t = new EventTarget(); let detail;
          t.addEventListener('x', (e) => (detail = e.detail), { once: true });
          t.dispatchEvent(new CustomEvent('x', { detail: 7 })); t.dispatchEvent(new CustomEvent('x', { detail: 8 }));
          const blob = new Blob(['ab', new Uint8Array([99])], { type: 'Text/Plain' });
          const { Blob: B2, File } = require('buffer');
          const file = new File(['x'], 'a.txt');
          const rs = new ReadableStream({ start(ctl) { ctl.enqueue('p'); ctl.enqueue('q'); ctl.close(); } });
          let streamed = ''; for (const r = rs.getReader();;) { const { value, done } = await r.read(); if (done) break; streamed += value; }
          const src = { d: new Date(0), m: new Map([[1, { z: [1] }]]) }; src.self = src;
          const copy = structuredClone(src);
          let cloneFn; try { structuredClone(() => 1); } catch (e) { cloneFn = e.name; }
          console.log(JSON.stringify({
            aborted: c.signal.aborted, reason: c.signal.reason.name, fired, detail,
            blob: [blob.size, blob.type, await blob.text(), await blob.slice(1).text(), B2 === Blob], file: [file.name, file.size],
            streamed, clone: [copy !== src, copy.self === copy, copy.d.getTime(), copy.m.get(1).z[0]], cloneFn,
            timeout: typeof AbortSignal.timeout(1000).aborted, dom: new DOMException('m', 'AbortError').code,
            web: typeof require('stream/web').TransformStream,
          }));
        })();`,
    },
  });
  assert.is(r.tier, 'isolate', r.reason);
  assert.is(r.code, 0, r.stderr);
  assert.equal(json(r.stdout), {
    aborted: true, reason: 'AbortError', fired: 1, detail: 7, blob: [3, 'text/plain', 'abc', 'bc', true], file: ['a.txt', 1],
    streamed: 'pq', clone: [true, true, 0, 1], cloneFn: 'DataCloneError', timeout: 'boolean', dom: 20, web: 'function',
  });
});

it('should let graceful-fs-style code subclass fs streams with apply() and its own open(), and keep process.env a plain object', async (h) => {
  const r = await h.run('node streams.js', {
    files: {
      'streams.js': `
        const fs = require('fs');
        const Base = fs.WriteStream;
        function Mine(path, options) { return Base.apply(this, arguments), this; }
        Mine.prototype = Object.create(Base.prototype);
        let opened = 0;
        Mine.prototype.open = function () { const that = this; fs.open(that.path, that.flags, that.mode, (err, fd) => { if (err) return that.emit('error', err); opened++; that.fd = fd; that.emit('open', fd); }); };
        const out = new Mine(__dirname + '/out.txt');
        out.write('hello ');
        out.end('world', () => {
          const back = fs.createReadStream(__dirname + '/out.txt', { start: 6 });
          let text = '';
          back.on('data', (d) => (text += d)).on('end', () => {
            console.log(JSON.stringify({ opened, text, isWrite: out instanceof fs.WriteStream, env: process.env.hasOwnProperty('PATH'), keys: typeof Object.keys(process.env).length }));
          });
        });`,
    },
  });
  assert.is(r.tier, 'isolate', r.reason);
  assert.is(r.code, 0, r.stderr);
  assert.equal(json(r.stdout), { opened: 1, text: 'world', isWrite: true, env: true, keys: 'number' });
  assert.is(h.read('out.txt'), 'hello world');
});

it('should report a move out of another package as a refused delete, as the process tier does', async (h) => {
  const r = await h.run('node move.js', {
    files: {
      'move.js': `
        const fs = require('fs'), path = require('path');
        const from = path.join(process.env.INIT_CWD, 'node_modules/other/main.js');
        try { fs.renameSync(from, path.join(__dirname, 'stolen.js')); console.log('moved'); } catch (e) { console.log(e.code); }`,
    },
  });
  assert.is(r.tier, 'isolate', r.reason);
  assert.is(r.stdout.trim(), 'EXDEV');
  const moved = r.events.find((e) => e.kind === 'fs.delete' && e.target.endsWith('/node_modules/other/main.js'));
  assert.ok(moved, JSON.stringify(r.events));
  assert.is(moved!.decision, 'denied');
  assert.match(moved!.detail ?? '', /move\.js:4:/);
});

it('should end a script with an unhandled rejection as Node does (exit 1, its stack), unless it listens for them', async (h) => {
  for (const code of ['Promise.reject(new Error("at top"))', 'setTimeout(() => { Promise.reject(new Error("in a timer")); }, 10)', '(async () => { await null; throw new Error("in async") })()']) {
    const r = await h.run(`node -e '${code}'`);
    assert.is(r.code, 1, code);
    assert.match(r.stderr, /^Error: (at top|in a timer|in async)\n\s+at /, code);
  }
  const listened = await h.run(`node -e 'process.on("unhandledRejection", (e) => console.log("seen", e.message)); setTimeout(() => { Promise.reject(new Error("late")); }, 10); setTimeout(() => console.log("still running"), 50)'`);
  assert.is(listened.code, 0, listened.stderr);
  assert.is(listened.stdout, 'seen late\nstill running\n');
  const handledLater = await h.run(`node -e 'const p = Promise.reject(new Error("x")); p.catch(() => console.log("caught"))'`);
  assert.is(handledLater.code, 0, handledLater.stderr);
  assert.is(handledLater.stdout, 'caught\n');
});

run();
