// Read publish times (the packument's `time` map) for the fresh-release gate: straight from the registry
// the lockfile names, and through `npm view <name> time --json` when that fails (private registries with
// auth, proxies), so npm's own configuration applies.
import { execa } from 'execa';
import type { ReleaseTimes } from './check-fresh-releases.js';

export interface FetchReleaseTimesOptions {
  /** Environment for the `npm view` fallback. */
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Per-request limit in milliseconds. @default 20000 */
  timeoutMs?: number;
  /** Requests in flight at once. @default 8 */
  concurrency?: number;
  /** For tests. @default globalThis.fetch */
  fetchImpl?: typeof fetch;
}

// Return version -> publish date per package name; a name whose time could not be read maps to undefined.
export async function fetchReleaseTimes(wanted: { name: string; registry: string }[], options: FetchReleaseTimesOptions): Promise<ReleaseTimes> {
  const byName = new Map<string, string>();
  for (const w of wanted) if (!byName.has(w.name)) byName.set(w.name, w.registry);
  const out: ReleaseTimes = new Map();
  const queue = [...byName.entries()];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [name, registry] = next;
      out.set(name, (await fromRegistry(name, registry, options)) ?? (await fromNpmView(name, registry, options)));
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, queue.length) }, worker));
  return out;
}

// The packument URL of a name: scoped names keep their @ and encode the slash.
export function packumentUrl(registry: string, name: string): string {
  const base = registry.endsWith('/') ? registry : `${registry}/`;
  return `${base}${name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name)}`;
}

async function fromRegistry(name: string, registry: string, options: FetchReleaseTimesOptions): Promise<Record<string, string> | undefined> {
  const fetchImpl = options.fetchImpl ?? globalThis.fetch;
  try {
    // The full document: the abbreviated one (application/vnd.npm.install-v1+json) has no `time`.
    const response = await fetchImpl(packumentUrl(registry, name), { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(options.timeoutMs ?? 20_000) });
    if (!response.ok) return undefined;
    return pickTime(((await response.json()) as { time?: unknown } | null)?.time);
  } catch {
    return undefined;
  }
}

async function fromNpmView(name: string, registry: string, options: FetchReleaseTimesOptions): Promise<Record<string, string> | undefined> {
  try {
    const result = await execa('npm', ['view', name, 'time', '--json', `--registry=${registry}`], { cwd: options.cwd, env: options.env, extendEnv: false, reject: false, timeout: options.timeoutMs ?? 20_000 });
    if (result.exitCode !== 0) return undefined;
    return pickTime(JSON.parse(result.stdout));
  } catch {
    return undefined;
  }
}

// Keep the version -> date strings of a `time` map (a packument's, or `npm view <name> time --json` output).
export function pickTime(time: unknown): Record<string, string> | undefined {
  if (!time || typeof time !== 'object' || Array.isArray(time)) return undefined;
  const out: Record<string, string> = {};
  for (const [version, date] of Object.entries(time as Record<string, unknown>)) if (typeof date === 'string') out[version] = date;
  return out;
}
