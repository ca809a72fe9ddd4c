// The policy's `gates` section: what each check of the resolved tree does before any script runs.
// Part of the one policy schema (src/policy/schema.ts imports it); see docs/gates.md.
import { z } from 'zod';

/** The commands a dependency's bin must not take by default (they would shadow the real ones in node_modules/.bin). */
export const DEFAULT_SHADOWED_COMMANDS = [
  'node', 'nodejs', 'npm', 'npx', 'corepack', 'yarn', 'pnpm', 'node-gyp',
  'sh', 'bash', 'dash', 'zsh', 'env', 'sudo',
  'git', 'ssh', 'scp', 'python', 'python3', 'pip', 'pip3', 'perl', 'ruby',
  'make', 'cmake', 'cc', 'c++', 'gcc', 'g++', 'clang', 'clang++', 'ld',
  'curl', 'wget', 'tar', 'gzip', 'unzip',
  'cat', 'cp', 'mv', 'rm', 'ls', 'chmod', 'find', 'grep', 'sed', 'awk', 'xargs', 'which',
] as const;

const decision = z.enum(['allow', 'ask', 'deny']);

// A non-empty string with no control characters (shown in prompts and reports).
function text(description: string) {
  return z
    .string()
    .check((ctx) => {
      if (ctx.value.trim() === '' || /[\x00-\x1f\x7f]/.test(ctx.value)) {
        ctx.issues.push({ code: 'custom', message: `"${ctx.value.replace(/[\x00-\x1f\x7f]/g, '?')}" is empty or has control characters`, input: ctx.value, params: { expected: description } });
      }
    })
    .describe(description);
}

const namePattern = text('A package name or a glob over names: `left-pad`, `@myorg/*`.');

export const sourcesSchema = z
  .strictObject({
    direct: decision.default('allow').describe('Git, URL, tarball-file and directory dependencies the project names in its own package.json (or a workspace\'s). allow: list them in the report. ask: ask at a terminal (deny without one). deny: refuse the install.'),
    transitive: decision.default('ask').describe('Git, URL, tarball-file and directory dependencies that a dependency brings in (the PhantomRaven pattern). Default ask: asked at a terminal, refused under --ci.'),
    allow: z.array(text('A source glob, matched against the lockfile `resolved` and the spec a dependent wrote; `*` matches any characters: `git+https://github.com/myorg/*`, `github:myorg/*`.')).default([]).describe('Sources always allowed, direct or not. Absent or []: none. A deny pattern wins over an allow pattern.'),
    deny: z.array(text('A source glob, matched like `allow`: `http://*`.')).default([]).describe('Sources always refused, even when direct. Absent or []: none.'),
  })
  .describe('Exotic sources: packages that do not come from the registry. npm\'s own allow-git, allow-remote, allow-file and allow-directory settings are honoured on top (`none` refuses all, `root` refuses transitive ones).');

export const freshReleasesSchema = z
  .strictObject({
    minAgeDays: z
      .number()
      .check((ctx) => {
        if (!(ctx.value >= 0 && ctx.value <= 3650)) ctx.issues.push({ code: 'custom', message: `${ctx.value} is out of range`, input: ctx.value, params: { expected: 'a number of days from 0 to 3650' } });
      })
      .default(0)
      .describe('Versions published less than this many days ago are flagged (fractions allowed: 0.5 is twelve hours). 0 or absent: off, unless npm\'s min-release-age or before is set, which is then enforced as deny.'),
    decision: z.enum(['ask', 'deny']).default('ask').describe('What to do with a version younger than minAgeDays: ask at a terminal (deny without one), or deny.'),
    exclude: z.array(namePattern).default([]).describe('Packages never checked (your own scope, for instance). npm\'s min-release-age-exclude is added to it. Absent or []: none.'),
  })
  .describe('Fresh releases: registry versions newer than the policy\'s minimum age, from the registry\'s publish times. Only versions new to this install are checked (not already in the previous lockfile).');

export const shadowedCommandsSchema = z
  .strictObject({
    decision: decision.default('ask').describe('What to do when a dependency\'s bin takes the name of a common command (node, npm, sh, git, curl, ...): later `npm run` and every other package\'s scripts would run it instead.'),
    commands: z.array(text('A command name.')).default([]).describe('Command names checked in addition to the built-in list (node, npx, sh, bash, git, python3, make, gcc, curl, wget, tar, ...). Absent or []: the built-in list only.'),
    allow: z.array(namePattern).default([]).describe('Packages allowed to provide such commands (e.g. "npm" for npm and npx when you pin npm as a dependency). Absent or []: none.'),
  })
  .describe('Shadowed commands: dependency bins named like common commands.');

export const gypCommandsSchema = z
  .strictObject({
    decision: decision.default('allow').describe('What to do with a binding.gyp or .gypi file that runs commands (`<!(...)`, `<!@(...)`, actions). Default allow: they are listed in the report and the build runs sandboxed like any script. ask or deny: stop before the install.'),
    allow: z.array(namePattern).default([]).describe('Packages whose gyp commands are not asked about or refused (still listed). Absent or []: none.'),
  })
  .describe('Hidden build commands in node-gyp files, read from the tarball before npm runs.');

export const newInstallScriptsSchema = z
  .strictObject({
    decision: decision.default('ask').describe('What to do when a package has install scripts (preinstall, install, postinstall or a binding.gyp) and the version it replaces had none, in the previous lockfile or safe-install.lock.json (the Shai-Hulud pattern).'),
    allow: z.array(namePattern).default([]).describe('Packages allowed to gain install scripts. Absent or []: none.'),
  })
  .describe('New install scripts: a version that gained install scripts over the version it replaces.');

export const gatesSchema = z
  .strictObject({
    sources: sourcesSchema.default({ direct: 'allow', transitive: 'ask', allow: [], deny: [] }),
    freshReleases: freshReleasesSchema.default({ minAgeDays: 0, decision: 'ask', exclude: [] }),
    shadowedCommands: shadowedCommandsSchema.default({ decision: 'ask', commands: [], allow: [] }),
    gypCommands: gypCommandsSchema.default({ decision: 'allow', allow: [] }),
    newInstallScripts: newInstallScriptsSchema.default({ decision: 'ask', allow: [] }),
  })
  .describe('Checks of the resolved tree that run before npm installs anything and before any script (docs/gates.md). Findings go into the report; a refusal stops the install.');

export type GateSettings = z.output<typeof gatesSchema>;

// Return the settings used when the policy has no `gates` section.
export function defaultGateSettings(): GateSettings {
  return gatesSchema.parse({});
}

// Name the keys allowed in the object at `path` inside `gates`, for "unknown key" messages.
export function gateKeysAt(path: (string | number)[]): string {
  const section = path[0] as keyof typeof gatesSchema.shape | undefined;
  if (section === undefined) return Object.keys(gatesSchema.shape).join(', ');
  const inner = gatesSchema.shape[section]?.unwrap();
  return inner ? Object.keys(inner.shape).join(', ') : Object.keys(gatesSchema.shape).join(', ');
}
