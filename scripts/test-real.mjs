#!/usr/bin/env node
// Real packages with install scripts, installed from the registry with safe-install and NO policy file
// (zero configuration), each in a fresh temp project; then each is required and called to prove it works.
// Every package is also installed with plain `npm install` in another temp dir, so a failure can be told
// apart: sandbox (plain npm works, safe-install does not) or machine (both fail: no compiler library, no
// network beyond the npm registry here). Writes docs/real-packages.md on a full run.
// Started by scripts/test-real (which builds first). Options:
//   --only a,b      run only the cases whose id or package name is listed (docs are not rewritten)
//   --required      run only the required cases (issue 3's list)
//   --no-baseline   skip the plain-npm comparison (halves the time, loses the machine/sandbox verdict)
//   --jobs N        packages in parallel (default 2; this machine has 2 cores)
//   --keep          keep every temp project (default: keep only the failing ones)
//   --docs / --no-docs   force writing docs/real-packages.md or not
import { spawn, execFileSync } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = process.env.SAFE_INSTALL_CLI ?? join(repo, 'dist/src/cli/main.js');
const DOC = join(repo, 'docs/real-packages.md');
const NPM_FLAGS = ['--no-audit', '--no-fund', '--foreground-scripts'];

// ---------------------------------------------------------------------------------------------
// The cases. `check` is CommonJS run with `node` in the project dir: it prints one line and exits 0
// when the package works. `note` explains what the package's script does and what this machine
// (npm registry reachable, nothing else) does to it; the run adds what it observed.
// ---------------------------------------------------------------------------------------------
const GIT_HOOK_CHECK = (hook, needle) => `
const fs = require('fs'), cp = require('child_process');
const hooksPath = (() => { try { return cp.execSync('git config core.hooksPath', { encoding: 'utf8' }).trim(); } catch { return ''; } })();
const file = (hooksPath ? hooksPath : '.git/hooks') + '/${hook}';
if (!fs.existsSync(file)) { console.log('no ' + file + (hooksPath ? ' (core.hooksPath=' + hooksPath + ')' : '')); process.exit(1); }
const body = fs.readFileSync(file, 'utf8');
if (!body.includes(${JSON.stringify(needle)})) { console.log(file + ' does not run ${needle}'); process.exit(1); }
console.log(file + ' installed' + (hooksPath ? ' via core.hooksPath=' + hooksPath : ''));`;

