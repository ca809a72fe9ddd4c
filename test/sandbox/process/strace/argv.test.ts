import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { straceArgv, tracedSyscalls } from '../../../../src/sandbox/process/strace/index.js';

test('narrow argv follows forks, filters with seccomp and traces writes, exec, connect and opens', () => {
  assert.equal(straceArgv({ mode: 'narrow', outputFile: '/tmp/t.strace' }), [
    '-f', '--seccomp-bpf',
    '-q',
    '-ttt',
    '-y',
    '-s', '1024',
    '-e', 'trace=?open,openat,?openat2,?creat,?truncate,?rename,renameat,?renameat2,?link,linkat,?symlink,symlinkat,'
      + '?unlink,unlinkat,?rmdir,?mkdir,mkdirat,?mknod,mknodat,?chmod,fchmodat,?chown,?lchown,fchownat,'
      + 'execve,execveat,chdir,fchdir,connect,getsockopt',
    '-o', '/tmp/t.strace',
  ]);
});

test('narrow is the default mode', () => {
  assert.equal(straceArgv({ outputFile: 'x' }), straceArgv({ mode: 'narrow', outputFile: 'x' }));
});

test('full argv traces every file, network and process syscall', () => {
  const argv = straceArgv({ mode: 'full', outputFile: 'x', stringLimit: 64 });
  assert.equal(argv.slice(argv.indexOf('-s'), argv.indexOf('-s') + 4), ['-s', '64', '-e', 'trace=%file,%network,%process,?openat2,getsockopt']);
  assert.equal(tracedSyscalls('full'), ['%file', '%network', '%process', '?openat2', 'getsockopt']);
});

test.run();
