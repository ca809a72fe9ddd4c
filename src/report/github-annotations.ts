// Render results as GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`), so each
// problem shows on the run page and, when the lockfile is in the diff, on the pull request.
// Workflow commands are parsed from the log line by line: an unescaped newline in a package-controlled
// string could start a command of its own, so every value is escaped by GitHub's rules.
import { escapeForTerminal } from '../text/escape-for-terminal.js';
import type { InstallReport } from './types.js';
import { collectResults } from './collect-results.js';
import { locatePackage, type SourceFiles } from './locate-package.js';

/** GitHub shows a limited number of annotations per step; past this, one line says how many were left out. */
const ANNOTATION_LIMIT = 50;

const COMMAND = { error: 'error', warning: 'warning', note: 'notice' } as const;

// Escape a message (the part after `::`).
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
// Escape a property value (file, title): also `:` and `,`, which end a value.
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

// Build one workflow command line per result.
export function githubAnnotations(report: InstallReport, files: SourceFiles = {}): string[] {
  const results = collectResults(report);
  const lines = results.slice(0, ANNOTATION_LIMIT).map((result) => {
    const where = locatePackage(result.path, result.script, files);
    const props = [`file=${escapeProperty(where.uri)}`, `line=${where.line}`, `col=${where.column}`, `title=${escapeProperty(`safe-install ${result.ruleId}`)}`];
    return `::${COMMAND[result.level]} ${props.join(',')}::${escapeData(escapeForTerminal(result.message))}`;
  });
  if (results.length > ANNOTATION_LIMIT) {
    lines.push(`::warning title=safe-install::${results.length - ANNOTATION_LIMIT} more results are in the JSON or SARIF report`);
  }
  return lines;
}
