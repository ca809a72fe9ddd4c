// Gate: a dependency whose bin takes the name of a common command. npm puts node_modules/.bin first on
// PATH for `npm run` and for every lifecycle script, so a bin called `node`, `git` or `curl` runs in
// place of the real one, no install script needed (pure).
import { DEFAULT_SHADOWED_COMMANDS, type GateSettings } from './gates-schema.js';
import { matchAny } from './match-glob.js';
import { packageLabel, type GateResult, type TreeEntry } from './types.js';

// Registry packages that legitimately provide these commands. Only by their real name and from the
// registry: an alias (`"npm": "npm:evil@1"`) or a git copy named `npm` is not the owner.
const OWNERS: Record<string, string[]> = {
  node: ['node'], npm: ['npm'], npx: ['npm'], corepack: ['corepack'], yarn: ['yarn', 'corepack'], yarnpkg: ['yarn'],
  pnpm: ['pnpm', 'corepack'], pnpx: ['pnpm', 'corepack'], 'node-gyp': ['node-gyp'],
};

// Flag every bin named like a command in the built-in list or `settings.commands`.
export function checkShadowedCommands(tree: TreeEntry[], settings: GateSettings['shadowedCommands']): GateResult[] {
  const commands = new Set<string>([...DEFAULT_SHADOWED_COMMANDS, ...settings.commands]);
  const out: GateResult[] = [];
  for (const entry of tree) {
    for (const bin of Object.keys(entry.bin).sort()) {
      // npm links the last path segment; a bin named `x/node` still lands as `node`.
      const linked = bin.split('/').pop() ?? bin;
      if (!commands.has(linked)) continue;
      if (entry.source === 'registry' && entry.realName === entry.name && OWNERS[linked]?.includes(entry.realName)) continue;
      const allowed = matchAny(settings.allow, [entry.realName, entry.name]);
      const binDir = `${entry.path.slice(0, entry.path.lastIndexOf('node_modules/'))}node_modules/.bin`;
      out.push({
        rule: 'shadowed-command',
        package: packageLabel(entry),
        path: entry.path,
        decision: allowed ? 'allow' : settings.decision,
        reason: allowed ? `gates.shadowedCommands.allow has "${allowed}"` : `gates.shadowedCommands.decision is "${settings.decision}"`,
        message: `installs a command named "${linked}" (${binDir}/${linked} -> ${entry.bin[bin]}); scripts and npm run would run it instead of the real ${linked}`,
        question: { action: 'install a command named', target: `${binDir}/${linked}`, policyHint: `"gates": { "shadowedCommands": { "allow": ["${entry.realName}"] } }` },
      });
    }
  }
  return out;
}
