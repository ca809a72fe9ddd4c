// Read the npm settings the gates honour, as npm itself resolves them (command line, npm_config_*
// environment, project, user and global .npmrc): allow-git/remote/file/directory, min-release-age,
// before, min-release-age-exclude, the registry, the cache and package-lock. One `npm config get` call.
import { execa } from 'execa';
import { defaultNpmSettings, type NpmAllow, type NpmGateSettings } from './types.js';

const KEYS = ['allow-git', 'allow-remote', 'allow-file', 'allow-directory', 'min-release-age', 'before', 'min-release-age-exclude', 'registry', 'cache', 'package-lock'] as const;

// Keep the user's command-line flags that set one of our keys, so `--allow-git=none` counts.
export function settingFlags(npmArgs: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < npmArgs.length; i++) {
    const arg = npmArgs[i];
    const eq = arg.indexOf('=');
    const key = arg.startsWith('--') ? arg.slice(2, eq === -1 ? undefined : eq) : '';
    if (!(KEYS as readonly string[]).includes(key)) continue;
    if (eq !== -1) out.push(arg);
    else if (npmArgs[i + 1] !== undefined && !npmArgs[i + 1].startsWith('-')) out.push(`${arg}=${npmArgs[++i]}`);
  }
  return out;
}

// Ask npm for the settings; npm's defaults when it cannot answer.
export async function readNpmSettings(input: { cwd: string; env: NodeJS.ProcessEnv; npmArgs: string[] }): Promise<NpmGateSettings> {
  const result = await execa('npm', ['config', 'get', ...KEYS, ...settingFlags(input.npmArgs)], { cwd: input.cwd, env: input.env, extendEnv: false, reject: false, timeout: 60_000 });
  return result.exitCode === 0 ? parseNpmSettings(result.stdout) : defaultNpmSettings();
}

// Parse `npm config get k1 k2 ...` output: one `key=value` line per key (lists comma-joined, dates as Date strings).
export function parseNpmSettings(stdout: string): NpmGateSettings {
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const settings = defaultNpmSettings();
  const allow = (key: string): NpmAllow => {
    const v = values.get(key);
    return v === 'none' || v === 'root' ? v : 'all';
  };
  settings.allowGit = allow('allow-git');
  settings.allowRemote = allow('allow-remote');
  settings.allowFile = allow('allow-file');
  settings.allowDirectory = allow('allow-directory');
  const age = Number(values.get('min-release-age'));
  if (values.get('min-release-age') !== 'null' && Number.isFinite(age) && age > 0) settings.minReleaseAgeDays = age;
  const before = values.get('before');
  if (before && before !== 'null' && !Number.isNaN(new Date(before).getTime())) settings.before = new Date(before);
  const exclude = values.get('min-release-age-exclude');
  if (exclude) settings.minReleaseAgeExclude = exclude.split(',').map((s) => s.trim()).filter(Boolean);
  const registry = values.get('registry');
  if (registry && /^https?:\/\//.test(registry)) settings.registry = registry.endsWith('/') ? registry : `${registry}/`;
  const cache = values.get('cache');
  if (cache && cache !== 'null') settings.cache = cache;
  if (values.get('package-lock') === 'false') settings.packageLock = false;
  return settings;
}
