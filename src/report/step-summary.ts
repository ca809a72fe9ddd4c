// Render a report as Markdown for $GITHUB_STEP_SUMMARY: the exit meaning, a table of scripts and a table of
// problems. Package-derived text is escaped so it cannot break a table (`|`), inject HTML or links, or
// carry control characters.
import { escapeForTerminal } from '../text/escape-for-terminal.js';
import type { InstallReport } from './types.js';
import { collectResults } from './collect-results.js';
import { explainExitCode } from './explain-exit-code.js';
import { formatDuration } from './format-duration.js';
import { summarizeCounts } from './summarize-counts.js';

/** Rows per table before "… and N more". */
const ROW_LIMIT = 50;

// Make untrusted text inert inside a Markdown table cell.
function cell(text: string): string {
  return escapeForTerminal(text, { maxLength: 300 })
    .replace(/[\\`*_[\]#~!]/g, (ch) => `\\${ch}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|');
}

function table(header: string[], rows: string[][]): string[] {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows.slice(0, ROW_LIMIT)) lines.push(`| ${row.join(' | ')} |`);
  if (rows.length > ROW_LIMIT) lines.push('', `… and ${rows.length - ROW_LIMIT} more (see the JSON report)`);
  return lines;
}

// Build the Markdown summary of one run.
export function stepSummary(report: InstallReport): string {
  const lines = [
    `## safe-install: ${explainExitCode(report)}`,
    '',
    `${summarizeCounts(report)}. Mode ${report.mode}, ${report.sandbox.kind === 'none' ? '**no sandbox**' : `${report.sandbox.kind} sandbox, ${report.sandbox.tracing} tracing`}, ${formatDuration(report.durationMs)}.`,
  ];
  if (report.scripts.length > 0) {
    lines.push('', '### Scripts', '', ...table(['Package', 'Script', 'Outcome', 'Duration', 'Tier'], report.scripts.map((s) => [
      cell(s.package), cell(s.event), s.outcome === 'failed' ? `failed (exit ${s.exitCode ?? '?'})` : s.outcome, formatDuration(s.durationMs), s.tier,
    ])));
  }
  const results = collectResults(report);
  if (results.length > 0) {
    lines.push('', '### Problems', '', ...table(['Level', 'Rule', 'Message'], results.map((r) => [r.level, cell(r.ruleId), cell(r.message)])));
  }
  return `${lines.join('\n')}\n`;
}
