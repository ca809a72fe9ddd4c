// ES modules in the isolate: .mjs and "type": "module" entries, static and dynamic imports of ES
// modules, CommonJS, JSON and built-ins, import.meta, top-level await, and the same grant for all.
import * as assert from 'uvu/assert';
import { isolateSuite, lastJson as json, CANARIES } from './harness.js';

const { it, run } = isolateSuite('isolate ES modules');

it('should run an .mjs entry with static imports of ES modules, CommonJS, JSON-free built-ins and a package with an import condition', async (h) => {
  const r = await h.run('node install.mjs one', {
    files: {
      'install.mjs': `
        import { readFileSync, writeFileSync } from 'node:fs';
        import path from 'path';
        import * as helper from './lib/helper.mjs';
        import { deep } from './lib/nested/entry.mjs';
        import cjs, { named } from './lib/old.cjs';
        import dual from 'dual';
        import { fileURLToPath } from 'node:url';
        const here = path.dirname(fileURLToPath(import.meta.url));
        writeFileSync(path.join(here, 'out.txt'), helper.twice('ab'));
        console.log(JSON.stringify({ deep, twice: helper.twice('x'), cjs: cjs.named, named, dual, argv: process.argv.slice(2),
          here: here === process.cwd(), url: import.meta.url.startsWith('file:///'), read: readFileSync(path.join(here, 'out.txt'), 'utf8'),
          meta: typeof import.meta.dirname, filename: import.meta.filename.endsWith('install.mjs') }));`,
      'lib/helper.mjs': 'export const twice = (s) => s + s;\nexport default 1;\n',
      'lib/nested/entry.mjs': 'export { deep } from "./sibling.mjs";\n',
      'lib/nested/sibling.mjs': 'import { twice } from "../helper.mjs";\nexport const deep = twice("d");\n',
      'lib/old.cjs': 'exports.named = "from-cjs";\n',
      'node_modules/dual/package.json': '{"name":"dual","exports":{".":{"import":"./esm.mjs","require":"./cjs.js"}}}',
      'node_modules/dual/esm.mjs': 'export default "esm-side";\n',
      'node_modules/dual/cjs.js': 'module.exports = "cjs-side";\n',
    },
  });
  assert.is(r.tier, 'isolate', r.reason);
  assert.is(r.code, 0, r.stderr);
  assert.equal(json(r.stdout), { deep: 'dd', twice: 'xx', cjs: 'from-cjs', named: 'from-cjs', dual: 'esm-side', argv: ['one'], here: true, url: true, read: 'abab', meta: 'string', filename: true });
  assert.is(h.read('out.txt'), 'abab');
});

it('should run a "type": "module" entry with top-level await and timers', async (h) => {
  const r = await h.run('node esm-pkg/main.js', {
    files: {
      'esm-pkg/package.json': '{"type":"module"}',
      'esm-pkg/main.js': `
        import { setTimeout as sleep } from 'node:timers/promises';
        const t = Date.now();
        await sleep(30);
        const { value } = await import('./later.js');
        console.log(JSON.stringify({ waited: Date.now() - t >= 25, value }));`,
      'esm-pkg/later.js': 'await null;\nexport const value = 42;\n',
    },
  });
  assert.is(r.tier, 'isolate', r.reason);
  assert.is(r.code, 0, r.stderr);
  assert.equal(json(r.stdout), { waited: true, value: 42 });
});

it('should wait for a module\'s top-level await before import() settles, and end an unsettled one with 13 as Node does', async (h) => {
  const r = await h.run('node tla.mjs', {
    files: {
      'tla.mjs': `
        const { v } = await import('./slow.mjs');
        const again = await import('./slow.mjs');
        console.log(JSON.stringify({ v, same: again.v === v }));`,
      'slow.mjs': `
        import { setTimeout as sleep } from 'node:timers/promises';
        await sleep(50);
        export const v = 'ready after the wait';`,
    },
  });
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout.trim()), { v: 'ready after the wait', same: true });
  const late = await h.run('node late.mjs', { files: { 'late.mjs': 'console.log("a");\nawait new Promise((r) => setTimeout(r, 20));\nthrow new Error("late boom");\n' } });
  assert.is(late.code, 1, late.stderr);
  assert.match(late.stderr, /^Error: late boom\n\s+at file:\/\/.*late\.mjs:3:7/);
  const stuck = await h.run('node stuck.mjs', { files: { 'stuck.mjs': 'console.log("before");\nawait new Promise(() => {});\nconsole.log("never");\n' } });
  assert.is(stuck.code, 13, stuck.stderr);
  assert.is(stuck.stdout, 'before\n');
  assert.match(stuck.stderr, /unsettled top-level await in .*stuck\.mjs/);
});