const CASES = [
  // ---- required (issue 3) ----
  {
    id: 'esbuild', name: 'esbuild', spec: ['esbuild'], required: true, weight: 1,
    check: `const e = require('esbuild'); const out = e.transformSync('let x: number = 1', { loader: 'ts' }).code.trim(); if (out !== 'let x = 1;') process.exit(1); console.log('transformSync ->', out, '(esbuild ' + e.version + ')');`,
    note: 'postinstall `node install.js` checks that the platform binary from the optional dependency @esbuild/linux-x64 runs (`esbuild --version`); no download when the optional dependency is installed.',
  },
  {
    id: '@swc/core', name: '@swc/core', spec: ['@swc/core'], required: true, weight: 1,
    check: `const swc = require('@swc/core'); const out = swc.transformSync('const a: number = 1', { jsc: { parser: { syntax: 'typescript' }, target: 'es5' } }).code.trim(); if (!out.startsWith('var a = 1')) process.exit(1); console.log('transformSync ->', out);`,
    note: 'postinstall `node postinstall.js` loads the native binding from @swc/core-linux-x64-gnu; it would fall back to installing @swc/wasm only when that fails.',
  },
  {
    id: 'better-sqlite3@12', name: 'better-sqlite3', spec: ['better-sqlite3@12'], required: true, weight: 5,
    check: `const D = require('better-sqlite3'); const db = new D(':memory:'); const r = db.prepare('select 1 as x, sqlite_version() as v').get(); if (r.x !== 1) process.exit(1); console.log('select 1 ->', r.x, '(SQLite ' + r.v + ')');`,
    note: 'install `prebuild-install || node-gyp rebuild --release`: the prebuilt binary is on GitHub releases, which this machine cannot reach, so both plain npm and safe-install compile it (bundled SQLite amalgamation). v13 needs Node 22.',
  },
  {
    id: 'sqlite3', name: 'sqlite3', spec: ['sqlite3'], required: true, weight: 6,
    check: `const s = require('sqlite3'); const db = new s.Database(':memory:'); db.get('select 1 + 1 as x, sqlite_version() as v', (e, r) => { if (e || r.x !== 2) { console.log(String(e)); process.exit(1); } console.log('select 1 + 1 ->', r.x, '(SQLite ' + r.v + ')'); db.close(); });`,
    note: 'install `prebuild-install -r napi || node-gyp rebuild`: GitHub releases are unreachable here, so it compiles from source (bundled SQLite).',
  },
  {
    id: 'bcrypt', name: 'bcrypt', spec: ['bcrypt'], required: true, weight: 1,
    check: `const b = require('bcrypt'); const h = b.hashSync('secret', 4); if (!b.compareSync('secret', h) || b.compareSync('other', h)) process.exit(1); console.log('hashSync ->', h.slice(0, 7) + '..., compareSync ok');`,
    note: 'bcrypt 6: install `node-gyp-build` finds the prebuild shipped in the tarball; no download, no compile.',
  },
  {
    id: 'node-pty', name: 'node-pty', spec: ['node-pty'], required: true, weight: 2,
    check: `const pty = require('node-pty'); const p = pty.spawn('/bin/echo', ['hello-from-pty'], {}); let out = ''; p.onData((d) => { out += d; }); p.onExit((e) => { if (!out.includes('hello-from-pty')) { console.log('no output: ' + JSON.stringify(out)); process.exit(1); } console.log('pty.spawn(/bin/echo) ->', out.trim(), '(exit ' + e.exitCode + ')'); process.exit(0); }); setTimeout(() => { console.log('timeout'); process.exit(1); }, 10000);`,
    note: 'install `node scripts/prebuild.js || node-gyp rebuild` uses the prebuilds shipped in the tarball; postinstall `node scripts/post-install.js` makes spawn-helper executable inside the package.',
  },
  {
    id: 'husky', name: 'husky', spec: [], required: true, weight: 1, git: true,
    manifest: { scripts: { prepare: 'husky' }, devDependencies: { husky: '^9.1.0' } },
    check: `const cp = require('child_process'), fs = require('fs'); const hp = cp.execSync('git config core.hooksPath', { encoding: 'utf8' }).trim(); if (hp !== '.husky/_' || !fs.existsSync('.husky/_/h')) { console.log('core.hooksPath=' + hp); process.exit(1); } console.log('core.hooksPath =', hp + ', .husky/_/h present');`,
    note: 'husky 9 has no install script of its own; the project (`git init`, husky in devDependencies, root `"prepare": "husky"`) is installed with a bare `install`, as a clone would be; the root prepare runs under the `project` profile: it writes .husky/_ in the project and sets core.hooksPath in .git/config.',
  },
  {
    id: 'msw@2', name: 'msw', spec: ['msw@2'], required: true, weight: 1,
    check: `const { http, HttpResponse } = require('msw'); const { setupServer } = require('msw/node'); const server = setupServer(http.get('http://api.example.test/user', () => HttpResponse.json({ name: 'mocked' }))); server.listen({ onUnhandledRequest: 'error' }); fetch('http://api.example.test/user').then((r) => r.json()).then((j) => { server.close(); if (j.name !== 'mocked') process.exit(1); console.log('mocked fetch ->', JSON.stringify(j)); }, (e) => { console.log(String(e)); process.exit(1); });`,
    note: 'postinstall `node -e "import(\'./config/scripts/postinstall.js\').catch(() => void 0)"` reads $INIT_CWD/package.json and copies the worker only when `msw.workerDirectory` is set (not here). msw 3 dropped the script, so msw@2 is tested.',
  },
  {
    id: 'protobufjs@7', name: 'protobufjs', spec: ['protobufjs@7'], required: true, weight: 1,
    check: `const pb = require('protobufjs'); const M = pb.parse('syntax = "proto3"; message M { int32 x = 1; string s = 2; }').root.lookupType('M'); const buf = M.encode(M.create({ x: 42, s: 'hi' })).finish(); const back = M.decode(buf); if (back.x !== 42 || back.s !== 'hi') process.exit(1); console.log('encode/decode ->', back.x, back.s, '(' + buf.length + ' bytes)');`,
    note: 'postinstall `node scripts/postinstall` reads package.json files to warn about version schemes; reads only.',
  },
  {
    id: 'core-js', name: 'core-js', spec: ['core-js'], required: true, weight: 1,
    check: `require('core-js/actual'); const g = Object.groupBy([1, 2, 3], (x) => (x % 2 ? 'odd' : 'even')); if (g.odd.length !== 2) process.exit(1); console.log('Object.groupBy ->', JSON.stringify(g), '[1,2,3].findLast ->', [1, 2, 3].findLast((x) => x < 3));`,
    note: 'postinstall prints a funding banner (rate-limited through a file in os.tmpdir(), the private /tmp).',
  },
  {
    id: '@parcel/watcher', name: '@parcel/watcher', spec: ['@parcel/watcher'], required: true, weight: 1,
    check: `const w = require('@parcel/watcher'), fs = require('fs'), os = require('os'), path = require('path'); const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-')); let sub; w.subscribe(dir, (err, events) => { if (err || !events.length) return; console.log('subscribe ->', events[0].type, path.basename(events[0].path)); sub.unsubscribe().then(() => { fs.rmSync(dir, { recursive: true }); process.exit(0); }); }).then((s) => { sub = s; fs.writeFileSync(path.join(dir, 'a.txt'), 'x'); }); setTimeout(() => { console.log('no event'); process.exit(1); }, 10000);`,
    note: 'install `node scripts/build-from-source.js` returns at once when the prebuilt optional dependency @parcel/watcher-linux-x64-glibc is present; otherwise node-gyp.',
  },
  {
    id: 'sharp@0.33', name: 'sharp', spec: ['sharp@0.33'], required: true, weight: 1,
    check: `const sharp = require('sharp'); sharp({ create: { width: 4, height: 3, channels: 3, background: '#ff0000' } }).png().toBuffer().then((b) => sharp(b).metadata()).then((m) => { if (m.width !== 4) process.exit(1); console.log('create+png+metadata ->', m.format, m.width + 'x' + m.height, '(libvips ' + sharp.versions.vips + ')'); }, (e) => { console.log(String(e)); process.exit(1); });`,
    note: 'install `node install/check` only verifies that the prebuilt @img/sharp-linux-x64 + @img/sharp-libvips-linux-x64 optional dependencies fit; it compiles only with a global libvips.',
  },

  // ---- more popular packages with install scripts ----
  {
    id: 'sharp@0.32', name: 'sharp', spec: ['sharp@0.32'], weight: 3,
    check: `const sharp = require('sharp'); sharp({ create: { width: 4, height: 3, channels: 3, background: '#ff0000' } }).png().toBuffer().then((b) => sharp(b).metadata()).then((m) => { console.log('create+png+metadata ->', m.format, m.width + 'x' + m.height); }, (e) => { console.log(String(e)); process.exit(1); });`,
    note: 'install `(node install/libvips && node install/dll-copy && prebuild-install) || (node install/can-compile && node-gyp rebuild && node install/dll-copy)`: libvips and the binding come from GitHub releases (unreachable here); compiling needs a global libvips >= 8.14 with its headers (not installed).',
  },
  {
    id: 'isolated-vm@5', name: 'isolated-vm', spec: ['isolated-vm@5'], weight: 10, timeout: 1800, nodeArgs: ['--no-node-snapshot'],
    check: `const ivm = require('isolated-vm'); const i = new ivm.Isolate({ memoryLimit: 16 }); const v = i.compileScriptSync('6 * 7').runSync(i.createContextSync()); if (v !== 42) process.exit(1); console.log('isolate 6 * 7 ->', v);`,
    note: 'install `prebuild-install || (node-gyp rebuild --release -j max && node-gyp clean)`: no prebuild reachable, so it compiles against V8\'s headers (minutes). Needs `node --no-node-snapshot` on Node 20.',
  },
  {
    id: 'canvas', name: 'canvas', spec: ['canvas'], weight: 2,
    check: `const { createCanvas } = require('canvas'); const c = createCanvas(8, 8); c.getContext('2d').fillRect(0, 0, 4, 4); console.log('toDataURL ->', c.toDataURL().slice(0, 30) + '...');`,
    note: 'install `prebuild-install -r napi || node-gyp rebuild`: the prebuild (with cairo bundled) is on GitHub releases, unreachable here; compiling needs the cairo/pango/jpeg/gif development packages (`apt-get install libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev`).',
  },
  {
    id: 'puppeteer', name: 'puppeteer', spec: ['puppeteer'], weight: 2,
    check: `const p = require('puppeteer'), fs = require('fs'); const exe = p.executablePath(); if (!fs.existsSync(exe)) { console.log('loads; no browser at ' + exe); process.exit(1); } console.log('browser at', exe);`,
    note: 'postinstall `node install.mjs` downloads Chrome for Testing from storage.googleapis.com into $HOME/.cache/puppeteer (granted by the browser-download profile); that host is unreachable here.',
  },
  {
    id: 'puppeteer (PUPPETEER_SKIP_DOWNLOAD=1)', name: 'puppeteer', spec: ['puppeteer'], weight: 1, env: { PUPPETEER_SKIP_DOWNLOAD: '1' },
    check: `const p = require('puppeteer'); if (typeof p.launch !== 'function') process.exit(1); console.log('loads; launch() available (browser download skipped on purpose)');`,
    note: 'The documented way to install without a browser: the variable reaches the script through the browser-download profile\'s env grant.',
  },
  {
    id: 'playwright@1.37', name: 'playwright', spec: ['playwright@1.37'], weight: 1,
    check: `const { chromium } = require('playwright'), fs = require('fs'); const exe = chromium.executablePath(); if (!fs.existsSync(exe)) { console.log('loads; no browser at ' + exe); process.exit(1); } console.log('browser at', exe);`,
    note: 'Playwright before 1.38 had install `node install.js` downloading browsers from the Playwright CDNs into $HOME/.cache/ms-playwright (unreachable here). Current versions have no install script.',
  },
  {
    id: 'cypress', name: 'cypress', spec: ['cypress'], weight: 2,
    check: `const cp = require('child_process'); try { const out = cp.execFileSync('node_modules/.bin/cypress', ['verify'], { encoding: 'utf8', stdio: 'pipe' }); console.log('cypress verify ->', out.trim().split('\\n').pop()); } catch (e) { console.log('loads; cypress verify fails: ' + String(e.stdout || e.message).trim().split('\\n').slice(0, 2).join(' ')); process.exit(1); }`,
    note: 'postinstall `node dist/index.js --exec install` reads system facts (`hostname -f`, /etc/os-release, dmesg) and downloads the Cypress app from download.cypress.io (through the proxy, granted by browser-download) into $HOME/.cache/Cypress; unreachable here. The script reports the failure and exits 0.',
  },
  {
    id: 'cypress (CYPRESS_INSTALL_BINARY=0)', name: 'cypress', spec: ['cypress'], weight: 1, env: { CYPRESS_INSTALL_BINARY: '0' },
    check: `const c = require('cypress'); if (typeof c.run !== 'function') process.exit(1); console.log('loads; run() available (binary install skipped on purpose)');`,
    note: 'The documented way to skip the binary: the variable reaches the script through the browser-download profile\'s env grant.',
  },
  {
    id: 'electron@38', name: 'electron', spec: ['electron@38'], weight: 2,
    check: `try { const exe = require('electron'); console.log('binary at', exe); } catch (e) { console.log(String(e.message).split('\\n')[0]); process.exit(1); }`,
    note: 'postinstall `node install.js` (@electron/get) downloads the Electron zip from GitHub releases (granted by its known-packages entry) through safe-install\'s proxy: @electron/get ignores proxy variables unless ELECTRON_GET_USE_PROXY is set, which the sandbox now sets. GitHub is unreachable here. Electron 45 (latest) has no install script any more, so 38 is tested.',
  },
  {
    id: 'electron@38 (ELECTRON_SKIP_BINARY_DOWNLOAD=1)', name: 'electron', spec: ['electron@38'], weight: 1, env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    check: `const fs = require('fs'); if (!fs.existsSync('node_modules/electron/index.js')) process.exit(1); console.log('installed without the binary (download skipped on purpose)');`,
    note: 'The documented skip variable reaches the script through the known-packages env grant.',
  },
  {
    id: 'prisma', name: 'prisma', spec: ['prisma'], weight: 2,
    check: `const cp = require('child_process'); try { const out = cp.execFileSync('node_modules/.bin/prisma', ['--version'], { encoding: 'utf8', stdio: 'pipe', timeout: 60000 }); console.log('prisma --version ->', out.trim().split('\\n')[0]); } catch (e) { console.log('prisma --version fails: ' + String(e.stderr || e.message).trim().split('\\n').slice(0, 2).join(' ')); process.exit(1); }`,
    note: 'prisma preinstall checks the Node version; @prisma/engines postinstall fetches engines from binaries.prisma.sh when they are needed (unreachable here).',
  },
  {
    id: 'nx', name: 'nx', spec: ['nx'], weight: 2,
    check: `const cp = require('child_process'); const out = cp.execFileSync('node_modules/.bin/nx', ['--version'], { encoding: 'utf8', stdio: 'pipe', timeout: 60000 }); console.log('nx --version ->', out.trim().split('\\n').filter(Boolean).join(' '));`,
    note: 'postinstall `node -e "try{require(\'./dist/bin/post-install\')}catch(e){}"` checks the native binding and, only in Nx Cloud workspaces, updates the cloud client.',
  },
  {
    id: 'lefthook', name: 'lefthook', spec: ['lefthook'], weight: 1, git: true,
    files: { 'lefthook.yml': 'pre-commit:\n  commands:\n    hello:\n      run: echo lefthook-hook-ran\n' },
    check: GIT_HOOK_CHECK('pre-commit', 'lefthook'),
    note: 'postinstall `node postinstall.js` runs the lefthook binary (optional dependency lefthook-linux-x64) with `install`: reads lefthook.yml and writes .git/hooks/*.',
  },
  {
    id: 'simple-git-hooks', name: 'simple-git-hooks', spec: [], weight: 1, git: true,
    manifest: { devDependencies: { 'simple-git-hooks': '^2.11.0' }, 'simple-git-hooks': { 'pre-commit': 'echo simple-git-hooks-ran' } },
    check: GIT_HOOK_CHECK('pre-commit', 'simple-git-hooks-ran'),
    note: 'postinstall `node ./postinstall.js` reads the project\'s package.json (it acts only when simple-git-hooks is already listed there, so the project is installed with a bare `install`, as a clone would be) and writes .git/hooks/pre-commit.',
  },
  {
    id: 'segfault-handler (no nodedir)', name: 'segfault-handler', spec: ['segfault-handler'], weight: 2, nodeGypCacheHome: true,
    check: `const h = require('segfault-handler'); h.registerHandler('crash.log'); console.log('registerHandler ok (native addon loaded)');`,
    note: 'An addon with a binding.gyp, no install script and no known-packages entry: npm runs its implicit `node-gyp rebuild` under the `default` profile. Run the way most machines are set up: HOME is a fresh directory whose ~/.cache/node-gyp already holds the Node headers (as after any earlier addon build) and npm_config_nodedir is unset, so node-gyp needs that cache (this machine\'s own npmrc sets nodedir=/usr, which hides the problem).',
  },
  {
    id: 'bufferutil', name: 'bufferutil', spec: ['bufferutil'], weight: 1,
    check: `const b = require('bufferutil'); const out = Buffer.alloc(4); b.mask(Buffer.from([1, 2, 3, 4]), Buffer.from([1, 1, 1, 1]), out, 0, 4); if (out[0] !== 0) process.exit(1); console.log('mask ->', [...out].join(','));`,
    note: 'install `node-gyp-build`: prebuilds shipped in the tarball.',
  },
  {
    id: 'utf-8-validate', name: 'utf-8-validate', spec: ['utf-8-validate'], weight: 1,
    check: `const v = require('utf-8-validate'); if (!v(Buffer.from('héllo')) || v(Buffer.from([0xff]))) process.exit(1); console.log('isValidUTF8 ok');`,
    note: 'install `node-gyp-build`: prebuilds shipped in the tarball.',
  },
  {
    id: 'argon2', name: 'argon2', spec: ['argon2'], weight: 1,
    check: `const a = require('argon2'); a.hash('secret').then((h) => a.verify(h, 'secret').then((ok) => { if (!ok) process.exit(1); console.log('hash+verify ->', h.slice(0, 12) + '...'); }));`,
    note: 'install `cross-env ZERO_AR_DATE=1 node-gyp-build`: prebuilds shipped in the tarball.',
  },
  {
    id: 'ssh2', name: 'ssh2', spec: ['ssh2'], weight: 2,
    check: `const fs = require('fs'); require('ssh2'); const built = fs.existsSync('node_modules/ssh2/lib/protocol/crypto/build/Release/sshcrypto.node'); const cf = (() => { try { return Object.keys(require('cpu-features')().flags).length; } catch { return 0; } })(); console.log('loads; optional sshcrypto binding ' + (built ? 'built' : 'not built') + ', cpu-features flags: ' + cf); if (!built) process.exit(1);`,
    note: 'install `node install.js` compiles the optional sshcrypto binding with node-gyp (failure ignored); the optional dependency cpu-features compiles too (`node buildcheck.js > buildcheck.gypi && node-gyp rebuild`).',
  },
  {
    id: 're2', name: 're2', spec: ['re2'], weight: 6,
    check: `const RE2 = require('re2'); const r = new RE2('a+(b)'); if (!r.test('xaab')) process.exit(1); console.log('RE2 test ->', 'xaab'.match(r)[0]);`,
    note: 'install `install-from-cache ... || node-gyp -j max rebuild`: the binary is on GitHub releases (unreachable here), so it compiles RE2 and abseil from source (minutes). install-from-cache ignores proxy variables (its proxy support is a DOWNLOAD_AGENT module), so under safe-install it always compiles, even where GitHub is reachable; the fallback `npm run rebuild` is a nested npm.',
  },
  {
    id: 'deasync', name: 'deasync', spec: ['deasync'], weight: 1,
    check: `const d = require('deasync'); const t = Date.now(); d.sleep(20); console.log('sleep(20) ->', Date.now() - t, 'ms');`,
    note: 'install `node ./build.js` uses a shipped binary for the Node ABI when one fits, else node-gyp.',
  },
  {
    id: 'msgpackr-extract', name: 'msgpackr-extract', spec: ['msgpackr-extract', 'msgpackr'], weight: 1,
    check: `const { pack, unpack, isNativeAccelerationEnabled } = require('msgpackr'); const v = unpack(pack({ a: 'x'.repeat(40), b: [1, 2] })); if (v.b[1] !== 2) process.exit(1); console.log('pack/unpack ok, native acceleration:', isNativeAccelerationEnabled); if (!isNativeAccelerationEnabled) process.exit(1);`,
    note: 'install `node-gyp-build-optional-packages`: the binary comes from the optional dependency @msgpackr-extract/msgpackr-extract-linux-x64.',
  },
  {
    id: 'keytar', name: 'keytar', spec: ['keytar'], weight: 2,
    check: `const k = require('keytar'); console.log('loads; getPassword is a', typeof k.getPassword);`,
    note: 'install `prebuild-install || npm run build`: the prebuild is on GitHub releases (unreachable); compiling needs libsecret-1-dev.',
  },
  {
    id: 'grpc-tools', name: 'grpc-tools', spec: ['grpc-tools'], weight: 1,
    check: `const cp = require('child_process'); const out = cp.execFileSync('node_modules/.bin/grpc_tools_node_protoc', ['--version'], { encoding: 'utf8', stdio: 'pipe' }); console.log('protoc --version ->', out.trim());`,
    note: 'install `node-pre-gyp install` downloads protoc and the plugin from node-precompiled-binaries.grpc.io (unreachable here); there is no compile fallback.',
  },
  {
    id: '@sentry/cli', name: '@sentry/cli', spec: ['@sentry/cli'], weight: 1,
    check: `const cp = require('child_process'); const out = cp.execFileSync('node_modules/.bin/sentry-cli', ['--version'], { encoding: 'utf8', stdio: 'pipe' }); console.log('sentry-cli --version ->', out.trim());`,
    note: 'postinstall `node ./scripts/install.js` checks the binary from the optional dependency @sentry/cli-linux-x64 and downloads from downloads.sentry-cdn.com only when it is missing.',
  },
  {
    id: 'bun', name: 'bun', spec: ['bun'], weight: 1,
    check: `const cp = require('child_process'); const out = cp.execFileSync('node_modules/.bin/bun', ['--version'], { encoding: 'utf8', stdio: 'pipe' }); console.log('bun --version ->', out.trim());`,
    note: 'postinstall `node install.js` checks the binary from the optional dependency @oven/bun-linux-x64 (downloading it from the npm registry when missing), then **renames** it out of node_modules/@oven/bun-linux-x64/bin/bun into its own bin/bun.exe and throws when that fails.',
    limitation: 'By design: the rename takes a file out of another package (node_modules/@oven/bun-linux-x64), which safe-install keeps read-only; across the sandbox\'s bind mounts it fails with EXDEV, so no grant can allow it short of making all of node_modules writable. Workaround: `"bun": { "run": false }` and run `node node_modules/bun/install.js` yourself, or install bun with its own installer.',
  },
  {
    id: 'es5-ext', name: 'es5-ext', spec: ['es5-ext'], weight: 1,
    check: `const last = require('es5-ext/array/#/last'); if (last.call([1, 2, 3]) !== 3) process.exit(1); console.log('array last ->', last.call([1, 2, 3]));`,
    note: 'postinstall prints a message depending on the time zone; reads only.',
  },
  {
    id: 'core-js-pure', name: 'core-js-pure', spec: ['core-js-pure'], weight: 1,
    check: `const at = require('core-js-pure/actual/array/at'); if (at([1, 2, 3], -1) !== 3) process.exit(1); console.log('at([1,2,3], -1) ->', at([1, 2, 3], -1));`,
    note: 'Same funding banner as core-js.',
  },
  {
    id: '@scarf/scarf', name: '@scarf/scarf', spec: ['@scarf/scarf'], weight: 1,
    check: `require('@scarf/scarf/package.json'); console.log('installed (the package has no API; its postinstall is install analytics)');`,
    note: 'postinstall `node ./report.js` runs `npm ls @scarf/scarf --json --long` and sends install analytics to scarf.sh (a dependency of many packages). Not in known-packages: the default profile gives it no network, so the nested npm\'s registry request is refused and nothing is sent; the script ignores the failure.',
  },
];

