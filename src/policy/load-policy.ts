// Read safe-install.policy.json and package.json `allowScripts`, validate both, and report every problem
// with file:line:column, the JSON path and what was expected.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseTree, printParseErrorCode, getNodeValue, type Node, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { SafeInstallError, type ErrorLocation } from '../errors.js';
import { loadBuiltinProfiles } from './builtin-profiles.js';
import { formatJsonPath, offsetOfKey, offsetOfPath, offsetToLocation, type JsonPath } from './locate.js';
import type { LoadedPolicy, PolicyEntry } from './loaded-policy.js';
import { formatPackageKey, isPackageKey, parsePackageKey } from './package-key.js';
import { policySchema } from './schema.js';
import { gateKeysAt } from '../gates/gates-schema.js';

export const POLICY_FILE_NAME = 'safe-install.policy.json';
const MAX_BYTES = 1024 * 1024;

/** One located problem, as `policy check` prints it. */
export interface PolicyProblem {
  location: ErrorLocation;
  path: string;
  message: string;
  expected?: string;
  hint?: string;
}

// Render a problem as `FILE:LINE:COL: <json path>: <message> (expected ...)`.
export function formatPolicyProblem(p: PolicyProblem): string {
  const where = `${p.location.file}:${p.location.line}:${p.location.column}`;
  return `${where}: ${p.path}: ${p.message}${p.expected ? ` (expected ${p.expected})` : ''}`;
}

// Turn located problems into the one error the loader throws.
function problemsError(code: 'EPOLICY_PARSE' | 'EPOLICY_INVALID', problems: PolicyProblem[]): SafeInstallError {
  const first = problems[0];
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
  const what = code === 'EPOLICY_PARSE' ? 'is not valid JSON' : 'is not a valid policy';
  return new SafeInstallError(code, `${first.location.file} ${what}: ${count}`, {
    location: first.location,
    hint: first.hint ?? 'see docs/policy.md for the policy format, or run `safe-install policy check`',
    details: problems.map((p) => ({
      message: `${p.path}: ${p.message}${p.expected ? ` (expected ${p.expected})` : ''}${p.hint ? `; ${p.hint}` : ''}`,
      location: p.location,
      path: p.path,
    })),
  });
}

// Parse JSON (comments allowed, trailing commas not) and return the tree or throw located parse errors.
function parseJson(text: string, file: string): Node {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: false, allowEmptyContent: false });
  if (errors.length > 0 || !root) {
    const unique = errors.filter((e, i) => errors.findIndex((o) => o.offset === e.offset) === i);
    const list = unique.length > 0 ? unique : [{ error: 0, offset: 0, length: 0 } as unknown as ParseError];
    throw problemsError(
      'EPOLICY_PARSE',
      list.slice(0, 20).map((e) => ({
        location: offsetToLocation(text, e.offset, file),
        path: '(json)',
        message: errors.length > 0 ? `invalid JSON: ${printParseErrorCode(e.error)}` : 'invalid JSON: empty file',
        expected: 'a JSON object',
      })),
    );
  }
  return root;
}

// Find keys written twice in one object: JSON parsers keep the last silently, a reviewer may read the first.
function duplicateKeys(node: Node, path: JsonPath, out: { path: JsonPath; offset: number; key: string }[]): void {
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const prop of node.children ?? []) {
      const keyNode = prop.children?.[0];
      const key = keyNode?.value as string;
      if (seen.has(key)) out.push({ path, offset: keyNode!.offset, key });
      seen.add(key);
      if (prop.children?.[1]) duplicateKeys(prop.children[1], [...path, key], out);
    }
  } else if (node.type === 'array') {
    node.children?.forEach((child, i) => duplicateKeys(child, [...path, i], out));
  }
}