it('should serve import() from CommonJS and `node -e`, sharing one instance with require', async (h) => {
  const r = await h.run(`node -e "import('./dyn.mjs').then((m) => m.run()).then((v) => console.log(JSON.stringify(v)))"`, {
    files: {
      'dyn.mjs': `
        import counter from './counter.js';
        import { createRequire } from 'node:module';
        const require = createRequire(import.meta.url);
        export async function run() {
          counter.n++;
          const again = require('./counter.js');
          const viaImport = (await import('./counter.js')).default;
          const builtin = await import('node:path');
          const cjsCaller = require('./caller.js');
          return { same: again === counter && viaImport === counter, n: again.n, join: builtin.join('a', 'b'), def: builtin.default.sep, fromCjs: await cjsCaller() };
        }`,
      'counter.js': 'module.exports = { n: 0 };\n',
      'caller.js': 'module.exports = async () => (await import("./helper.mjs")).name;\n',
      'helper.mjs': 'export const name = "esm-from-cjs";\n',
    },
  });
  assert.is(r.tier, 'isolate', r.reason);
  assert.is(r.code, 0, r.stderr);
  assert.equal(json(r.stdout), { same: true, n: 1, join: 'a/b', def: '/', fromCjs: 'esm-from-cjs' });
});

it('should reject a missing module with ERR_MODULE_NOT_FOUND, a throwing module with its own error, and end a failed entry with exit 1', async (h) => {
  const r = await h.run('node probe.mjs', {
    files: {
      'probe.mjs': `
        const out = {};
        try { await import('./nope.mjs'); } catch (e) { out.missing = e.code; }
        try { await import('./throws.mjs'); } catch (e) { out.thrown = [e.name, e.message]; }
        try { await import('./bad-syntax.mjs'); } catch (e) { out.syntax = e.name; }
        try { await import('./nope'); } catch (e) { out.noExtension = e.code; }
        console.log(JSON.stringify(out));`,
      'throws.mjs': 'throw new TypeError("boom from module");\n',
      'bad-syntax.mjs': 'export const = 1;\n',
      'nope.mjs.txt': '',
    },
  });
  assert.is(r.code, 0, r.stderr);
  assert.equal(json(r.stdout), { missing: 'ERR_MODULE_NOT_FOUND', thrown: ['TypeError', 'boom from module'], syntax: 'SyntaxError', noExtension: 'ERR_MODULE_NOT_FOUND' });
  const failed = await h.run('node fails.mjs', { files: { 'fails.mjs': 'import "./throws.mjs";\n' } });
  assert.is(failed.code, 1);
  assert.match(failed.stderr, /boom from module/);
});

it('should apply the same grant to an ES module: hidden HOME, refused writes, events with the module\'s file:line', async (h) => {
  const r = await h.run('node steal.mjs', {
    files: {
      'steal.mjs': `
        import { readFileSync, writeFileSync } from 'node:fs';
        import os from 'node:os';
        const out = {};
        try { out.npmrc = readFileSync(os.homedir() + '/.npmrc', 'utf8'); } catch (e) { out.npmrc = e.code; }
        try { writeFileSync(process.env.INIT_CWD + '/package.json', '{}'); out.write = 'ok'; } catch (e) { out.write = e.code; }
        out.token = process.env.NPM_TOKEN;
        console.log(JSON.stringify(out));`,
    },
  });
  assert.is(r.tier, 'isolate', r.reason);
  const out = json(r.stdout);
  assert.is(out.write, 'EROFS');
  assert.is(out.token, undefined);
  for (const canary of CANARIES) assert.not.ok(r.stdout.includes(canary), canary);
  const write = r.events.find((e) => e.kind === 'fs.write' && e.target.endsWith('/project/package.json'));
  assert.ok(write, JSON.stringify(r.events));
  assert.is(write!.decision, 'denied');
  assert.match(write!.detail ?? '', /steal\.mjs:6:\d+/);
  // An ES module has no wrapper: a call on its first line keeps its own column.
  const first = await h.run('node first-line.mjs', { files: { 'first-line.mjs': "import { writeFileSync } from 'node:fs'; try { writeFileSync('/etc/si-first-line', 'x'); } catch {}\n" } });
  const etc = first.events.find((e) => e.target === '/etc/si-first-line');
  assert.match(etc?.detail ?? '', /first-line\.mjs:1:(4[0-9]|5[0-9])$/, JSON.stringify(first.events));
});

run();
