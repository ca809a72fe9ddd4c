// Gate: commands hidden in binding.gyp / .gypi files of packages that build at install. They are listed
// before anything runs; by default the build still runs, sandboxed like any script (pure).
import { findGypCommands, type GypCommand } from './find-gyp-commands.js';
import type { GateSettings } from './gates-schema.js';
import { matchAny } from './match-glob.js';
import { hasInstallScripts, type PackageFiles } from './read-package-files.js';
import { packageLabel, type GateResult, type TreeEntry } from './types.js';

const LISTED = 5;

// One result per package whose gyp files run commands.
export function checkGypCommands(tree: TreeEntry[], files: Map<string, PackageFiles | undefined>, settings: GateSettings['gypCommands']): GateResult[] {
  const out: GateResult[] = [];
  for (const entry of tree) {
    const pkg = files.get(entry.path);
    if (!pkg || !(entry.hasInstallScript || hasInstallScripts(pkg))) continue;
    const commands: GypCommand[] = pkg.gyp.flatMap((g) => findGypCommands(g.text, g.file));
    if (commands.length === 0) continue;
    const allowed = matchAny(settings.allow, [entry.realName, entry.name]);
    const shown = commands.slice(0, LISTED).map((c) => `${c.file}:${c.line} ${c.kind === 'action' ? 'action ' : ''}${c.text}`);
    const more = commands.length > LISTED ? `; and ${commands.length - LISTED} more` : '';
    out.push({
      rule: 'gyp-command',
      package: packageLabel(entry),
      path: entry.path,
      decision: allowed ? 'allow' : settings.decision,
      reason: allowed ? `gates.gypCommands.allow has "${allowed}"` : `gates.gypCommands.decision is "${settings.decision}"`,
      message: `its node-gyp files run ${commands.length} command${commands.length === 1 ? '' : 's'} during the build: ${shown.join('; ')}${more}`,
      question: { action: 'run build commands from its gyp files', target: commands[0].text, policyHint: `"gates": { "gypCommands": { "allow": ["${entry.realName}"] } }` },
    });
  }
  return out;
}