const ALLOW_KEYS = 'read, write, net, exec, env, timeout';
// Name the keys allowed in the object at path, for "unknown key" messages.
function allowedKeys(path: JsonPath): string {
  if (path.length === 0) return Object.keys(policySchema.shape).join(', ');
  if (path[0] === 'gates') return gateKeysAt(path.slice(1));
  if (path.at(-1) === 'allow') return ALLOW_KEYS;
  return 'run, profile, allow';
}

// Describe a zod issue in the policy's words.
function describeIssue(issue: z.core.$ZodIssue): { message: string; expected?: string; hint?: string } {
  switch (issue.code) {
    case 'invalid_type':
      return { message: `wrong type`, expected: issue.expected === 'object' ? 'an object' : `a ${issue.expected}` };
    case 'invalid_value':
      return { message: 'not an allowed value', expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
    case 'too_big':
    case 'too_small':
      return { message: issue.code === 'too_big' ? 'too large' : 'too small', expected: 'a whole number of seconds from 1 to 86400' };
    case 'custom': {
      const params = (issue.params ?? {}) as { expected?: string; hint?: string };
      return { message: issue.message, expected: params.expected, hint: params.hint };
    }
    default:
      return { message: issue.message };
  }
}

// Validate policy text into a LoadedPolicy (no allowScripts merged). Pure apart from the built-in profiles.
export function parsePolicyText(rawText: string, file: string): LoadedPolicy {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  if (text.length > MAX_BYTES) {
    throw problemsError('EPOLICY_INVALID', [{ location: { file, line: 1, column: 1 }, path: '(file)', message: 'policy file is larger than 1 MiB' }]);
  }
  const root = parseJson(text, file);
  const at = (offset: number) => offsetToLocation(text, offset, file);
  const problems: PolicyProblem[] = [];

  const dups: { path: JsonPath; offset: number; key: string }[] = [];
  duplicateKeys(root, [], dups);
  for (const d of dups) {
    problems.push({ location: at(d.offset), path: formatJsonPath([...d.path, d.key]), message: `duplicate key "${d.key}"`, expected: 'each key once' });
  }

  const value: unknown = getNodeValue(root);
  const result = policySchema.safeParse(value);
  const seenPaths = new Set<string>();
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path as JsonPath;
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          problems.push({ location: at(offsetOfKey(root, path, key)), path: formatJsonPath([...path, key]), message: `unknown key "${key}"`, expected: allowedKeys(path) });
        }
        continue;
      }
      const shown = formatJsonPath(path);
      if (seenPaths.has(shown)) continue; // one problem per value is enough (zod may report two limits)
      seenPaths.add(shown);
      problems.push({ location: at(offsetOfPath(root, path)), path: shown, ...describeIssue(issue) });
    }
  }
  // Keys of "packages" are checked here: zod skips record refinements once a value has failed.
  const packages = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>).packages : undefined;
  if (packages && typeof packages === 'object' && !Array.isArray(packages)) {
    for (const key of Object.keys(packages)) {
      const parsed = parsePackageKey(key);
      if (!isPackageKey(parsed)) {
        problems.push({ location: at(offsetOfPath(root, ['packages', key], true)), path: formatJsonPath(['packages', key]), ...parsed });
      }
    }
  }
  if (problems.length > 0 || !result.success) {
    problems.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
    throw problemsError('EPOLICY_INVALID', problems);
  }

  const data = result.data;
  const { profiles, known } = loadBuiltinProfiles();
  const entries: PolicyEntry[] = Object.entries(data.packages).map(([key, entry]) => ({
    key,
    parsed: parsePackageKey(key) as PolicyEntry['parsed'],
    run: entry.run,
    profile: entry.profile,
    allow: entry.allow,
    source: 'policy',
    location: at(offsetOfPath(root, ['packages', key], true)),
  }));
  return { file, mode: data.mode, unlisted: data.unlisted, acceptDrift: data.acceptDrift, root: { run: data.root.run, profile: data.root.profile, allow: data.root.allow }, entries, profiles, known };
}