// What a denied event, network attempt or finding seen in these runs means; matched against the report's
// lines ("<kind> <target>", "<decision> <host:port> (<detail>)", "<level> <rule>: <message>").
const EXPLAIN = [
  [/fs\.read \S*\/\.(config\/)?prebuild-install/, 'prebuild-install reads its rc files (~/.prebuild-installrc, ~/.config/prebuild-install, ...) from HOME: hidden, and rightly so (they may hold a GitHub `token`), but each probe is a denied event.'],
  [/\.cache\/swc-native-/, '@swc/core\'s binding unpacks itself into $HOME/.cache/swc-native-<uid> when loaded: contained in the throwaway HOME (the postinstall only checks that it loads); no grant can name a per-uid directory.'],
  [/fs\.read \$PROJECT\/\.npmrc/, 'a nested npm reads the project\'s .npmrc (absent here): a credential file name, hidden from dependencies.'],
  [/fs\.read \S*\/\.gitconfig/, 'git reads the user\'s ~/.gitconfig: hidden (it may hold credentials in URLs).'],
  [/lefthook\.checksum/, 'lefthook stores a config checksum in .git/info, which the git-hooks profile keeps read-only (.git/info holds exclude, attributes, grafts); hooks are installed, the checksum is written on its next run.'],
  [/net\.connect \d+\.\d+\.\d+\.\d+:53\b/, 'a direct DNS lookup: the client ignores the proxy variables, and the sandbox has no network.'],
  [/denied net\.connect registry\.npmjs\.org:443/, 'network refused by the default profile (no network).'],
  [/cannot resolve/, 'The proxy allowed the granted host; this machine cannot resolve it (no network beyond the npm registry).'],
  [/tamper: \S*\/\.(cache|npm)\S* was added/, 'tamper finding for a granted cache dir that safe-install itself created before the script (bwrap can only bind what exists).'],
];

