// --ci fails before anything runs when the policy can already tell: read the lockfile (and installed
// manifests), list the packages whose scripts would be refused for want of an approval, and end the run
// with a report naming them, without starting npm.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedPolicy } from '../policy/index.js';
import { readLockfile } from '../install/read-lockfile.js';
import { endBeforeNpm, type RunBeforeNpm } from '../install/end-before-npm.js';
import type { Finding } from '../report/types.js';
import type { InstallResult } from '../install/run-install.js';
import { findRefusedScripts, type PreflightLockfile, type RefusedScript } from './find-refused-scripts.js';
import { npmOmit } from './npm-omit.js';

export interface PreflightInput {
  projectDir: string;
  policy: LoadedPolicy;
  command: 'install' | 'ci' | 'rebuild';
  npmArgs: string[];
  env: NodeJS.ProcessEnv;
}

// List what the policy refuses before npm runs (see findRefusedScripts).
export function preflightScripts(input: PreflightInput): RefusedScript[] {
  // `rebuild <pkg...>` only touches the named packages; let the end-of-run check judge those.
  if (input.command === 'rebuild' && input.npmArgs.some((a) => !a.startsWith('-'))) return [];
  // Under "sandbox" every unlisted package runs: nothing can be refused for want of an approval.
  if (input.policy.unlisted === 'sandbox') return [];
  const lockfile = readLockfile(input.projectDir) as PreflightLockfile | undefined;
  return findRefusedScripts({
    policy: input.policy,
    lockfile,
    omit: npmOmit(input.npmArgs, input.env),
    platform: process.platform,
    arch: process.arch,
    installedScripts: (path) => readInstalledScripts(join(input.projectDir, path)),
  });
}

// The finding that names one refused package, located at its lockfile entry.
export function refusedFinding(refused: RefusedScript): Finding {
  return {
    rule: 'script-denied',
    level: 'error',
    package: refused.package,
    path: refused.path,
    message: `${refused.package} has install scripts and no policy entry approves it (${refused.reason}); --ci refused it before running npm. After review: \`safe-install approve ${refused.name}@${refused.version}\`, or \`safe-install deny ${refused.name}\` to install it without its scripts.`,
  };
}

export interface RefuseBeforeRunInput extends RunBeforeNpm {
  refused: RefusedScript[];
  npmVersion?: string;
}

// End the run without starting npm: a report whose findings name every refused package, exit 1.
export function refuseBeforeRun(input: RefuseBeforeRunInput): Promise<InstallResult> {
  return endBeforeNpm({ ...input, why: '--ci refused unapproved scripts before npm ran', findings: input.refused.map(refusedFinding), exitCode: 1 });
}

// Whether the installed copy has lifecycle scripts npm runs at install (or a binding.gyp, built by node-gyp).
function readInstalledScripts(dir: string): { version?: string; hasScripts: boolean } | undefined {
  let manifest: { version?: string; scripts?: Record<string, unknown> };
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const scripts = manifest.scripts ?? {};
  const hasScripts = ['preinstall', 'install', 'postinstall'].some((e) => typeof scripts[e] === 'string') || existsSync(join(dir, 'binding.gyp'));
  return { version: manifest.version, hasScripts };
}
