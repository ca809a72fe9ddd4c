// Validate SARIF logs the way the report tests do: against the official SARIF 2.1.0 schema and with
// Sarif.Multitool, both from Microsoft's @microsoft/sarif-multitool registry package (a devDependency).
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const require = createRequire(import.meta.url);

// The official SARIF 2.1.0 schema and validator ship in Microsoft's sarif-multitool platform packages (devDependencies).
export function multitoolDir(): string | undefined {
  for (const platform of ['linux', 'darwin', 'win32']) {
    try {
      return dirname(require.resolve(`@microsoft/sarif-multitool-${platform}/package.json`));
    } catch { /* not installed for this platform */ }
  }
  return undefined;
}

// Compile the official schema (sarif-2.1.0.json from the package) with ajv.
export function sarifSchemaValidator(toolDir: string) {
  const schema = JSON.parse(readFileSync(join(toolDir, 'sarif-2.1.0.json'), 'utf8'));
  const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
  return ajv.compile(schema);
}

// The Sarif.Multitool executable, or undefined when its postinstall did not make it executable.
export function multitoolExe(toolDir: string): string | undefined {
  const exe = join(toolDir, process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool');
  try {
    accessSync(exe, constants.X_OK);
    return exe;
  } catch {
    return undefined;
  }
}

// Run `Sarif.Multitool validate` on a log and return its own SARIF results (it exits 0 either way).
export function runMultitool(exe: string, log: unknown): any[] {
  const dir = mkdtempSync(join(tmpdir(), 'safe-install-sarif-'));
  writeFileSync(join(dir, 'in.sarif'), JSON.stringify(log, null, 2));
  const run = spawnSync(exe, ['validate', join(dir, 'in.sarif'), '-o', join(dir, 'out.sarif')], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
  assert.is(run.status, 0, run.stdout + run.stderr);
  return JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8')).runs.flatMap((r: any) => r.results ?? []);
}
