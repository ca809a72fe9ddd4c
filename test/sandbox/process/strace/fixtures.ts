// Load the recorded strace fixtures and the context they were recorded with (see test/fixtures/strace/record.sh).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createStraceParser } from '../../../../src/sandbox/process/strace/index.js';
import type { Syscall, TraceContext } from '../../../../src/sandbox/process/strace/index.js';

// compiled tests live in dist/test/sandbox/process/strace: five levels below the repo root
export const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));

export const PKG = '/var/tmp/si-strace/project/node_modules/evil-pkg';
export const HOME = '/tmp/si-strace-home';

export const ctx: TraceContext = {
  package: 'evil-pkg@1.0.0', path: 'node_modules/evil-pkg', script: 'postinstall',
  pkgDir: PKG, home: HOME, projectDir: '/var/tmp/si-strace/project', startExec: '/bin/sh',
};

// Read a fixture's raw text.
export function readFixture(name: string): string {
  return readFileSync(`${repoRoot}test/fixtures/strace/${name}.strace`, 'utf8');
}

// Parse a fixture through the streaming parser in chunks of `size` characters (lines split across chunks).
export function parseFixture(name: string, size = 7): Syscall[] {
  const text = readFixture(name);
  const p = createStraceParser();
  const out: Syscall[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...p.push(text.slice(i, i + size)));
  out.push(...p.end());
  return out;
}
