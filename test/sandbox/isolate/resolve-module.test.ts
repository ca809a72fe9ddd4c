// Module resolution and the up-front scan share one resolver, so both see the same files.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveModule, resolveExports, type ModuleFs } from '../../../src/sandbox/isolate/view/resolve-module.js';
import { scanRequires } from '../../../src/sandbox/isolate/scan-requires.js';
import { SUPPORTED_BUILTINS } from '../../../src/sandbox/isolate/runtime/index.js';

// An in-memory file tree: path -> content.
function memoryFs(files: Record<string, string>): ModuleFs {
  const dirs = new Set<string>(['/']);
  for (const file of Object.keys(files)) for (let d = file.slice(0, file.lastIndexOf('/')); d; d = d.slice(0, d.lastIndexOf('/'))) dirs.add(d);
  return { isFile: (p) => p in files, isDir: (p) => dirs.has(p), readText: (p) => { if (!(p in files)) throw new Error('ENOENT'); return files[p]; } };
}
const isBuiltin = (name: string) => SUPPORTED_BUILTINS.has(name);
const fsx = memoryFs({
  '/p/pkg/install.js': "require('./lib'); require('dep'); require('fs');",
  '/p/pkg/lib/index.js': "module.exports = require('../data.json')",
  '/p/pkg/data.json': '{}',
  '/p/node_modules/dep/package.json': '{"main":"./dist/main"}',
  '/p/node_modules/dep/dist/main.js': '',
  '/p/node_modules/cond/package.json': '{"exports":{".":{"import":"./m.mjs","node":{"require":"./n.cjs"},"default":"./d.js"},"./sub/*":"./lib/*.js","./package.json":"./package.json"}}',
  '/p/node_modules/cond/n.cjs': '',
  '/p/node_modules/cond/lib/x.js': '',
  '/p/node_modules/esm/package.json': '{"type":"module","main":"index.js"}',
  '/p/node_modules/esm/index.js': 'export default 1',
  '/p/node_modules/addon/package.json': '{"main":"build/Release/addon.node"}',
  '/p/node_modules/addon/build/Release/addon.node': '',
});

const resolve = suite('resolveModule');
const cases: [string, string | null, unknown][] = [
  ['./install', null, { filename: '/p/pkg/install.js', format: 'js' }],
  ['./lib', '/p/pkg/install.js', { filename: '/p/pkg/lib/index.js', format: 'js' }],
  ['../data.json', '/p/pkg/lib/index.js', { filename: '/p/pkg/data.json', format: 'json' }],
  ['dep', '/p/pkg/install.js', { filename: '/p/node_modules/dep/dist/main.js', format: 'js' }],
  ['cond', '/p/pkg/install.js', { filename: '/p/node_modules/cond/n.cjs', format: 'js' }],
  ['cond/sub/x', '/p/pkg/install.js', { filename: '/p/node_modules/cond/lib/x.js', format: 'js' }],
  ['cond/hidden', '/p/pkg/install.js', undefined],
  ['esm', '/p/pkg/install.js', { filename: '/p/node_modules/esm/index.js', format: 'esm' }],
  ['addon', '/p/pkg/install.js', { filename: '/p/node_modules/addon/build/Release/addon.node', format: 'addon' }],
  ['fs', '/p/pkg/install.js', { builtin: 'fs' }],
  ['node:vm', '/p/pkg/install.js', { builtin: 'vm' }],
  ['missing', '/p/pkg/install.js', undefined],
];
for (const [request, from, expected] of cases) resolve(`should resolve ${request} from ${from ?? 'the entry (cwd /p/pkg)'}`, () => assert.equal(resolveModule(fsx, request, from, '/p/pkg', isBuiltin), expected));
resolve('should pick exports conditions in object order among node, require, default', () => {
  assert.is(resolveExports({ import: './a.mjs', default: './b.js' }, '.'), './b.js');
  assert.is(resolveExports('./only.js', '.'), './only.js');
  assert.is(resolveExports([{ worker: './w.js' }, './fallback.js'], '.'), './fallback.js');
});
resolve.run();

// ---

