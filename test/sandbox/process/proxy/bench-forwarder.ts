// Measure what the forwarder adds to a sandboxed script's start: bwrap alone, bwrap + socat, bwrap + node forwarder.
// Run: node dist/test/sandbox/process/proxy/bench-forwarder.js [runs]   (not part of the test suite)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { proxiedCommand, SANDBOX_PROXY_SOCKET, type Forwarder } from '../../../../src/sandbox/process/proxy/index.js';

const runs = Number(process.argv[2] ?? 40);
const dir = mkdtempSync(join(tmpdir(), 'si-bench-'));
const sock = join(dir, 'proxy.sock');
writeFileSync(sock, ''); // startup never connects, so any file can stand in for the socket

const base = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--tmpfs', '/run',
  '--unshare-all', '--die-with-parent', '--new-session', '--ro-bind', sock, SANDBOX_PROXY_SOCKET, '--'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// Time one run of argv inside the sandbox, in milliseconds.
function once(argv: string[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync('bwrap', [...base, ...argv], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`bwrap ${argv.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const cases: [string, Forwarder | undefined][] = [
  ['bwrap alone', undefined],
  ['bwrap + socat wrapper', { kind: 'socat', socatPath: '/usr/bin/socat' }],
  ['bwrap + node forwarder', { kind: 'node', nodePath: process.execPath }],
];
// Cases are interleaved round by round so a busy machine slows all of them alike.
for (const command of [['/bin/true'], ['/bin/sh', '-c', 'exit 0']]) {
  const argvs = cases.map(([, forwarder]) => (forwarder ? proxiedCommand({ command, forwarder }) : command));
  const samples: number[][] = cases.map(() => []);
  for (let round = 0; round < runs + 3; round++) {
    argvs.forEach((argv, i) => { const ms = once(argv); if (round >= 3) samples[i].push(ms); });
  }
  const alone = median(samples[0]);
  cases.forEach(([label], i) => {
    const m = median(samples[i]);
    const sorted = [...samples[i]].sort((a, b) => a - b);
    const p90 = sorted[Math.floor(sorted.length * 0.9)];
    console.log(`${label.padEnd(24)} ${command.join(' ').padEnd(18)} median ${m.toFixed(1)} ms  p90 ${p90.toFixed(1)} ms  added ${(m - alone).toFixed(1)} ms  (${runs} runs)`);
  });
}
