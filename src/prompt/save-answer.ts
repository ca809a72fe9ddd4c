// Turn an "always" answer into policy text and write it atomically, keeping the file's formatting.
import { readFile } from 'node:fs/promises';
import { applyGrantChanges, applyRunChanges, writePolicyFile, type GrantChange } from '../policy/edit-policy.js';
import { parsePolicyText } from '../policy/load-policy.js';
import { findKnownPackage } from '../policy/resolve-package-policy.js';
import { keyMatches } from '../policy/package-key.js';
import type { LoadedPolicy } from '../policy/loaded-policy.js';

/** What to write: a grant for a package (or the root), or whether a package's scripts run. */
export type PolicyAnswer =
  | { kind: 'grant'; name: string; version: string; isRoot: boolean; list: GrantChange['list']; value: string }
  | { kind: 'run'; name: string; run: boolean };

// Read the policy file; undefined when it does not exist yet.
async function readPolicyText(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
}

// Choose the entry a grant goes into: the versioned entries that apply win over a bare one (as when
// the policy is resolved), so the grant is added where it takes effect; none: a new bare-name entry.
export function chooseGrantKey(current: LoadedPolicy | undefined, name: string, version: string): { key: string; existing: boolean } {
  const matches = (current?.entries ?? []).filter((e) => e.source === 'policy' && keyMatches(e.parsed, name, version));
  const chosen = matches.find((e) => e.parsed.versions) ?? matches[0];
  return chosen ? { key: chosen.key, existing: true } : { key: name, existing: false };
}

// Build the change that adds one grant where it takes effect, carrying a known package's grants into a new entry.
export function grantChangeFor(current: LoadedPolicy | undefined, loaded: LoadedPolicy, g: { name: string; version: string; isRoot: boolean; list: GrantChange['list']; value: string }): GrantChange {
  if (g.isRoot) return { key: { root: true }, list: g.list, value: g.value };
  const { key, existing } = chooseGrantKey(current, g.name, g.version);
  const entry = existing ? current?.entries.find((e) => e.key === key && e.source === 'policy') : undefined;
  // A new entry, or one without profile and allow, would replace the known package's grants: carry them over.
  const known = !entry?.profile && !entry?.allow ? findKnownPackage(loaded.known, g.name, g.version) : undefined;
  return { key, list: g.list, value: g.value, base: known ? { profile: known.profile, allow: known.allow } : undefined };
}

// Write one answer into the policy file; returns notes for the person and the text now in the file.
export async function saveAnswer(file: string, loaded: LoadedPolicy, answer: PolicyAnswer): Promise<{ notes: string[]; text: string }> {
  const original = await readPolicyText(file);
  // Refuse to edit a file that is broken, and never write one.
  const current = original === undefined ? undefined : parsePolicyText(original, file);
  const result = answer.kind === 'run'
    ? applyRunChanges(original, [{ key: { name: answer.name }, run: answer.run }])
    : applyGrantChanges(original, [grantChangeFor(current, loaded, answer)]);
  parsePolicyText(result.text, file);
  if (result.text !== original) await writePolicyFile(file, result.text);
  return result;
}