// ---------------------------------------------------------------------------------------------
const args = parseArgs(process.argv.slice(2));
const selected = CASES.filter((c) => (args.only ? args.only.some((o) => o === c.id || o === c.name || o === c.spec[0]) : true) && (!args.required || c.required));
if (selected.length === 0) {
  console.error(`test-real: no case matches ${args.only?.join(', ')}; ids: ${CASES.map((c) => c.id).join(', ')}`);
  process.exit(2);
}
const writeDocs = args.docs ?? (!args.only && !args.required);
if (!existsSync(CLI)) {
  console.error(`test-real: ${CLI} is missing; run scripts/setup (scripts/test-real does it for you)`);
  process.exit(2);
}
const work = mkdtempSync('/tmp/safe-install-real.');
const started = Date.now();
const env = machineFacts();
console.log(`test-real: ${selected.length} packages, ${args.jobs} at a time, baseline ${args.baseline ? 'plain npm' : 'off'}, work dir ${work}`);
console.log(`test-real: ${env.node}, npm ${env.npm}, ${env.bwrap}, ${env.strace}`);

const results = await pool([...selected].sort((a, b) => (b.weight ?? 1) - (a.weight ?? 1)), args.jobs, runCase);
const ordered = selected.map((c) => results.find((r) => r.case === c));
const totalMs = Date.now() - started;

