// The text of the progress display (pure): one line per running script, one line per finished one.
import { escapeForTerminal } from '../text/escape-for-terminal.js';
import { formatDuration } from '../report/format-duration.js';
import type { ScriptOutcome } from '../report/types.js';

/** One script as the display knows it. Package and event are untrusted until shown here. */
export interface RunningScript {
  package: string;
  event: string;
  startedAt: number;
}

const MARK: Record<ScriptOutcome, string> = { ok: '✔', failed: '✘', denied: '–', timeout: '✘', killed: '✘', error: '✘' };

// Cut a line to the terminal width so it never wraps (a wrapped line breaks moving the cursor back up).
function fit(line: string, columns: number): string {
  const chars = [...line];
  return chars.length < columns ? line : `${chars.slice(0, Math.max(1, columns - 2)).join('')}…`;
}

const show = (text: string, max: number) => escapeForTerminal(text, { maxLength: max });

// Lines of the live area: each running script with its elapsed time, at most `rows` lines.
export function formatRunning(running: RunningScript[], now: number, { columns, rows }: { columns: number; rows: number }): string[] {
  const lines = running.map((s) => fit(`  ⋯ ${show(s.package, 120)} ${show(s.event, 40)} ${formatDuration(now - s.startedAt)}`, columns));
  if (lines.length <= rows) return lines;
  const shown = lines.slice(0, Math.max(0, rows - 1));
  return [...shown, fit(`  … and ${lines.length - shown.length} more scripts running`, columns)];
}

// The line left behind by a finished script.
export function formatFinished(s: { package: string; event: string; outcome: ScriptOutcome; durationMs: number; exitCode?: number | null }, columns = Infinity): string {
  const detail = s.outcome === 'ok' ? '' : s.outcome === 'failed' ? ` failed (exit ${s.exitCode ?? '?'})` : ` ${s.outcome}`;
  return fit(`${MARK[s.outcome]} ${show(s.package, 120)} ${show(s.event, 40)}${detail} ${formatDuration(s.durationMs)}`, columns);
}
