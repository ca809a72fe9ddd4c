// Read script approvals other tools keep (LavaMoat, pnpm, npm) as run changes for the policy file. Pure.
import { isPackageKey, parsePackageKey } from './package-key.js';
import type { RunChange } from './edit-policy.js';

export type ImportSource = 'lavamoat' | 'pnpm' | 'npm';

/** What an importer found: changes to apply and lines to tell the user (skipped entries and why). */
export interface ImportResult {
  changes: RunChange[];
  warnings: string[];
}

// Add key -> run to result, or a warning when the key is not a package key.
function add(result: ImportResult, source: string, key: string, run: unknown): void {
  if (typeof run !== 'boolean') {
    result.warnings.push(`${source}: skipped "${key}": value ${JSON.stringify(run)} is not true or false`);
    return;
  }
  const parsed = parsePackageKey(key);
  if (!isPackageKey(parsed)) result.warnings.push(`${source}: skipped "${key}": ${parsed.message}`);
  else result.changes.push({ key: parsed, run });
}

const asObject = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

// LavaMoat `lavamoat.allowScripts`: keys are dependency paths `a>b>c`; the last name is the package.
export function importLavamoat(pkg: Record<string, unknown>): ImportResult {
  const result: ImportResult = { changes: [], warnings: [] };
  const allow = asObject(asObject(pkg.lavamoat)?.allowScripts);
  if (!allow) return result;
  for (const [path, run] of Object.entries(allow)) {
    if (path === '$root$') continue; // LavaMoat's own marker for the root project
    add(result, 'lavamoat.allowScripts', path.split('>').at(-1)!.trim(), run);
  }
  return result;
}

// npm `allowScripts` (npm 11.16+/12): key -> true/false, the same key forms as the policy.
export function importNpm(pkg: Record<string, unknown>): ImportResult {
  const result: ImportResult = { changes: [], warnings: [] };
  for (const [key, run] of Object.entries(asObject(pkg.allowScripts) ?? {})) add(result, 'allowScripts', key, run);
  return result;
}

/** The pnpm settings read from package.json `pnpm` or pnpm-workspace.yaml. */
interface PnpmSettings {
  onlyBuiltDependencies?: unknown;
  neverBuiltDependencies?: unknown;
  allowBuilds?: unknown;
}

// pnpm `onlyBuiltDependencies` (run), `neverBuiltDependencies` (deny), `allowBuilds` (map to true/false).
export function importPnpmSettings(settings: PnpmSettings, source: string): ImportResult {
  const result: ImportResult = { changes: [], warnings: [] };
  const list = (value: unknown, name: string, run: boolean) => {
    if (value === undefined) return;
    if (!Array.isArray(value)) return void result.warnings.push(`${source}: skipped ${name}: not a list`);
    for (const key of value) typeof key === 'string' ? add(result, `${source} ${name}`, key, run) : result.warnings.push(`${source}: skipped ${JSON.stringify(key)} in ${name}`);
  };
  list(settings.onlyBuiltDependencies, 'onlyBuiltDependencies', true);
  list(settings.neverBuiltDependencies, 'neverBuiltDependencies', false);
  for (const [key, run] of Object.entries(asObject(settings.allowBuilds) ?? {})) add(result, `${source} allowBuilds`, key, run);
  return result;
}

// Strip a YAML scalar of quotes and a trailing comment.
function scalar(raw: string): string {
  const s = raw.replace(/\s+#.*$/, '').trim();
  return /^(['"]).*\1$/.test(s) ? s.slice(1, -1) : s;
}

// Read the three pnpm settings from pnpm-workspace.yaml without a YAML library: only block lists
// (`- name`), flow lists (`[a, b]`) and `name: true|false` maps at the top level are understood.
export function parsePnpmWorkspaceYaml(text: string): { settings: PnpmSettings; warnings: string[] } {
  const settings: Record<string, unknown> = {};
  const warnings: string[] = [];
  let current: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/^\s*#.*$/, '');
    if (line.trim() === '') continue;
    const top = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line);
    if (top) {
      current = ['onlyBuiltDependencies', 'neverBuiltDependencies', 'allowBuilds'].includes(top[1]) ? top[1] : undefined;
      const rest = top[2].replace(/\s+#.*$/, '').trim();
      if (current && rest.startsWith('[') && rest.endsWith(']')) {
        settings[current] = rest.slice(1, -1).split(',').map(scalar).filter(Boolean);
        current = undefined;
      } else if (current && rest !== '') {
        warnings.push(`pnpm-workspace.yaml: skipped ${current}: unsupported form "${rest}"`);
        current = undefined;
      }
      continue;
    }
    if (!current) continue;
    const item = /^\s+-\s+(.+)$/.exec(line);
    const pair = /^\s+(['"]?)(.+?)\1:\s*(.+)$/.exec(line);
    if (item && current !== 'allowBuilds') {
      ((settings[current] ??= []) as string[]).push(scalar(item[1]));
    } else if (pair && current === 'allowBuilds') {
      const v = scalar(pair[3]);
      (settings[current] ??= {} as Record<string, unknown>);
      (settings[current] as Record<string, unknown>)[pair[2]] = v === 'true' ? true : v === 'false' ? false : v;
    } else {
      warnings.push(`pnpm-workspace.yaml: skipped line "${line.trim()}"`);
    }
  }
  return { settings, warnings };
}
