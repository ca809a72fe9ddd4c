// The policy file's one schema: validation, TypeScript types and the editor JSON Schema all come from here.
import { z } from 'zod';
import { checkEnvName, checkExecPattern, checkNetPattern, checkPathPattern, type PatternProblem } from './patterns.js';
import { isPackageKey, parsePackageKey } from './package-key.js';
import { gatesSchema } from '../gates/gates-schema.js';

/** Built-in profile names (files in sandbox-profiles/); a test checks the list matches the folder. */
export const PROFILE_NAMES = ['default', 'native-build', 'prebuilt-download', 'browser-download', 'git-hooks', 'project'] as const;

// Turn a pattern check into a zod string whose issues carry `expected` and `hint` in params.
function checked(check: (s: string) => PatternProblem | undefined, description: string) {
  return z
    .string()
    .check((ctx) => {
      const problem = check(ctx.value);
      if (problem) {
        ctx.issues.push({ code: 'custom', message: problem.message, input: ctx.value, params: { expected: problem.expected, hint: problem.hint } });
      }
    })
    .describe(description);
}

const pathPattern = checked(checkPathPattern, 'A path: $PKG, $PROJECT, $HOME, $TMP, $CACHE or an absolute path, optionally ending in /** (the directory and everything under it).');

export const allowSchema = z
  .strictObject({
    read: z.array(pathPattern).optional().describe('Extra paths the script may read. Absent or []: only the base system, the project and the package; HOME, the npm cache and secrets stay hidden.'),
    write: z.array(pathPattern).optional().describe('Extra paths the script may write. Absent or []: only the package directory and a private /tmp.'),
    net: z
      .array(checked(checkNetPattern, 'host:port, *.domain:port (subdomains only) or host:* (any port).'))
      .optional()
      .describe('Network destinations reachable through the proxy. Absent or []: the profile\'s hosts only (default profile: none).'),
    exec: z
      .array(checked(checkExecPattern, 'A command name (matched against the file name) or an absolute path.'))
      .optional()
      .describe('Executables the script may start, added to the profile\'s list. Enforced by the isolate tier; recorded as deviations by the process tier.'),
    env: z
      .array(checked(checkEnvName, 'An environment variable name.'))
      .optional()
      .describe('Host environment variables passed through, in addition to the built-in allowlist. Name them one by one; secrets are never passed unless named here.'),
    timeout: z.number().int().min(1).max(86400).optional().describe('Wall-clock limit of one script, in seconds (1 to 86400). Absent: the profile\'s, else 600.'),
  })
  .describe('Grants added on top of the profile. Every list adds to the profile; none removes from it.');

const profileName = z.enum(PROFILE_NAMES).describe('A built-in profile from sandbox-profiles/.');

export const entrySchema = z
  .strictObject({
    run: z.boolean().default(true).describe('Whether the package\'s lifecycle scripts run. false is a deny and wins over every allow for the same package.'),
    profile: profileName.optional().describe('The built-in profile to start from. Absent: the package\'s known profile if there is one, else "default".'),
    allow: allowSchema.optional(),
  })
  .describe('What one package\'s scripts may do.');

export const rootSchema = z
  .strictObject({
    run: z.boolean().default(true).describe('Whether the project\'s own lifecycle scripts (preinstall, install, postinstall, prepare) run.'),
    profile: profileName.default('project').describe('Profile of the root scripts. Default "project": write the project tree except .git (hooks and config stay writable).'),
    allow: allowSchema.optional(),
  })
  .describe('The root project\'s own scripts.');

export const policySchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors.'),
    mode: z.enum(['enforce', 'audit']).default('enforce').describe('enforce: block what the policy does not allow. audit: allow everything and report each deviation.'),
    unlisted: z
      .enum(['sandbox', 'deny', 'ask'])
      .default('sandbox')
      .describe('A package with scripts that no entry names. sandbox: run it under its known profile or "default". deny: skip its scripts. ask: ask at a terminal (deny without one).'),
    root: rootSchema.default({ run: true, profile: 'project' }),
    packages: z
      .record(z.string().describe('A package key as in npm allowScripts: name, name@1.2.3, or name@1.2.3 || 1.2.4.'), entrySchema)
      .default({})
      .describe('Per-package entries keyed like npm allowScripts. A deny (run: false) wins over any allow for the same package and version.'),
    acceptDrift: z
      .array(checked((key) => { const parsed = parsePackageKey(key); return isPackageKey(parsed) ? undefined : parsed; }, 'A package key: name (every version) or name@1.2.3 || 1.2.4.'))
      .optional()
      .describe('Packages whose drift from safe-install.lock.json (changed script bodies, new hosts, writes or programs) is reported as a warning and does not fail --ci. Absent or []: all drift is an error.'),
    gates: gatesSchema.optional(),
  })
  .describe('safe-install policy: which lifecycle scripts run and what each may do.');

export type PolicyFile = z.output<typeof policySchema>;
export type Allow = z.output<typeof allowSchema>;
export type PolicyEntryFile = z.output<typeof entrySchema>;

// --- built-in profiles (sandbox-profiles/*.json) and known packages -------------------------------

export const profileSchema = allowSchema
  .extend({
    $comment: z.string().optional(),
    description: z.string().describe('One sentence: what scripts this profile is for.'),
    extends: profileName.optional().describe('A profile whose grants this one adds to.'),
    execAny: z.boolean().optional().describe('true: any executable may start (the default). false: only those in exec.'),
    protect: z.array(pathPattern).optional().describe('Paths inside a write grant that stay read-only.'),
  })
  .strict();
export type Profile = z.output<typeof profileSchema>;

export const knownPackageSchema = z.strictObject({
  $comment: z.string().describe('Why the package needs these grants, from reading its real install script.'),
  name: z.string(),
  versions: z.string().describe('A semver range of versions this entry applies to.'),
  profile: profileName,
  allow: allowSchema.optional(),
  execAny: z.boolean().optional(),
});
export const knownPackagesSchema = z.strictObject({ $comment: z.string().optional(), packages: z.array(knownPackageSchema) });
export type KnownPackage = z.output<typeof knownPackageSchema>;
