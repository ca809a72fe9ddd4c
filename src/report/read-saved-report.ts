// Read a JSON report written by --report and check it against the report schema, so `safe-install report FILE`
// says clearly when a file is not a report (a SARIF log, another version, some other JSON) instead of crashing.
import { readFile } from 'node:fs/promises';
import { SafeInstallError } from '../errors.js';
import { reportSchema } from './report-schema.js';
import type { InstallReport } from './types.js';

const HINT = 'pass the JSON file written by `safe-install --report FILE`';
/** Schema problems listed before "… and N more". */
const DETAIL_LIMIT = 10;

// Load and validate a saved report; every failure is a SafeInstallError naming the file.
export async function readSavedReport(file: string): Promise<InstallReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const missing = code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR';
    throw new SafeInstallError(missing ? 'EUSAGE' : 'EREPORT_IO', `cannot read the report ${file}: ${(error as Error).message}`, { hint: HINT, cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const position = /at position (\d+)/.exec((error as Error).message);
    throw new SafeInstallError('EUSAGE', `${file} is not JSON: ${(error as Error).message}`, {
      hint: HINT,
      location: position ? locate(file, text, Number(position[1])) : undefined,
      cause: error,
    });
  }
  const shape = value as { version?: unknown; runs?: unknown; tool?: { name?: unknown } } | null;
  if (shape && typeof shape === 'object' && shape.version === '2.1.0' && Array.isArray(shape.runs)) {
    throw new SafeInstallError('EUSAGE', `${file} is a SARIF log, not a safe-install report`, { hint: `${HINT}, not --sarif` });
  }
  if (shape && typeof shape === 'object' && shape.tool?.name === 'safe-install' && shape.version !== 1) {
    throw new SafeInstallError('EUSAGE', `${file} is a report of format version ${JSON.stringify(shape.version)}; this safe-install reads version 1`, {
      hint: 'render it with the safe-install version that wrote it',
    });
  }
  const parsed = reportSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const details = issues.slice(0, DETAIL_LIMIT).map((issue) => ({ path: issue.path.join('.') || '(top level)', message: issue.message }));
    if (issues.length > DETAIL_LIMIT) details.push({ path: '…', message: `and ${issues.length - DETAIL_LIMIT} more` });
    throw new SafeInstallError('EUSAGE', `${file} is not a safe-install report`, { hint: HINT, details });
  }
  return parsed.data;
}

// Turn a character offset into a 1-based line and column.
function locate(file: string, text: string, offset: number): { file: string; line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { file, line: before.length, column: before[before.length - 1].length + 1 };
}
