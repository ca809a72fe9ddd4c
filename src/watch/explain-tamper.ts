// Turn witnessed changes into findings, unless an allowed script action or npm itself explains them.
import { resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import type { SandboxEvent } from '../events/types.js';
import type { Finding } from '../report/types.js';
import type { TamperChange } from './types.js';

export interface ExplainTamperOptions {
  /**
   * Absolute path globs (picomatch, dotfiles matched) of what npm itself writes during an install.
   * `dir/**` also matches `dir`. See npmOwnedPaths() for the usual list.
   */
  npmOwnedPaths: string[];
}

const allowed = (e: SandboxEvent) => e.decision === 'allowed' || e.decision === 'asked-allowed';

// Say whether an allowed event accounts for a change: a write for an addition or change, a delete for a
// removal, and for an addition also a write inside it (mkdir -p of a new directory, then a file in it).
function explains(e: SandboxEvent, c: TamperChange): boolean {
  if (!allowed(e)) return false;
  const target = resolve(e.target);
  if (e.kind === 'fs.write') {
    if (c.change === 'removed') return false;
    return target === c.path || (c.change === 'added' && target.startsWith(c.path + sep));
  }
  if (e.kind === 'fs.delete') return c.change === 'removed' && target === c.path;
  return false;
}

// List the findings for changes no allowed event and no npm-owned pattern explains (pure).
export function explainTamper(
  changes: TamperChange[],
  allowedEvents: SandboxEvent[],
  { npmOwnedPaths }: ExplainTamperOptions,
): Finding[] {
  const npmOwned = picomatch(npmOwnedPaths, { dot: true });
  const findings: Finding[] = [];
  for (const c of changes) {
    if (npmOwned(c.path)) continue;
    if (allowedEvents.some((e) => explains(e, c))) continue;
    // A denied attempt on the same path names a suspect: the sandbox refused it, yet the file changed.
    const suspect = allowedEvents.find(
      (e) => !allowed(e) && (e.kind === 'fs.write' || e.kind === 'fs.delete') && resolve(e.target) === c.path,
    );
    const finding: Finding = {
      rule: 'tamper',
      level: 'error',
      message:
        `${c.path} was ${c.change} during the install, and no allowed script action explains it` +
        (suspect ? ` (${suspect.package} ${suspect.script} tried to ${suspect.kind === 'fs.write' ? 'write' : 'delete'} it and was denied)` : ''),
      path: c.path,
    };
    if (suspect) finding.package = suspect.package;
    findings.push(finding);
  }
  return findings;
}

export interface NpmOwnedPathsOptions {
  projectDir: string;
  home: string;
  /** npm saves dependencies (install <pkg>, --save): package.json and package-lock.json change. @default true */
  saves?: boolean;
  /** npm's cache directory when not ~/.npm (npm_config_cache). */
  cacheDir?: string;
}

// List the paths npm itself writes during an install, as patterns for explainTamper.
export function npmOwnedPaths({ projectDir, home, saves = true, cacheDir }: NpmOwnedPathsOptions): string[] {
  const project = resolve(projectDir);
  const npmDir = resolve(home, '.npm');
  const cache = resolve(cacheDir ?? npmDir);
  const out = [
    `${project}/node_modules`,
    `${project}/node_modules/**`,
    `${npmDir}/_cacache`,
    `${npmDir}/_cacache/**`,
    `${npmDir}/_logs`,
    `${npmDir}/_logs/**`,
    `${npmDir}/_update-notifier-last-checked`,
  ];
  if (cache !== npmDir) out.push(cache, `${cache}/**`);
  if (saves) out.push(`${project}/package.json`, `${project}/package-lock.json`);
  return out;
}
