// Write a proposal as policy text: a new file grouped by profile, or the existing file with the grants added.
import { applyGrantChanges, applyRunChanges, inlineJson, SCHEMA_REF } from '../policy/edit-policy.js';
import { parsePolicyText } from '../policy/load-policy.js';
import { resolveRun } from '../policy/resolve-package-policy.js';
import type { LoadedPolicy } from '../policy/loaded-policy.js';
import { grantChangeFor } from '../prompt/save-answer.js';
import { escapeForTerminal } from '../text/escape-for-terminal.js';
import type { PackageProposal, Proposal } from './propose-grants.js';

// A comment line's text: one line, no control characters, bounded.
const comment = (text: string) => escapeForTerminal(text, { maxLength: 300 }).replace(/\*\//g, '*\\/');

// The entry value a new policy gives one package: an approval, or the known grants plus what was observed.
function entryFor(p: PackageProposal, policy: LoadedPolicy): { profile: string; value: Record<string, unknown> } {
  const run = resolveRun(policy, { name: p.name, version: p.versions[0], isRoot: false });
  const observed: Record<string, string[]> = {};
  if (p.net.length > 0) observed.net = p.net;
  if (p.write.length > 0) observed.write = p.write;
  if (Object.keys(observed).length === 0) return { profile: run.profile, value: {} };
  // An entry with `allow` replaces the known package's grants: write them out with the observed ones.
  const allow: Record<string, unknown> = { ...(run.known?.allow ?? {}) };
  for (const [list, items] of Object.entries(observed)) {
    const before = Array.isArray(allow[list]) ? (allow[list] as string[]) : [];
    allow[list] = [...before, ...items.filter((i) => !before.includes(i))];
  }
  return { profile: run.profile, value: run.known ? { profile: run.known.profile, allow } : { allow } };
}

// Render a new policy file from a proposal, packages grouped by the profile they run under.
export function renderNewPolicy(proposal: Proposal, policy: LoadedPolicy, date = new Date()): string {
  const lines = ['{', `  "$schema": ${JSON.stringify(SCHEMA_REF)},`, `  // Proposed by \`safe-install init\` on ${date.toISOString().slice(0, 10)} from what each lifecycle script tried.`, '  // Review every grant before committing: it is what the scripts did, not what they should do.'];
  const root = proposal.packages.find((p) => p.isRoot);
  const rootAllow: Record<string, string[]> = {};
  if (root?.net.length) rootAllow.net = root.net;
  if (root?.write.length) rootAllow.write = root.write;
  if (Object.keys(rootAllow).length > 0) {
    lines.push(`  // the project's own scripts (${comment(root!.events.join(', '))})`);
    for (const note of root!.notes) lines.push(`  //   note: ${comment(note)}`);
    lines.push(`  "root": ${inlineJson({ allow: rootAllow })},`);
  }
  const groups = new Map<string, { p: PackageProposal; value: Record<string, unknown> }[]>();
  for (const p of proposal.packages.filter((x) => !x.isRoot)) {
    const { profile, value } = entryFor(p, policy);
    groups.set(profile, [...(groups.get(profile) ?? []), { p, value }]);
  }
  const entries: string[] = [];
  for (const profile of [...groups.keys()].sort()) {
    const description = policy.profiles[profile]?.description;
    entries.push(`    // profile "${comment(profile)}"${description ? `: ${comment(description)}` : ''}`);
    for (const { p, value } of groups.get(profile)!) {
      entries.push(`    // ${comment(`${p.name}@${p.versions.join(', ')} (${p.events.join(', ')})`)}`);
      for (const note of p.notes) entries.push(`    //   note: ${comment(note)}`);
      entries.push(`    ${JSON.stringify(p.name)}: ${inlineJson(value)},`);
    }
  }
  // The last entry takes no comma.
  const last = entries.map((l, i) => [l, i] as const).filter(([l]) => !l.trimStart().startsWith('//')).pop();
  if (last) entries[last[1]] = entries[last[1]].replace(/,$/, '');
  lines.push(entries.length > 0 ? '  "packages": {' : '  "packages": {}');
  if (entries.length > 0) lines.push(...entries, '  }');
  lines.push('}', '');
  return lines.join('\n');
}

// Add a proposal to an existing policy text, keeping its formatting: approvals for packages without an
// entry, then each observed grant where it takes effect.
export function mergeIntoPolicy(original: string, proposal: Proposal, policy: LoadedPolicy, file: string): { text: string; notes: string[] } {
  let text = original;
  const notes: string[] = [];
  for (const p of proposal.packages) {
    if (!p.isRoot) {
      const r = applyRunChanges(text, [{ key: { name: p.name }, run: true }], { keepExisting: true });
      text = r.text;
      notes.push(...r.notes.filter((n) => !/already approved/.test(n)));
    }
    for (const list of ['net', 'write'] as const) {
      for (const value of p[list]) {
        const current = parsePolicyText(text, file);
        const change = grantChangeFor(current, policy, { name: p.name, version: p.versions[0], isRoot: p.isRoot, list, value });
        const r = applyGrantChanges(text, [change]);
        text = r.text;
      }
    }
  }
  return { text, notes };
}
