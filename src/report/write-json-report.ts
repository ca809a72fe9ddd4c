// Write the JSON report atomically, so a CI step that reads it never sees half a file.
import writeFileAtomic from 'write-file-atomic';
import { SafeInstallError } from '../errors.js';
import type { InstallReport } from './types.js';

// Write a report as pretty JSON with a trailing newline; a failure becomes EREPORT_IO naming the file.
export async function writeJsonReport(report: InstallReport, file: string): Promise<void> {
  try {
    await writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`, { encoding: 'utf8' });
  } catch (error) {
    throw new SafeInstallError('EREPORT_IO', `could not write the report to ${file}: ${(error as Error).message}`, {
      hint: 'check that the directory exists and is writable, or pass another path to --report',
      cause: error,
    });
  }
}
