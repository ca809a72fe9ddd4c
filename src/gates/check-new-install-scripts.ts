// Gate: a package whose new version has install scripts when the version it replaces had none — the
// Shai-Hulud pattern (a stolen token publishes a patch release that adds a postinstall). Compared with
// the previous lockfile (as it was before npm ran) and with the behaviour lock (pure).
import type { GateSettings } from './gates-schema.js';
import { matchAny } from './match-glob.js';
import { hasInstallScripts, type PackageFiles } from './read-package-files.js';
import { packageLabel, type GateResult, type TreeEntry } from './types.js';

const INSTALL_EVENTS = ['preinstall', 'install', 'postinstall'];

/** The behaviour lock's view used here: `name@version` -> lifecycle event -> script hash. */
export interface KnownScripts {
  packages: Record<string, { scripts: Record<string, string> }>;
}

// Flag every package that has install scripts now and whose replaced version had none.
export function checkNewInstallScripts(input: { tree: TreeEntry[]; previous: TreeEntry[]; lock?: KnownScripts; files: Map<string, PackageFiles | undefined>; settings: GateSettings['newInstallScripts'] }): GateResult[] {
  const { tree, previous, lock, files, settings } = input;
  const out: GateResult[] = [];
  for (const entry of tree) {
    if (!entry.version) continue;
    const pkgFiles = files.get(entry.path);
    if (!entry.hasInstallScript && !(pkgFiles && hasInstallScripts(pkgFiles))) continue;
    const before = replacedVersion(entry, previous, lock);
    if (!before) continue;
    const allowed = matchAny(settings.allow, [entry.realName, entry.name]);
    const scripts = pkgFiles ? describeScripts(pkgFiles) : 'install scripts';
    out.push({
      rule: 'new-install-script',
      package: packageLabel(entry),
      path: entry.path,
      decision: allowed ? 'allow' : settings.decision,
      reason: allowed ? `gates.newInstallScripts.allow has "${allowed}"` : `gates.newInstallScripts.decision is "${settings.decision}"`,
      message: `gained ${scripts}; ${before}`,
      question: { action: 'run install scripts its previous version did not have', target: scripts, policyHint: `"gates": { "newInstallScripts": { "allow": ["${entry.realName}"] } }` },
    });
  }
  return out;
}

// Describe the version this one replaces when that version had no install scripts; undefined otherwise.
function replacedVersion(entry: TreeEntry, previous: TreeEntry[], lock: KnownScripts | undefined): string | undefined {
  const same = previous.find((p) => p.path === entry.path && p.realName === entry.realName) ?? previous.find((p) => p.realName === entry.realName);
  if (same) {
    if (same.version === entry.version || same.hasInstallScript) return undefined;
    return `${packageLabel(same)} in the previous lockfile had none`;
  }
  if (!lock) return undefined;
  if (lock.packages[`${entry.realName}@${entry.version}`]) return undefined;
  const others = Object.entries(lock.packages).filter(([key]) => key.slice(0, key.lastIndexOf('@')) === entry.realName);
  if (others.length === 0 || others.some(([, v]) => INSTALL_EVENTS.some((e) => e in v.scripts))) return undefined;
  return `${others.map(([key]) => key).join(', ')} in safe-install.lock.json had none`;
}

// `postinstall: node setup.js; binding.gyp (node-gyp rebuild)`, each body cut to 120 characters.
function describeScripts(files: PackageFiles): string {
  const parts = INSTALL_EVENTS.filter((e) => e in files.scripts).map((e) => `${e}: ${cut(files.scripts[e])}`);
  if (!('install' in files.scripts) && !('preinstall' in files.scripts) && files.gyp.some((g) => g.file === 'binding.gyp')) parts.push('binding.gyp (node-gyp rebuild)');
  return parts.length > 0 ? parts.join('; ') : 'install scripts';
}

function cut(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}
