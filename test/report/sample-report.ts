// A report that exercises every renderer: a clean script, a failed one, a refused one, a hostile package name
// carrying ANSI escapes, a `|` in a path, secret reads, a refused host, a tamper event and findings.
import type { SandboxEvent } from '../../src/events/types.js';
import type { InstallReport, ScriptRecord } from '../../src/report/types.js';

export const HOSTILE = 'evil\x1b[2J\x1b[31m@1.0.0';

const script = (fields: Partial<ScriptRecord> & Pick<ScriptRecord, 'package' | 'path' | 'event' | 'outcome'>): ScriptRecord => ({
  name: fields.package.slice(0, fields.package.lastIndexOf('@')),
  version: fields.package.slice(fields.package.lastIndexOf('@') + 1),
  identitySource: 'lockfile',
  command: 'node install.js',
  exitCode: fields.outcome === 'ok' ? 0 : fields.outcome === 'failed' ? 1 : null,
  durationMs: 120,
  tier: 'process',
  ...fields,
});

const event = (fields: Partial<SandboxEvent> & Pick<SandboxEvent, 'kind' | 'target' | 'decision'>): SandboxEvent => ({
  package: HOSTILE,
  path: 'node_modules/evil',
  script: 'postinstall',
  tier: 'process',
  source: 'strace',
  ...fields,
});

// Build the sample; each call returns a fresh object.
export function sampleReport(): InstallReport {
  return {
    version: 1,
    tool: { name: 'safe-install', version: '0.1.0' },
    command: ['install'],
    projectDir: '/work/app',
    startedAt: '2026-01-02T03:04:05.000Z',
    durationMs: 2345,
    npm: { version: '11.6.2', exitCode: 1 },
    mode: 'enforce',
    sandbox: { kind: 'bwrap', tracing: 'narrow' },
    scripts: [
      script({ package: 'esbuild@0.25.0', path: 'node_modules/esbuild', event: 'postinstall', outcome: 'ok', durationMs: 85 }),
      script({ package: HOSTILE, path: 'node_modules/evil', event: 'postinstall', outcome: 'failed', durationMs: 1530,
        reason: 'exited 1', outputTail: 'stealing\x1b]0;pwned\x07\n' }),
      script({ package: 'left-pad@1.3.0', path: 'node_modules/left-pad', event: 'install', outcome: 'denied', durationMs: 0,
        tier: 'none', reason: 'not approved in allowScripts' }),
    ],
    events: [
      event({ kind: 'fs.read', target: '/home/u/.npmrc', decision: 'denied', detail: 'ENOENT' }),
      event({ kind: 'fs.read', target: '/home/u/.npmrc', decision: 'denied', detail: 'ENOENT' }),
      event({ kind: 'fs.read', target: '/home/u/.ssh/id_rsa', decision: 'denied', detail: 'ENOENT' }),
      event({ kind: 'fs.write', target: '/work/app/node_modules/evil/build/out.js', decision: 'allowed' }),
      event({ kind: 'fs.write', target: '/work/app/a|b.txt', decision: 'denied', detail: 'EROFS' }),
      event({ kind: 'fs.write', target: '/tmp/scratch', decision: 'allowed' }),
      event({ kind: 'net.connect', target: 'exfil.example:443', decision: 'denied', source: 'proxy', detail: '403' }),
      event({ kind: 'proc.exec', target: '/usr/bin/curl', decision: 'denied' }),
      event({ kind: 'proc.exec', target: '/bin/sh', decision: 'allowed' }),
      event({ kind: 'env.read', target: 'HOME', decision: 'allowed', source: 'isolate' }),
      event({ package: 'esbuild@0.25.0', path: 'node_modules/esbuild', kind: 'net.connect', target: 'registry.npmjs.org:443', decision: 'allowed', source: 'proxy' }),
    ],
    findings: [
      { rule: 'tamper', level: 'error', message: '.git/hooks/pre-commit changed during the install', package: HOSTILE, path: 'node_modules/evil' },
      { rule: 'exotic-source', level: 'warning', message: 'resolved from git+https://example.com/x.git', package: 'x@1.0.0', path: 'node_modules/x' },
    ],
    exitCode: 1,
  };
}

export const SAMPLE_LOCKFILE = `{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "": {
      "name": "app"
    },
    "node_modules/esbuild": {
      "version": "0.25.0"
    },
    "node_modules/evil": {
      "version": "1.0.0"
    },
    "node_modules/left-pad": {
      "version": "1.3.0"
    }
  }
}
`;
