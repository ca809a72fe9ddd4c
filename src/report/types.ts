// The report of one safe-install run: what ran, how it ended, and what each script touched.
// JSON reports, SARIF, annotations and the human summary are all rendered from this one record.
import type { SandboxEvent, Tier } from '../events/types.js';

export type ScriptOutcome =
  | 'ok' // exited 0
  | 'failed' // exited non-zero
  | 'denied' // policy refused to run it
  | 'timeout' // killed after its time limit
  | 'killed' // ended by a signal
  | 'error'; // safe-install could not run it (sandbox or control failure)

/** One lifecycle script that npm asked to run. */
export interface ScriptRecord {
  /** `name@version` from the lockfile when known. */
  package: string;
  name: string;
  version: string;
  /** Where the version came from: `lockfile`, or `npm` (npm's environment, not yet checked against the lockfile). */
  identitySource: 'lockfile' | 'npm' | 'root';
  /** Path relative to the project root (`node_modules/foo`), `` for the root project, absolute for git-dependency clones. */
  path: string;
  /** `resolved` and `integrity` from the lockfile / npm, when present. */
  resolved?: string;
  integrity?: string;
  /** Lifecycle event: preinstall, install, postinstall, prepare, ... */
  event: string;
  /** The script body as npm would run it. Untrusted text. */
  command: string;
  outcome: ScriptOutcome;
  exitCode: number | null;
  signal?: string | null;
  durationMs: number;
  /** Which tier confined it; `none` only with --unsafe-no-sandbox or when it never ran. */
  tier: Tier;
  /** Why the script was denied, failed to start, or moved tiers. */
  reason?: string;
  /** Why a `node` script ran in the process tier rather than the isolate tier (native addon, shell syntax, isolated-vm missing). */
  tierReason?: string;
  /** The policy profile(s) that produced its grant. */
  profile?: string;
  /** Last part of its output (bounded), kept for failures. Untrusted text. */
  outputTail?: string;
  /** Bytes of output dropped because the script exceeded the output limit. */
  outputDropped?: number;
}

/** A problem found by a gate, the watcher or a drift check rather than by one script's event. */
export interface Finding {
  /** Stable rule id, e.g. `tamper`, `exotic-source`, `drift`, `sandbox-degraded`. */
  rule: string;
  level: 'error' | 'warning' | 'note';
  message: string;
  package?: string;
  path?: string;
}

export interface InstallReport {
  /** Report format version. */
  version: 1;
  tool: { name: 'safe-install'; version: string };
  /** npm command and arguments as passed through. */
  command: string[];
  projectDir: string;
  startedAt: string;
  durationMs: number;
  npm: { version: string; exitCode: number | null };
  mode: 'enforce' | 'audit';
  /** The sandbox that was used: `bwrap` (full), or `none` with --unsafe-no-sandbox. */
  sandbox: { kind: 'bwrap' | 'none'; tracing: 'narrow' | 'full' | 'off'; detail?: string };
  scripts: ScriptRecord[];
  events: SandboxEvent[];
  findings: Finding[];
  /** Process exit status safe-install chose. */
  exitCode: number;
}