printTable(ordered);
const failures = ordered.filter((r) => (r.case.required && r.verdict !== 'pass') || r.verdict === 'sandbox');
for (const r of failures) console.log(`test-real: FAIL ${r.case.id}: ${r.verdict}; see ${r.dir}`);
console.log(`\ntest-real: ${ordered.filter((r) => r.verdict === 'pass').length}/${ordered.length} work under safe-install; ` +
  `required: ${ordered.filter((r) => r.case.required && r.verdict === 'pass').length}/${ordered.filter((r) => r.case.required).length}; ` +
  `sandbox-caused failures: ${ordered.filter((r) => r.verdict === 'sandbox').length}; total ${fmtDuration(totalMs)}`);
if (writeDocs) {
  writeFileSync(DOC, markdown(ordered, totalMs));
  console.log(`test-real: wrote ${DOC}`);
}
for (const r of ordered) {
  if (!args.keep && r.verdict === 'pass') for (const sub of ['safe', 'plain']) rmSync(join(r.dir, sub), { recursive: true, force: true });
}
console.log(`test-real: logs and ${args.keep ? 'all' : 'failing'} projects kept in ${work}`);
process.exit(failures.length ? 1 : 0);

// ---------------------------------------------------------------------------------------------
async function runCase(c) {
  const dir = join(work, slug(c.id));
  mkdirSync(dir, { recursive: true });
  const timeoutMs = (c.timeout ?? 600) * 1000;
  const t0 = Date.now();
  process.stdout.write(`  start ${c.id}\n`);
  const safe = await installAndCheck(c, join(dir, 'safe'), [process.execPath, CLI, 'install', ...c.spec, ...NPM_FLAGS], join(dir, 'safe-install.log'), timeoutMs);
  const plain = args.baseline ? await installAndCheck(c, join(dir, 'plain'), ['npm', 'install', ...c.spec, ...NPM_FLAGS], join(dir, 'plain-npm.log'), timeoutMs) : undefined;
  const verdict = safe.works ? 'pass' : !plain ? 'fail' : plain.works ? (c.limitation ? 'limitation' : 'sandbox') : 'machine';
  const r = { case: c, dir, safe, plain, verdict, report: safe.report ? summarize(safe.report, c) : undefined };
  process.stdout.write(`  done  ${c.id}: ${verdict} (safe-install ${fmtDuration(safe.ms)}${plain ? `, plain npm ${fmtDuration(plain.ms)}` : ''}; ${fmtDuration(Date.now() - t0)} in all)\n`);
  return r;
}

async function installAndCheck(c, dir, argv, log, timeoutMs) {
  mkdirSync(dir, { recursive: true });
  const manifest = { name: `real-${slug(c.id)}`.slice(0, 200), version: '1.0.0', private: true, ...(c.manifest ?? {}) };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [file, body] of Object.entries(c.files ?? {})) writeFileSync(join(dir, file), body);
  if (c.git) execFileSync('git', ['init', '-q'], { cwd: dir });
  const runEnv = { ...process.env, ...(c.env ?? {}) };
  delete runEnv.SAFE_INSTALL_CLI;
  if (c.nodeGypCacheHome) Object.assign(runEnv, nodeGypCacheHome(join(dirname(dir), 'home')), { npm_config_nodedir: undefined });
  for (const [k, v] of Object.entries(runEnv)) if (v === undefined) delete runEnv[k];
  let install = await run(argv[0], argv.slice(1), { cwd: dir, env: runEnv, timeoutMs, log });
  for (let attempt = 1; attempt <= 3 && argv[1] === CLI && install.code !== 0 && cliCrashedAtStart(dir, log); attempt++) {
    // dist/ was being rebuilt (scripts/setup removes it first): wait and start over in a clean project.
    appendFileSync(log, `\n[safe-install did not start (dist/ incomplete?); retry ${attempt} in 20 s]\n`);
    await new Promise((r) => setTimeout(r, 20_000));
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    rmSync(join(dir, 'package-lock.json'), { force: true });
    install = await run(argv[0], argv.slice(1), { cwd: dir, env: runEnv, timeoutMs, log });
  }
  writeFileSync(join(dir, 'check-real.cjs'), c.check);
  const check = await run(process.execPath, [...(c.nodeArgs ?? []), 'check-real.cjs'], { cwd: dir, env: runEnv, timeoutMs: 60_000, capture: true });
  const reportFile = join(dir, 'node_modules/.safe-install/report.json');
  const report = existsSync(reportFile) ? readJson(reportFile) : undefined;
  return {
    exitCode: install.code,
    signal: install.signal,
    timedOut: install.timedOut,
    ms: install.ms,
    works: check.code === 0,
    checkOutput: lastLines(check.output, 3),
    version: readJson(join(dir, 'node_modules', c.name, 'package.json'))?.version ?? report?.scripts?.find((x) => x.name === c.name)?.version,
    report,
    logTail: lastLines(readFileSafe(log), 25),
  };
}