// Build the policy used when no file exists: sandbox every script under its known or default profile.
export function defaultPolicy(): LoadedPolicy {
  const { profiles, known } = loadBuiltinProfiles();
  return { mode: 'enforce', unlisted: 'sandbox', root: { run: true, profile: 'project' }, entries: [], profiles, known };
}

// Read package.json `allowScripts` (npm 11.16+/12): key -> true (run) or false (deny).
export function parseAllowScripts(rawText: string, file: string): PolicyEntry[] {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const root = parseJson(text, file);
  const value = getNodeValue(root) as Record<string, unknown> | null;
  const at = (path: JsonPath, atKey = false) => offsetToLocation(text, offsetOfPath(root, path, atKey), file);
  if (!value || typeof value !== 'object' || Array.isArray(value) || value.allowScripts === undefined) return [];
  const allow = value.allowScripts;
  if (!allow || typeof allow !== 'object' || Array.isArray(allow)) {
    throw problemsError('EPOLICY_INVALID', [{ location: at(['allowScripts']), path: 'allowScripts', message: 'wrong type', expected: 'an object of package key -> true or false' }]);
  }
  const problems: PolicyProblem[] = [];
  const entries: PolicyEntry[] = [];
  for (const [key, run] of Object.entries(allow as Record<string, unknown>)) {
    const parsed = parsePackageKey(key);
    const path = formatJsonPath(['allowScripts', key]);
    if (!isPackageKey(parsed)) problems.push({ location: at(['allowScripts', key], true), path, ...parsed });
    else if (typeof run !== 'boolean') problems.push({ location: at(['allowScripts', key]), path, message: 'wrong type', expected: 'true or false' });
    else entries.push({ key, parsed, run, source: 'allowScripts', location: at(['allowScripts', key], true) });
  }
  if (problems.length > 0) throw problemsError('EPOLICY_INVALID', problems);
  return entries;
}

// Merge allowScripts into the policy: the policy file wins for the same key, but every deny is kept.
export function mergeAllowScripts(policy: LoadedPolicy, allowScripts: PolicyEntry[]): LoadedPolicy {
  const policyKeys = new Set(policy.entries.map((e) => formatPackageKey(e.parsed)));
  const extra = allowScripts.filter((e) => !e.run || !policyKeys.has(formatPackageKey(e.parsed)));
  return { ...policy, entries: [...policy.entries, ...extra] };
}

// Read a file, or undefined when it does not exist; other failures are EPOLICY_IO.
async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SafeInstallError('EPOLICY_IO', `cannot read ${file}: ${(cause as Error).message}`, { cause, hint: 'check the file\'s permissions' });
  }
}

/** Where to look for the policy. */
export interface LoadPolicyOptions {
  /** Project root: holds package.json and, by default, safe-install.policy.json. */
  projectDir: string;
  /** Explicit policy file (`--policy FILE`); it must exist. @default `<projectDir>/safe-install.policy.json`, optional */
  file?: string;
}

// Load the project's policy: the file (or the built-in default when absent) merged with allowScripts.
export async function loadPolicy({ projectDir, file }: LoadPolicyOptions): Promise<LoadedPolicy> {
  const policyFile = resolve(projectDir, file ?? POLICY_FILE_NAME);
  const text = await readOptional(policyFile);
  if (text === undefined && file !== undefined) {
    throw new SafeInstallError('EPOLICY_IO', `policy file ${policyFile} does not exist`, { hint: 'check the --policy path, or run `safe-install approve <pkg>` to create one' });
  }
  const policy = text === undefined ? defaultPolicy() : parsePolicyText(text, policyFile);
  const pkgFile = resolve(projectDir, 'package.json');
  const pkgText = await readOptional(pkgFile);
  return pkgText === undefined ? policy : mergeAllowScripts(policy, parseAllowScripts(pkgText, pkgFile));
}
