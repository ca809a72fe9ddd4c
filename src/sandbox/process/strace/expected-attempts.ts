// Tell an attack from a tool doing its usual start-up inside the sandbox. Both are hidden or contained
// the same way; only the first is a deviation. npm run by a script reads ~/.npmrc and writes ~/.npm/_logs,
// git reads ~/.gitconfig, curl ~/.curlrc, node-gyp fills ~/.cache/node-gyp: in the synthetic HOME those
// reads find nothing and those writes are discarded. A script reading ~/.ssh/id_rsa or writing ~/.bashrc
// is reported as a deviation whatever program it used, except a tool reading its own config file.
import { posix } from 'node:path';

/** Files under HOME that hold credentials: reading one is a deviation unless its own tool reads it. */
const CREDENTIALS = [
  /^\.npmrc$/, /^\.yarnrc(\.yml)?$/, /^\.pypirc$/, /^\.netrc$/, /^\.git-credentials$/,
  /^\.ssh(\/|$)/, /^\.gnupg(\/|$)/, /^\.aws(\/|$)/, /^\.azure(\/|$)/, /^\.kube(\/|$)/, /^\.docker\/config\.json$/,
  /^\.config\/(gh|hub|gcloud|doctl|op)(\/|$)/, /^\.terraform\.d\/credentials/, /^\.vault-token$/, /^\.cargo\/credentials/,
  /^\.m2\/settings/, /^\.gradle\/gradle\.properties$/, /^\.(bash|zsh|sh)_history$/, /^\.local\/share\/keyrings(\/|$)/,
];

/** Config each tool reads at start-up: not an attack when that tool reads it. */
const OWN_CONFIG: Record<string, RegExp[]> = {
  npm: [/^\.npmrc$/, /^\.npm(\/|$)/, /^\.config\/npm(\/|$)/],
  npx: [/^\.npmrc$/, /^\.npm(\/|$)/],
  git: [/^\.gitconfig$/, /^\.config\/git(\/|$)/],
  curl: [/^\.curlrc$/, /^\.config\/curlrc$/],
  wget: [/^\.wgetrc$/],
  yarn: [/^\.yarnrc(\.yml)?$/, /^\.yarn(\/|$)/],
  pnpm: [/^\.npmrc$/, /^\.config\/pnpm(\/|$)/],
};

/** Files in the project root a package manager reads at start-up (hidden from dependencies: they read as empty). */
const PROJECT_CONFIG: Record<string, string[]> = {
  npm: ['.npmrc'], npx: ['.npmrc'], pnpm: ['.npmrc'], yarn: ['.npmrc', '.yarnrc', '.yarnrc.yml'],
};

/** HOME places where tools keep caches and state; a write there is contained and expected. */
const CACHES = [/^\.cache(\/|$)/, /^\.npm(\/|$)/, /^\.node-gyp(\/|$)/, /^\.yarn(\/|$)/, /^\.pnpm-store(\/|$)/, /^\.local\/share\/pnpm(\/|$)/, /^\.config\/configstore(\/|$)/];

/** Programs that, run as a script, are a tool rather than the script itself: node running npm-cli.js is npm. */
export function programName(execPath: string, argv: string[] | undefined): string {
  const base = posix.basename(execPath);
  if (base === 'node' || base === 'nodejs') {
    const script = argv?.[1] ? posix.basename(argv[1]) : '';
    if (script === 'npm-cli.js' || script === 'npm') return 'npm';
    if (script === 'npx-cli.js' || script === 'npx') return 'npx';
    if (script === 'yarn.js' || script === 'yarn.cjs' || script === 'yarn') return 'yarn';
    if (script === 'pnpm.cjs' || script === 'pnpm') return 'pnpm';
  }
  return base;
}

// The path relative to HOME, or to any account's home (curl and git look up ~ in /etc/passwd, not $HOME).
function underHome(path: string, home: string): string | undefined {
  const h = home.replace(/\/$/, '');
  if (path.startsWith(`${h}/`)) return path.slice(h.length + 1);
  const other = /^\/(?:root|home\/[^/]+)\/(.+)$/.exec(path);
  return other ? other[1] : undefined;
}

// A refused read of a hidden file that is only a tool's start-up lookup, or a dotfile holding no credentials.
// A nested npm (or yarn, pnpm) reading the project's .npmrc is its start-up too: the file reads as empty.
export function isExpectedRead(path: string, program: string | undefined, home: string, projectDir?: string): boolean {
  if (projectDir && program && (PROJECT_CONFIG[program] ?? []).some((name) => path === posix.join(projectDir, name))) return true;
  const rel = underHome(path, home);
  if (rel === undefined) return false;
  const own = program ? OWN_CONFIG[program] ?? [] : [];
  if (own.some((re) => re.test(rel))) return true;
  return !CREDENTIALS.some((re) => re.test(rel));
}

// A write contained in the synthetic HOME that lands in a cache or a tool's own state.
export function isExpectedHomeWrite(path: string, program: string | undefined, home: string): boolean {
  const rel = underHome(path, home);
  if (rel === undefined) return false;
  if (CACHES.some((re) => re.test(rel))) return true;
  const own = program ? OWN_CONFIG[program] ?? [] : [];
  return own.some((re) => re.test(rel)) && !CREDENTIALS.some((re) => re.test(rel));
}
