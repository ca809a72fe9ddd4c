// The JSON report's schema, written once in zod: it validates saved reports (`safe-install report FILE`),
// yields schema/report.schema.json for editors and other tools, and is checked against the TypeScript types.
import { z } from 'zod';
import type { InstallReport } from './types.js';

const tier = z.enum(['process', 'isolate', 'none']).describe('Sandbox tier: `process` (bubblewrap), `isolate` (isolated-vm), or `none` (not confined).');

const scriptRecord = z.object({
  package: z.string().describe('`name@version` from the lockfile when known.'),
  name: z.string().describe('Package name.'),
  version: z.string().describe('Package version.'),
  identitySource: z.enum(['lockfile', 'npm', 'root']).describe('Where the identity came from: the lockfile entry, npm\'s environment (not yet checked against the lockfile), or the root project.'),
  path: z.string().describe('Package path relative to the project root (`node_modules/foo`); empty for the root project; absolute for git-dependency clones.'),
  resolved: z.string().optional().describe('`resolved` from the lockfile, when present.'),
  integrity: z.string().optional().describe('`integrity` from the lockfile, when present.'),
  event: z.string().describe('Lifecycle event: preinstall, install, postinstall, prepare, ...'),
  command: z.string().describe('The script body as npm would run it. Untrusted text.'),
  outcome: z.enum(['ok', 'failed', 'denied', 'timeout', 'killed', 'error']).describe('ok: exited 0; failed: exited non-zero; denied: the policy refused to run it; timeout: killed after its time limit; killed: ended by a signal; error: safe-install could not run it.'),
  exitCode: z.number().int().nullable().describe('Exit code, or null when it did not exit by itself.'),
  signal: z.string().nullable().optional().describe('Signal that ended it, when one did.'),
  durationMs: z.number().min(0).describe('Wall time in milliseconds.'),
  tier: tier,
  reason: z.string().optional().describe('Why the script was denied, failed to start, or moved tiers.'),
  tierReason: z.string().optional().describe('Why a `node` script ran in the process tier rather than the isolate tier (native addon, shell syntax, isolated-vm missing).'),
  profile: z.string().optional().describe('The policy profile(s) that produced its grant.'),
  outputTail: z.string().optional().describe('Last part of its output (bounded), kept for failures. Untrusted text.'),
  outputDropped: z.number().int().min(0).optional().describe('Bytes of output dropped because the script exceeded the output limit.'),
}).describe('One lifecycle script that npm asked to run.');

const sandboxEvent = z.object({
  package: z.string().describe('`name@version` of the package whose script acted, from the lockfile.'),
  path: z.string().describe('Package path relative to the project root; empty for the root project.'),
  script: z.string().describe('Lifecycle event name of the script that acted.'),
  kind: z.enum(['fs.read', 'fs.write', 'fs.delete', 'proc.exec', 'net.connect', 'net.dns', 'env.read', 'tamper']).describe('What was done or attempted.'),
  target: z.string().describe('Host path, `host:port`, executable path or variable name.'),
  decision: z.enum(['allowed', 'denied', 'asked-allowed', 'asked-denied']).describe('What the sandbox or the person asked decided.'),
  tier: tier,
  source: z.enum(['strace', 'proxy', 'isolate', 'watcher', 'sandbox', 'gate']).describe('Which witness saw it.'),
  detail: z.string().optional().describe('Free text: syscall and errno, HTTP status, stack frame. Untrusted.'),
  expected: z.boolean().optional().describe('A refused attempt that is a tool\'s usual start-up inside the sandbox (npm reading ~/.npmrc, a cache in HOME): reported, never a deviation.'),
  pid: z.number().int().optional().describe('Process id inside the sandbox, when known.'),
  at: z.number().min(0).optional().describe('Milliseconds since the script started.'),
}).describe('One thing a script did or tried, attributed to its package and script.');

const finding = z.object({
  rule: z.string().describe('Stable rule id: `tamper`, `exotic-source`, `drift`, `sandbox-degraded`, ...'),
  level: z.enum(['error', 'warning', 'note']).describe('How serious it is; errors fail `--ci`.'),
  message: z.string().describe('What was found. May contain package-derived text.'),
  package: z.string().optional().describe('`name@version` it is about, when there is one.'),
  path: z.string().optional().describe('Package path relative to the project root, when there is one.'),
}).describe('A problem found by a gate, the watcher or a drift check rather than by one script\'s event.');

export const reportSchema = z.object({
  version: z.literal(1).describe('Report format version.'),
  tool: z.object({ name: z.literal('safe-install').describe('Always `safe-install`.'), version: z.string().describe('Its version.') }).describe('The safe-install that wrote the report.'),
  command: z.array(z.string()).describe('npm command and arguments as passed through.'),
  projectDir: z.string().describe('Absolute path of the project.'),
  startedAt: z.string().describe('When the run started, ISO 8601.'),
  durationMs: z.number().min(0).describe('Wall time of the whole run in milliseconds.'),
  npm: z.object({
    version: z.string().describe('npm version used.'),
    exitCode: z.number().int().nullable().describe('npm\'s exit code, or null when it did not run or was killed.'),
  }).describe('The npm that fetched and laid out packages.'),
  mode: z.enum(['enforce', 'audit']).describe('enforce: refused actions were blocked; audit: recorded only.'),
  sandbox: z.object({
    kind: z.enum(['bwrap', 'none']).describe('`bwrap` (full sandbox) or `none` (--unsafe-no-sandbox).'),
    tracing: z.enum(['narrow', 'full', 'off']).describe('strace coverage: narrow syscall set, every file open, or none.'),
    detail: z.string().optional().describe('Why the sandbox is degraded or off, when it is.'),
  }).describe('The sandbox that was used.'),
  scripts: z.array(scriptRecord).describe('Every lifecycle script npm asked to run, in the order they started.'),
  events: z.array(sandboxEvent).describe('Everything the scripts did or tried that a witness recorded.'),
  findings: z.array(finding).describe('Problems found by gates, the watcher and the drift check.'),
  exitCode: z.number().int().describe('The exit status safe-install chose; see docs/exit-codes.md.'),
}).describe('The report of one safe-install run: what ran, how it ended, and what each script touched.');

// Type check: the schema and InstallReport must describe exactly the same record, optional fields included;
// a field added to one and not the other fails the build here.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
type Parsed = z.infer<typeof reportSchema>;
const sameShape: Equal<Parsed, InstallReport> = true;
void sameShape;

// Render the JSON Schema that schema/report.schema.json holds.
export function reportJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(reportSchema, { target: 'draft-2020-12' });
  return { $schema, title: 'safe-install report', ...rest };
}
