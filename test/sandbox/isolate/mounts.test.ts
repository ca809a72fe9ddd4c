// The isolate's file view is read from the process tier's own bwrap argv: same mounts, same answers.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bwrapArgv } from '../../../src/sandbox/process/bwrap-argv.js';
import { mountsFromBwrapArgv, locate, mountNamesIn, mountsBelow } from '../../../src/sandbox/isolate/view/mounts.js';
import { shareTmp } from '../../../src/sandbox/isolate/create-isolate-tier.js';
import { childScript, shellQuote } from '../../../src/sandbox/isolate/broker/processes.js';

const layout = {
  pkgDir: '/home/u/proj/node_modules/pkg', projectDir: '/home/u/proj', hidden: ['/home/u', '/root'], hiddenFiles: ['/home/u/proj/.npmrc'],
  reexpose: ['/home/u/.nvm/versions/node/v20'], readable: ['/opt/granted'], writable: ['/home/u/.cache/pkg'], readOnlyInside: ['/home/u/proj/node_modules/pkg/node_modules'],
  proxySocket: '/run/si/proxy.sock',
};
const argv = bwrapArgv(layout, ['/bin/sh', '-c', 'node x.js']);
const exists = (p: string) => p !== '/opt/granted';
const mounts = mountsFromBwrapArgv(argv, exists);
const where = (path: string) => {
  const p = locate(mounts, path, '/scratch', (x) => x.startsWith('/home/u/') || x === '/tmp/host-file');
  return [p.host, p.writable, p.hides];
};

const table = suite('mountsFromBwrapArgv');
table('should list the mounts in bwrap\'s order, skipping -try binds whose source is missing', () => {
  assert.equal(mounts.map((m) => `${m.kind} ${m.at}${m.source && m.source !== m.at ? ` <- ${m.source}` : ''}`), [
    'ro-bind /', 'dev /dev', 'proc /proc', 'tmpfs /tmp', 'tmpfs /var/tmp', 'tmpfs /run', 'tmpfs /root', 'tmpfs /home/u',
    'ro-bind /home/u/proj', 'ro-bind /home/u/.nvm/versions/node/v20', 'ro-bind /home/u/proj/.npmrc <- /dev/null',
    'bind /home/u/.cache/pkg', 'bind /home/u/proj/node_modules/pkg', 'ro-bind /home/u/proj/node_modules/pkg/node_modules',
    'ro-bind /run/safe-install/proxy.sock <- /run/si/proxy.sock',
  ]);
});
table('should refuse an argv with a flag it does not know (the view must never silently differ)', () => {
  assert.throws(() => mountsFromBwrapArgv(['--overlay-src', '/x', '--', 'true'], exists), /unknown bwrap flag --overlay-src/);
});
table.run();

// ---

const place = suite('locate');
place('should answer as the sandbox would, path by path', () => {
  assert.equal(where('/usr/bin/node'), ['/usr/bin/node', false, false]);
  assert.equal(where('/home/u/proj/node_modules/pkg/out.js'), ['/home/u/proj/node_modules/pkg/out.js', true, false]);
  assert.equal(where('/home/u/proj/node_modules/pkg/node_modules/dep/x'), ['/home/u/proj/node_modules/pkg/node_modules/dep/x', false, false]);
  assert.equal(where('/home/u/proj/node_modules/other/index.js'), ['/home/u/proj/node_modules/other/index.js', false, false]);
  assert.equal(where('/home/u/.npmrc'), ['/scratch/tmpfs/home/u/.npmrc', true, true], 'HOME is an empty private tmpfs');
  assert.equal(where('/home/u/proj/.npmrc'), ['/dev/null', false, true], 'a project .npmrc reads as empty');
  assert.equal(where('/home/u/.cache/pkg/bin'), ['/home/u/.cache/pkg/bin', true, false], 'a write grant under HOME');
  assert.equal(where('/tmp/host-file'), ['/scratch/tmpfs/tmp/host-file', true, true]);
  assert.equal(where('/proc/self/environ'), [null, false, true]);
  assert.equal(where('/proc/cpuinfo'), ['/proc/cpuinfo', false, false]);
  assert.equal(where('/dev/null'), ['/dev/null', true, false]);
  assert.equal(where('/dev/sda'), [null, false, false]);
});
place('should list mount points as directory entries and make their parents busy', () => {
  assert.equal(mountNamesIn(mounts, '/home/u').sort(), ['.cache', '.nvm', 'proj']);
  assert.equal(mountsBelow(mounts, '/home/u/proj/node_modules').map((m) => m.at), ['/home/u/proj/node_modules/pkg', '/home/u/proj/node_modules/pkg/node_modules']);
});
place.run();

// ---

const kids = suite('child processes of an isolate script');
kids('should bind the script\'s own /tmp right after the sandbox\'s tmpfs, before any bind under /tmp', () => {
  const args = ['--ro-bind', '/', '/', '--tmpfs', '/tmp', '--ro-bind', '/tmp/proj', '/tmp/proj', '--', 'sh'];
  const shared = shareTmp(args, '/tmp/si-scratch-test');
  assert.equal(shared, ['--ro-bind', '/', '/', '--tmpfs', '/tmp', '--bind', '/tmp/si-scratch-test/tmpfs/tmp', '/tmp', '--ro-bind', '/tmp/proj', '/tmp/proj', '--', 'sh']);
});
kids('should build a script that applies the child\'s environment inside the sandbox only', () => {
  assert.is(shellQuote("it's"), `'it'\\''s'`);
  assert.is(
    childScript({ file: 'node', args: ['-e', 'x()'], shell: false, cwd: '/p', env: undefined, timeout: 0, maxBuffer: 1, stdio: [] }, { PATH: '/bin', 'BAD NAME': 'x', LD_PRELOAD: '/evil.so' }),
    `cd '/p' && exec /usr/bin/env -i 'PATH=/bin' 'LD_PRELOAD=/evil.so' 'node' '-e' 'x()'`,
  );
  assert.is(
    childScript({ file: 'echo $HOME', args: ['a'], shell: true, cwd: '/p', timeout: 0, maxBuffer: 1, stdio: [] }, {}),
    `cd '/p' && exec /usr/bin/env -i  '/bin/sh' '-c' 'echo $HOME a'`,
  );
});
kids.run();