// Run a command in its own process group; a timeout kills the whole group (npm, shims; each bwrap
// sandbox dies with its shim through --die-with-parent).
function run(file, argv, { cwd, env, timeoutMs, log, capture }) {
  return new Promise((done) => {
    const startedAt = Date.now();
    let fd;
    if (log) {
      appendFileSync(log, `$ ${[file, ...argv].join(' ')}   (in ${cwd})\n`);
      fd = openSync(log, 'a');
    }
    const child = spawn(file, argv, { cwd, env, detached: true, stdio: ['ignore', capture ? 'pipe' : fd, capture ? 'pipe' : fd] });
    let output = '';
    const collect = (chunk) => { output = (output + chunk).slice(-20_000); };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000).unref();
    }, timeoutMs);
    const finish = (code, signal, error) => {
      clearTimeout(timer);
      if (fd !== undefined) closeSync(fd);
      if (log) appendFileSync(log, `\n[exit ${code ?? signal}${timedOut ? `, killed after ${timeoutMs / 1000} s` : ''}${error ? `, ${error}` : ''}, ${Date.now() - startedAt} ms]\n`);
      done({ code: error ? 127 : code, signal, timedOut, ms: Date.now() - startedAt, output: output + (error ? `\n${error}` : '') });
    };
    child.on('error', (e) => finish(null, null, String(e.message)));
    child.on('close', (code, signal) => finish(code, signal));
  });
}

// A fresh HOME whose node-gyp cache holds this Node's headers (what `node-gyp install` leaves there), copied
// from the headers Debian installs with node; no npmrc, so npm_config_nodedir is unset.
function nodeGypCacheHome(home) {
  const version = process.version.slice(1);
  const headers = join(dirname(dirname(process.execPath)), 'include/node');
  const devDir = join(home, '.cache/node-gyp', version);
  if (existsSync(join(devDir, 'installVersion'))) return { HOME: home };
  mkdirSync(join(devDir, 'include'), { recursive: true });
  execFileSync('cp', ['-r', headers, join(devDir, 'include/node')]);
  const gypManifest = join(dirname(dirname(realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim()))), 'node_modules/node-gyp/package.json');
  writeFileSync(join(devDir, 'installVersion'), `${readJson(gypManifest)?.installVersion ?? 11}\n`);
  return { HOME: home };
}

