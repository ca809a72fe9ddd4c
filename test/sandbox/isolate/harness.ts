// Run scripts through the real isolate tier (bwrap-confined worker, broker, sandbox view, proxy),
// without npm: a temp project with one package, a fake HOME full of canaries, and the tier's route().
import { mkdtempSync, rmSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import { createIsolateTier, isolatedVmMissing, type IsolateTier } from '../../../src/sandbox/isolate/create-isolate-tier.js';
import { createScriptHooks } from '../../../src/install/script-hooks.js';
import { emptyGrant, type Grant } from '../../../src/policy/types.js';
import type { SandboxEvent } from '../../../src/events/types.js';
import { plantHome, writeFiles, CANARY, type Files } from '../../helpers/fixture.js';

export { CANARY };

export interface RunOutcome { tier: 'isolate' | 'process'; reason?: string; code: number; timedOut: boolean; stdout: string; stderr: string; events: SandboxEvent[]; durationMs: number; exitReason?: string }

export interface Harness {
  root: string;
  home: string;
  project: string;
  pkgDir: string;
  tier: IsolateTier;
  run(command: string, options?: { files?: Files; grant?: Partial<Grant>; timeoutMs?: number; askWrite?: (path: string) => Promise<boolean>; npmEnv?: Record<string, string> }): Promise<RunOutcome>;
  read(file: string): string;
  close(): Promise<void>;
}

let nextId = 1;

// Make a project (node_modules/pkg is the script's package) and an isolate tier over it.
export function createHarness(options: { memoryMb?: number; askNet?: (host: string, port: number) => Promise<boolean> } = {}): Harness {
  const root = mkdtempSync(join(tmpdir(), 'si-iso-'));
  const home = join(root, 'home');
  const project = join(root, 'project');
  const pkgDir = join(project, 'node_modules', 'pkg');
  plantHome(home);
  writeFiles(project, { 'package.json': '{"name":"proj","version":"1.0.0"}', '.npmrc': `//registry.npmjs.org/:_authToken=${CANARY.npmToken}\n` });
  writeFiles(pkgDir, { 'package.json': '{"name":"pkg","version":"1.0.0"}' });
  writeFiles(join(project, 'node_modules', 'other'), { 'package.json': '{"name":"other","version":"1.0.0","main":"main.js"}', 'main.js': 'module.exports = "other";' });
  const workDir = mkdtempSync(join(tmpdir(), 'si-iso-work-'));
  const host = { bwrap: '/usr/bin/bwrap', strace: undefined, secretDirs: [home], toolDirs: [] as string[] };
  const tier = createIsolateTier({ workDir, host, memoryMb: options.memoryMb ?? 64 });
  const hooks = createScriptHooks({ workDir, projectDir: project, home, trace: 'off', shell: '/bin/sh', askNet: options.askNet ? (_s, host, port) => options.askNet!(host, port) : undefined });
  return {
    root, home, project, pkgDir, tier,
    read: (file) => (existsSync(join(pkgDir, file)) ? readFileSync(join(pkgDir, file), 'utf8') : ''),
    async run(command, o = {}) {
      if (o.files) writeFiles(pkgDir, o.files);
      const grant: Grant = { ...emptyGrant(), timeoutMs: o.timeoutMs ?? 20_000, ...(o.grant ?? {}) };
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TMPDIR: '/tmp', INIT_CWD: project, npm_lifecycle_event: 'postinstall' };
      let stdout = '';
      let stderr = '';
      const id = nextId++;
      const script = { id, identity: { name: 'pkg', version: '1.0.0', path: 'node_modules/pkg', isRoot: false, source: 'lockfile' }, event: 'postinstall', command, pkgDir, plan: { run: 'allow', grant, profile: 'default' } } as never;
      const decision = await tier.route({
        id,
        who: { package: 'pkg@1.0.0', path: 'node_modules/pkg', script: 'postinstall' },
        command, env, npmEnv: { ...env, NPM_TOKEN: CANARY.envToken, ...(o.npmEnv ?? {}) }, timeoutMs: grant.timeoutMs,
        base: { shell: '/bin/sh', pkgDir, projectDir: project, isRoot: false, grant: { ...grant, protect: [] }, host, env, exists: existsSync, projectEntries: readdirSync(project) },
        prepare: () => hooks.prepare!({ ...(script as object), id: 1000 + nextId++ } as never),
        output: (stream, data) => { if (stream === 'stdout') stdout += data; else stderr += data; },
        askWrite: o.askWrite,
      });
      if (decision.tier === 'process') return { tier: 'process', reason: decision.reason, code: -1, timedOut: false, stdout, stderr, events: [], durationMs: 0 };
      const exit = await decision.done;
      const events = await decision.finish();
      return { tier: 'isolate', code: exit.code, timedOut: exit.timedOut, exitReason: exit.reason, stdout, stderr, events, durationMs: exit.durationMs };
    },
    async close() {
      await tier.close();
      rmSync(root, { recursive: true, force: true });
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** Every canary value, to prove none reached a script. */
export const CANARIES = [...Object.values(CANARY), 'SI_HOST_CANARY_VALUE'];

/** The last line of a script's output, parsed as JSON (scripts print one JSON summary at the end). */
export const lastJson = (text: string) => JSON.parse(text.trim().split('\n').pop()!);

/**
 * A uvu suite over one harness, skipped (with the reason) where isolated-vm is not installed:
 * `it(title, fn)` receives the harness; call `run()` at the end of the file.
 */
export function isolateSuite(title: string): { it(name: string, fn: (h: Harness) => Promise<void>): void; run(): void } {
  const missing = isolatedVmMissing();
  const s = suite(title);
  let h: Harness | undefined;
  s.before(() => {
    if (!missing) h = createHarness();
  });
  s.after(async () => {
    await h?.close();
  });
  return {
    it: (name, fn) => s(name, async () => {
      if (missing) return console.log(`  (skipped: ${missing})`);
      await fn(h!);
    }),
    run: () => s.run(),
  };
}
