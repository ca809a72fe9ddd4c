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

function time(argv: string[]): { median: number; p90: number } {
  const samples: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync('bwrap', [...base, ...argv], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`bwrap ${argv.join(' ')} exited ${r.status}`);
    if (i >= 3) samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { median: median(samples), p90: samples[Math.floor(samples.length * 0.9)] };
}

const cases: [string, Forwarder | undefined][] = [
  ['bwrap alone', undefined],
  ['bwrap + socat wrapper', { kind: 'socat', socatPath: '/usr/bin/socat' }],
  ['bwrap + node forwarder', { kind: 'node', nodePath: process.execPath }],
];
for (const command of [['/bin/true'], ['/bin/sh', '-c', 'exit 0']]) {
  for (const [label, forwarder] of cases) {
    const argv = forwarder ? proxiedCommand({ command, forwarder }) : command;
    const { median: m, p90 } = time(argv);
    console.log(`${label.padEnd(24)} ${command.join(' ').padEnd(20)} median ${m.toFixed(1)} ms  p90 ${p90.toFixed(1)} ms  (${runs} runs)`);
  }
}