function cliCrashedAtStart(dir, log) {
  if (existsSync(join(dir, 'node_modules/.safe-install/report.json'))) return false;
  const tail = readFileSafe(log).split('[safe-install did not start').pop();
  return /ERR_MODULE_NOT_FOUND|Cannot find module '\/.*dist\/|SyntaxError: The requested module/.test(tail);
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

// What the JSON report says: scripts, denied events, network attempts, compiler runs.
function summarize(report, c) {
  const scripts = (report.scripts ?? []).map((s) => ({
    label: `${s.identitySource === 'root' || s.path === '' ? '(root) ' : s.name === c.name ? '' : `${s.name} `}${s.event}`,
    package: s.package, event: s.event, outcome: s.outcome, ms: s.durationMs, tier: s.tier, tierReason: s.tierReason, profile: s.profile, reason: s.reason, tail: s.outputTail, exitCode: s.exitCode, command: s.command,
  }));
  const events = report.events ?? [];
  // Temp paths differ on every run: name them by what they are.
  const names = [[report.projectDir, '$PROJECT'], ...(c.nodeGypCacheHome && report.projectDir ? [[join(dirname(report.projectDir), 'home'), '$HOME']] : [])].filter(([p]) => p);
  const rel = (t) => names.reduce((acc, [p, n]) => (acc === p || acc.startsWith(`${p}/`) ? n + acc.slice(p.length) : acc), String(t));
  const denied = groupBy(events.filter((e) => e.decision === 'denied' || e.decision === 'asked-denied'), (e) => `${e.kind} ${rel(e.target)}`);
  const net = groupBy(events.filter((e) => e.kind === 'net.connect' || e.kind === 'net.dns'), (e) => `${e.decision} ${e.target}${e.detail ? ` (${e.detail})` : ''}`);
  // What fails `--ci`: a refusal not marked `expected` (a tool's usual start-up).
  const deviations = events.filter((e) => (e.decision === 'denied' || e.decision === 'asked-denied') && !e.expected).length;
  const compilerRuns = events.filter((e) => e.kind === 'proc.exec' && /^(cc1plus|cc1|g\+\+|gcc|c\+\+|cc|clang\+\+|clang)$/.test(basename(String(e.target)))).length;
  const findings = (report.findings ?? []).map((f) => `${f.level} ${f.rule}: ${f.message}`);
  return { scripts, denied, deviations, net, compilerRuns, findings, exitCode: report.exitCode, durationMs: report.durationMs, npmExit: report.npm?.exitCode };
}

function groupBy(items, key) {
  const map = new Map();
  for (const item of items) map.set(key(item), (map.get(key(item)) ?? 0) + 1);
  return [...map.entries()].map(([k, n]) => (n > 1 ? `${k} (x${n})` : k));
}

// ---------------------------------------------------------------------------------------------
function row(r) {
  const s = r.report;
  const scripts = s ? (s.scripts.length ? s.scripts.map((x) => x.label).join(', ') : 'none ran') : 'no report';
  const outcome = s ? (s.scripts.length ? summarizeOutcomes(s.scripts) : '—') : r.safe.timedOut ? 'timeout' : `exit ${r.safe.exitCode}`;
  const denied = s?.denied.length ? `${s.denied.slice(0, 3).join('; ')}${s.denied.length > 3 ? `; +${s.denied.length - 3} more` : ''}` : 'none';
  return {
    package: `${r.case.id}${r.case.required ? ' *' : ''}`,
    version: r.safe.version ?? r.plain?.version ?? '?',
    scripts,
    outcome,
    tier: s ? tierSummary(s.scripts) : '—',
    works: r.safe.works ? 'yes' : 'no',
    plain: r.plain ? (r.plain.works ? 'yes' : 'no') : '—',
    verdict: r.verdict,
    time: `${fmtDuration(r.safe.ms)}${r.plain ? ` / ${fmtDuration(r.plain.ms)}` : ''}`,
    denied,
    notes: autoNotes(r).join(' '),
  };
}

function tierSummary(scripts) {
  const tiers = [...new Set(scripts.filter((x) => x.tier !== 'none').map((x) => x.tier))];
  return tiers.length ? tiers.join('+') : '—';
}

function summarizeOutcomes(scripts) {
  const counts = new Map();
  for (const s of scripts) counts.set(s.outcome, (counts.get(s.outcome) ?? 0) + 1);
  if (counts.size === 1 && counts.has('ok')) return 'ok';
  return scripts.map((s) => (s.outcome === 'ok' ? null : `${s.label}: ${s.outcome}${s.exitCode != null && s.outcome === 'failed' ? ` (exit ${s.exitCode})` : ''}`)).filter(Boolean).join(', ') + (counts.get('ok') ? `; ${counts.get('ok')} ok` : '');
}

function autoNotes(r) {
  const notes = [];
  const s = r.report;
  if (r.verdict === 'sandbox') notes.push('SANDBOX FAILURE: plain npm works, safe-install does not.');
  if (r.verdict === 'limitation') notes.push('Known sandbox limitation (see below).');
  if (r.verdict === 'machine') notes.push('Machine limit: plain npm fails too.');
  if (r.safe.timedOut) notes.push(`safe-install killed after ${(r.case.timeout ?? 600)} s.`);
  if (r.plain?.timedOut) notes.push(`plain npm killed after ${(r.case.timeout ?? 600)} s.`);
  if (s?.compilerRuns) notes.push(`Compiled from source (${s.compilerRuns} compiler runs).`);
  if (s && s.exitCode !== 0) notes.push(`safe-install exit ${s.exitCode}.`);
  else if (s?.deviations) notes.push(`Exit 0; \`--ci\` would fail on ${s.deviations} denied event(s) not marked expected.`);
  else if (s?.denied.length) notes.push('Exit 0; every denied event is marked `expected` (a tool\'s usual start-up): `--ci` passes.');
  if (r.safe.works !== (r.plain?.works ?? r.safe.works)) notes.push(`Plain npm ${r.plain.works ? 'works' : 'does not work'}.`);
  notes.push(...explained(r));
  return notes;
}

function explained(r) {
  const s = r.report;
  const lines = s ? [...s.denied.map((d) => `denied ${d}`), ...s.net, ...s.findings] : [];
  return EXPLAIN.filter(([re]) => lines.some((l) => re.test(l))).map(([, text]) => text);
}

// Each explained kind of event, with the packages it showed up in.
function eventSection(results) {
  const out = ['## Denied events and findings, by cause', ''];
  let any = false;
  for (const [, text] of EXPLAIN) {
    const who = results.filter((r) => explained(r).includes(text)).map((r) => r.case.id);
    if (!who.length) continue;
    any = true;
    out.push(`- ${text} (${who.join(', ')})`);
  }
  if (!any) out.push('- none');
  out.push('');
  return out;
}

function printTable(results) {
  const rows = results.map(row);
  const cols = ['package', 'version', 'scripts', 'outcome', 'tier', 'works', 'plain', 'verdict', 'time', 'denied'];
  const width = Object.fromEntries(cols.map((k) => [k, Math.min(k === 'denied' ? 60 : 44, Math.max(k.length, ...rows.map((x) => x[k].length)))]));
  const line = (x) => cols.map((k) => clip(x[k], width[k]).padEnd(width[k])).join('  ');
  console.log(`\n${line(Object.fromEntries(cols.map((k) => [k, k])))}`);
  console.log(cols.map((k) => '-'.repeat(width[k])).join('  '));
  for (const x of rows) console.log(line(x));
  console.log('(* = required by issue 3; time = safe-install / plain npm wall time; verdict: pass; machine = fails with plain npm too; sandbox = only safe-install fails (a bug); limitation = only safe-install fails, by design)');
}

function markdown(results, totalMs) {
  const rows = results.map(row);
  const esc = (t) => String(t).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const out = [];
  out.push('# Real packages with install scripts under safe-install');
  out.push('');
  out.push('Generated by `scripts/test-real` (not part of `scripts/test`: it needs the npm registry and minutes of native');
  out.push('compiling). Each package is installed from the registry into a fresh temp project with');
  out.push('`safe-install install <pkg>` and **no policy file** (zero configuration: known-packages grants or the default');
  out.push('profile), then required and called. The same install with plain `npm install <pkg>` in another temp');
  out.push('project tells a sandbox failure from a limit of the machine.');
  out.push('');
  out.push(`Run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${env.node}, npm ${env.npm}, ${env.bwrap}, ${env.strace}, ${env.kernel}, ${env.cores} cores.`);
  out.push(`Total runtime of scripts/test-real: ${fmtDuration(totalMs)} (${args.jobs} packages at a time, plain-npm baseline ${args.baseline ? 'on' : 'off'}).`);
  out.push('');
  out.push('**This machine reaches the npm registry and nothing else** (no github.com, nodejs.org, storage.googleapis.com,');
  out.push('binaries.prisma.sh, ...). Packages whose install downloads a binary from those hosts fall back to compiling');
  out.push('(when they can) or fail with plain npm exactly as with safe-install; the verdict column says which.');
  out.push('Node headers come from `nodedir=/usr` in the user\'s npmrc (passed as `npm_config_nodedir`), so node-gyp needs no download,');
  out.push('except in the `(no nodedir)` case, which runs with a fresh HOME whose ~/.cache/node-gyp holds the headers.');
  out.push('');
  out.push(`Result: ${results.filter((r) => r.verdict === 'pass').length}/${results.length} work under safe-install; required (*): ` +
    `${results.filter((r) => r.case.required && r.verdict === 'pass').length}/${results.filter((r) => r.case.required).length}; ` +
    `failures caused by the sandbox: ${results.filter((r) => r.verdict === 'sandbox').length} unexpected, ${results.filter((r) => r.verdict === 'limitation').length} known limitation; ` +
    `failures of this machine (plain npm fails too): ${results.filter((r) => r.verdict === 'machine').length}.`);
  out.push('');
  out.push('| package | version | scripts | outcome | tier | works? | plain npm works? | time (safe-install / npm) | denied events worth noting | notes |');
  out.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const [i, x] of rows.entries()) {
    const r = results[i];
    out.push(`| ${esc(x.package)} | ${esc(x.version)} | ${esc(x.scripts)} | ${esc(x.outcome)} | ${x.tier} | ${x.works} | ${x.plain} | ${x.time} | ${esc(x.denied)} | ${esc([...autoNotes(r), r.case.finding ?? ''].join(' ').trim())} |`);
  }
  out.push('');
  out.push('`*` = required by issue 3. "scripts" names the lifecycle scripts that ran (prefixed by the package when it is a');
  out.push('dependency of the package under test). "tier": `isolate` = the script ran in isolated-vm, `process` = bubblewrap');
  out.push('(the per-script reason for a `node` script that fell back is in the details below). "works?" = the package was');
  out.push('required and called after the install. "time" is the wall time of the whole install (resolve, fetch, scripts,');
  out.push('report), two packages at a time on 2 cores, so compile times are inflated for both columns alike.');
  out.push('"denied events" are from the JSON report (`decision: denied`); those not marked `expected` make `--ci` fail.');
  out.push('');
  out.push(...tierSection(results));
  out.push(...eventSection(results));
  out.push('## Per package');
  for (const r of results) {
    const s = r.report;
    out.push('');
    out.push(`### ${r.case.id}${r.case.required ? ' (required)' : ''}`);
    out.push('');
    out.push(`\`safe-install install${r.case.spec.length ? ` ${r.case.spec.join(' ')}` : ''}\`${r.case.manifest?.devDependencies ? ` of a project with devDependencies \`${JSON.stringify(r.case.manifest.devDependencies)}\`` : ''}${r.case.env ? ` with ${Object.entries(r.case.env).map(([k, v]) => `\`${k}=${v}\``).join(' ')}` : ''}${r.case.git ? ' in a `git init` project' : ''}${r.case.manifest?.scripts ? ` with root scripts \`${JSON.stringify(r.case.manifest.scripts)}\`` : ''}.`);
    out.push(`${r.case.note}`);
    if (r.case.finding) out.push(`\n${r.case.finding}`);
    if (r.case.limitation) out.push(`\n**Known limitation.** ${r.case.limitation}`);
    out.push('');
    if (s) {
      for (const x of s.scripts) out.push(`- ${x.package} ${x.event} \`${x.command}\`: ${x.outcome} in ${fmtDuration(x.ms)} (${x.tier} tier${x.tierReason ? `: ${x.tierReason}` : ''}; profile ${x.profile})${x.reason ? `: ${x.reason}` : ''}`);
      if (!s.scripts.length) out.push('- no lifecycle script ran');
      out.push(`- denied events: ${s.denied.length ? s.denied.map((d) => `\`${clip(d, 160)}\``).join(', ') : 'none'}`);
      if (s.net.length) out.push(`- network: ${s.net.map((d) => `\`${d}\``).join(', ')}`);
      if (s.findings.length) out.push(`- findings: ${s.findings.join('; ')}`);
      out.push(`- safe-install exit ${s.exitCode} (npm exit ${s.npmExit}), ${fmtDuration(r.safe.ms)}`);
    } else {
      out.push(`- no report (safe-install exit ${r.safe.exitCode}${r.safe.timedOut ? ', killed by the time limit' : ''})`);
    }
    out.push(`- works under safe-install: **${r.safe.works ? 'yes' : 'no'}**: ${r.safe.checkOutput || '(no output)'}`);
    if (r.plain) out.push(`- plain npm: exit ${r.plain.exitCode}${r.plain.timedOut ? ' (killed by the time limit)' : ''} in ${fmtDuration(r.plain.ms)}, works: **${r.plain.works ? 'yes' : 'no'}**: ${r.plain.checkOutput || '(no output)'}`);
    const failedTails = s ? s.scripts.filter((x) => x.outcome !== 'ok' && x.tail).map((x) => `${x.package} ${x.event}:\n${lastLines(x.tail, 12)}`) : [];
    if (!r.safe.works && failedTails.length) {
      out.push('');
      out.push('```');
      out.push(...failedTails);
      out.push('```');
    }
  }
  out.push('');
  return out.join('\n');
}