const scan = suite('scanRequires');
const scanFs = memoryFs({
  '/p/a/ok.js': "const fs = require('fs'); require('./helper'); try { require('optional-missing') } catch {}",
  '/p/a/helper.js': "require('node:path'); require('child_process')",
  '/p/a/native.js': "require('addon')",
  '/p/a/vm.js': "require('./deep')",
  '/p/a/deep.js': "const vm = require('vm')",
  '/p/a/esm.js': "import fs from 'fs'\nfs.x()",
  '/p/a/template.js': "const code = `\nexport { a } from 'x'\n`;\nmodule.exports = code;",
  '/p/a/dyn.js': "import('./x.mjs')",
  '/p/a/x.mjs': "import { a } from 'addon-esm';\nexport default a;",
  '/p/a/dyn-ok.js': "import('./y.mjs').then((m) => m.default)",
  '/p/a/y.mjs': "import fs from 'node:fs';\nimport { z } from './z.mjs';\nexport default z;",
  '/p/a/z.mjs': "export * from 'dual';\nexport const z = await import('node:vm');",
  '/p/node_modules/addon-esm/package.json': '{"type":"module","exports":{"import":"./index.js"}}',
  '/p/node_modules/addon-esm/index.js': "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nexport const a = require('./b.node');",
  '/p/node_modules/addon-esm/b.node': '',
  '/p/node_modules/dual/package.json': '{"exports":{"import":"./m.mjs","require":"./c.js"}}',
  '/p/node_modules/dual/m.mjs': 'export const fine = 1;',
  '/p/node_modules/dual/c.js': "require('cluster')",
  '/p/a/binding.js': "const b = process.binding('fs')",
  '/p/a/guarded.js': "try {\n  safer.k = process.binding('buffer').kStringMaxLength\n} catch (e) {}\nmodule.exports = 1",
  '/p/a/after-try.js': "try { a() } catch (e) {}\nconst b = process.binding('fs')",
  '/p/a/bundle.js': "var x = __require('cluster'); obj.require('vm');",
  '/p/a/esmdep.js': "require('esm')",
  '/p/node_modules/addon/package.json': '{"main":"a.node"}',
  '/p/node_modules/addon/a.node': '',
  '/p/node_modules/esm/package.json': '{"type":"module","main":"i.js"}',
  '/p/node_modules/esm/i.js': '',
});
const scans: [string, string | undefined][] = [
  ['ok.js', undefined],
  ['native.js', 'loads a native addon (/p/node_modules/addon/a.node)'],
  ['vm.js', 'uses the built-in "vm", which the isolate does not provide'],
  ['esm.js', 'ES module syntax in a CommonJS file (/p/a/esm.js)'],
  ['template.js', undefined],
  ['dyn.js', 'loads a native addon (/p/node_modules/addon-esm/b.node)'],
  ['dyn-ok.js', 'uses the built-in "vm", which the isolate does not provide'],
  ['y.mjs', 'uses the built-in "vm", which the isolate does not provide'],
  ['binding.js', 'uses process.binding or process.dlopen in /p/a/binding.js'],
  ['guarded.js', undefined],
  ['after-try.js', 'uses process.binding or process.dlopen in /p/a/after-try.js'],
  ['bundle.js', 'uses the built-in "cluster", which the isolate does not provide'],
  ['esmdep.js', 'require() of an ES module (/p/node_modules/esm/i.js)'],
  ['nope.js', 'entry nope.js not found'],
];
for (const [entry, reason] of scans) scan(`should ${reason ? `send ${entry} to the process tier` : `keep ${entry} in the isolate`}`, () => assert.is(scanRequires(scanFs, { file: entry }, '/p/a', isBuiltin).reason, reason));
scan('should scan `node -e` code too', () => {
  assert.is(scanRequires(scanFs, { code: "require('dgram')" }, '/p/a', isBuiltin).reason, 'uses the built-in "dgram", which the isolate does not provide');
  assert.is(scanRequires(scanFs, { code: "require('fs').writeFileSync('x', '1')" }, '/p/a', isBuiltin).reason, undefined);
});
scan.run();
