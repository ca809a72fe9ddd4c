// `safe-install policy import [--from lavamoat|pnpm|npm]`: copy script approvals kept by other tools into
// the policy file. Sources: LavaMoat `lavamoat.allowScripts`, pnpm `onlyBuiltDependencies` /
// `neverBuiltDependencies` / `allowBuilds` (package.json `pnpm` and pnpm-workspace.yaml), npm `allowScripts`.
//
//   export async function runPolicyImport(args: PolicyImportArgs): Promise<number>
//
// Existing entries keep their grants; an imported deny is applied (a deny wins), an imported approval
// of an existing key changes nothing. Exit 0 on success (also when nothing was found), 2 on bad input.
import { readFile } from 'node:fs/promises';
import { relative, resolve, join } from 'node:path';
import { SafeInstallError } from '../../errors.js';
import {
  applyRunChanges, formatPackageKey, importLavamoat, importNpm, importPnpmSettings, parsePnpmWorkspaceYaml, parsePolicyText,
  POLICY_FILE_NAME, writePolicyFile, type ImportResult, type ImportSource,
} from '../../policy/index.js';
import { renderError } from '../../report/index.js';

export interface PolicyImportArgs {
  /** Sources to import from. @default all three */
  from?: ImportSource[];
  /** The policy file to write. @default `safe-install.policy.json` in cwd */
  file?: string;
  /** Project directory holding package.json. @default process.cwd() */
  cwd?: string;
  /** @default process.stdout.write */
  write?: (text: string) => void;
  /** @default process.stderr.write */
  writeError?: (text: string) => void;
}

const SOURCES: ImportSource[] = ['lavamoat', 'pnpm', 'npm'];

// Read a file or undefined when missing.
async function readIfPresent(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw new SafeInstallError('EPOLICY_IO', `cannot read ${file}: ${e.message}`, { cause: e });
  });
}

// Collect approvals from the chosen sources and merge them into the policy file.
export async function runPolicyImport(args: PolicyImportArgs = {}): Promise<number> {
  const write = args.write ?? ((text: string) => void process.stdout.write(text));
  const writeError = args.writeError ?? ((text: string) => void process.stderr.write(text));
  const cwd = args.cwd ?? process.cwd();
  try {
    const from = args.from && args.from.length > 0 ? args.from : SOURCES;
    for (const s of from) if (!SOURCES.includes(s)) throw new SafeInstallError('EUSAGE', `unknown import source "${s}"`, { hint: `use --from ${SOURCES.join('|')}` });
    const pkgText = await readIfPresent(join(cwd, 'package.json'));
    let pkg: Record<string, unknown> = {};
    try {
      pkg = pkgText === undefined ? {} : JSON.parse(pkgText);
    } catch (cause) {
      throw new SafeInstallError('EPOLICY_PARSE', `package.json is not valid JSON: ${(cause as Error).message}`, { cause });
    }
    const results: ImportResult[] = [];
    if (from.includes('lavamoat')) results.push(importLavamoat(pkg));
    if (from.includes('npm')) results.push(importNpm(pkg));
    if (from.includes('pnpm')) {
      const inPkg = pkg.pnpm && typeof pkg.pnpm === 'object' ? (pkg.pnpm as Record<string, unknown>) : {};
      results.push(importPnpmSettings(inPkg, 'package.json pnpm'));
      const yaml = await readIfPresent(join(cwd, 'pnpm-workspace.yaml'));
      if (yaml !== undefined) {
        const { settings, warnings } = parsePnpmWorkspaceYaml(yaml);
        const r = importPnpmSettings(settings, 'pnpm-workspace.yaml');
        results.push({ changes: r.changes, warnings: [...warnings, ...r.warnings] });
      }
    }
    const seen = new Set<string>();
    const changes = results.flatMap((r) => r.changes).filter((c) => {
      const id = `${formatPackageKey(c.key)}\0${c.run}`;
      return seen.has(id) ? false : (seen.add(id), true);
    });
    for (const w of results.flatMap((r) => r.warnings)) writeError(`warning: ${w}\n`);
    if (changes.length === 0) {
      write(`nothing to import from ${from.join(', ')}\n`);
      return 0;
    }
    const file = resolve(cwd, args.file ?? POLICY_FILE_NAME);
    const original = await readIfPresent(file);
    if (original !== undefined) parsePolicyText(original, file);
    // Approvals first, then denies, so a package both approved and denied ends denied.
    const ordered = [...changes.filter((c) => c.run), ...changes.filter((c) => !c.run)];
    const { text, notes } = applyRunChanges(original, ordered, { keepExisting: true });
    parsePolicyText(text, file);
    if (text !== original) await writePolicyFile(file, text);
    for (const note of notes) write(`${note}\n`);
    const approved = changes.filter((c) => c.run).length;
    write(`${original === undefined ? 'created' : 'updated'} ${relative(cwd, file) || file}: ${approved} approved, ${changes.length - approved} denied (from ${from.join(', ')})\n`);
    return 0;
  } catch (error) {
    const { text, exitCode } = renderError(error);
    writeError(text);
    return exitCode;
  }
}