// Which `node` lifecycle scripts ran in the isolate tier, which fell back to the process tier and why (issue 5).
function tierSection(results) {
  const scripts = results.flatMap((r) => r.report?.scripts ?? []).filter((x) => x.tier === 'isolate' || x.tier === 'process');
  const seen = new Set();
  const unique = scripts.filter((x) => { const k = `${x.package} ${x.event}`; if (seen.has(k)) return false; seen.add(k); return true; });
  const nodeForm = unique.filter((x) => /^node\s/.test(x.command ?? ''));
  const isolate = nodeForm.filter((x) => x.tier === 'isolate');
  const out = ['## Tiers', ''];
  out.push(`${unique.length} distinct scripts ran; ${unique.filter((x) => x.tier === 'isolate').length} in the isolate tier. Of the ${nodeForm.length} whose command starts with \`node\`, ` +
    `${isolate.length} (${nodeForm.length ? Math.round((100 * isolate.length) / nodeForm.length) : 0}%) ran fully in the isolate; the others fell back to the process tier:`);
  out.push('');
  for (const x of nodeForm.filter((y) => y.tier !== 'isolate')) out.push(`- ${x.package} ${x.event} \`${x.command}\`: ${x.tierReason ?? 'no reason recorded'}`);
  out.push('');
  return out;
}

// ---------------------------------------------------------------------------------------------
async function pool(items, n, fn) {
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      results.push(await fn(item));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, n) }, worker));
  return results;
}

function parseArgs(argv) {
  const out = { jobs: 2, baseline: true, keep: false, required: false, only: undefined, docs: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') out.only = argv[++i].split(',').map((x) => x.trim()).filter(Boolean);
    else if (a.startsWith('--only=')) out.only = a.slice(7).split(',').map((x) => x.trim()).filter(Boolean);
    else if (a === '--jobs') out.jobs = Math.min(2, Number(argv[++i]) || 1);
    else if (a === '--no-baseline') out.baseline = false;
    else if (a === '--keep') out.keep = true;
    else if (a === '--required') out.required = true;
    else if (a === '--docs') out.docs = true;
    else if (a === '--no-docs') out.docs = false;
    else {
      console.error(`test-real: unknown option ${a}`);
      process.exit(2);
    }
  }
  return out;
}

function machineFacts() {
  const sh = (cmd, a) => { try { return execFileSync(cmd, a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim(); } catch { return '?'; } };
  return {
    node: `Node ${process.version}`,
    npm: sh('npm', ['--version']),
    bwrap: sh('bwrap', ['--version']),
    strace: sh('strace', ['-V']).split('\n')[0].replace(/ -- version/, ''),
    kernel: `Linux ${sh('uname', ['-r'])}`,
    cores: sh('nproc', []),
  };
}

function slug(id) {
  return id.replace(/^@/, '').replace(/[^a-zA-Z0-9.-]+/g, '-').replace(/-+$/, '');
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function readFileSafe(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function lastLines(text, n) {
  return String(text ?? '').trimEnd().split('\n').slice(-n).join('\n');
}

function clip(text, n) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

function fmtDuration(ms) {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
