// Render the end-of-install summary a person reads: one line per script, then per package what it touched
// and what was refused, then findings, then one closing line with counts and what the exit status means.
// Every string that came from a package goes through escapeForTerminal before it is shown.
import picocolors from 'picocolors';
import { escapeForTerminal } from '../text/escape-for-terminal.js';
import type { EventDecision } from '../events/types.js';
import type { InstallReport, ScriptRecord } from './types.js';
import { explainExitCode } from './explain-exit-code.js';
import { formatDuration } from './format-duration.js';
import { summarizeCounts } from './summarize-counts.js';
import { groupPackageActivity, SECTION_ORDER, type ActivityItem, type ActivitySection } from './group-package-activity.js';

export interface RenderHumanOptions {
  /** Colour the output. The caller decides (TTY, NO_COLOR, --color). */
  color: boolean;
  /** Show every item, script commands, reasons' full text and event details. @default false */
  verbose?: boolean;
}

type Colors = ReturnType<typeof picocolors.createColors>;

/** Items shown per list before "… and N more". */
const LIST_LIMIT = 5;
const SCRIPT_LIMIT = 30;
const FINDING_LIMIT = 20;

const SECTION_TITLE: Record<ActivitySection, string> = {
  secrets: 'secrets touched',
  writes: 'files written outside its directory',
  hosts: 'hosts contacted or refused',
  processes: 'processes started',
  tamper: 'watched files changed',
  denied: 'other denied attempts',
};

const DECISION_LABEL: Record<EventDecision, string> = {
  allowed: 'allowed',
  denied: 'denied',
  'asked-allowed': 'allowed (asked)',
  'asked-denied': 'denied (asked)',
};

const KIND_PREFIX: Partial<Record<string, string>> = { 'env.read': 'env ', 'net.dns': 'dns ', 'fs.delete': 'delete ' };

const esc = (text: string) => escapeForTerminal(text, { maxLength: 300 });

// Render a report as text for a terminal or a log.
export function renderHuman(report: InstallReport, options: RenderHumanOptions): string {
  const c = picocolors.createColors(options.color);
  const verbose = options.verbose ?? false;
  const lines: string[] = [header(report, c), ''];
  if (report.scripts.length > 0) lines.push(c.bold('Scripts'), ...scriptLines(report.scripts, c, verbose), '');
  // Tool start-up lookups refused by the sandbox (expected) only clutter the summary; --verbose shows them.
  const activity = groupPackageActivity(verbose ? report.events : report.events.filter((e) => !e.expected), report.projectDir);
  if (activity.length > 0) {
    const labelWidth = Math.max(...activity.flatMap((pkg) => SECTION_ORDER.flatMap((section) => pkg.sections[section].map((item) => DECISION_LABEL[item.decision].length))));
    lines.push(c.bold('Packages'));
    for (const pkg of activity) {
      lines.push(`  ${c.bold(esc(pkg.package))}${pkg.path ? c.dim(` (${esc(pkg.path)})`) : c.dim(' (project root)')}`);
      for (const section of SECTION_ORDER) {
        const items = pkg.sections[section];
        if (items.length === 0) continue;
        lines.push(`    ${SECTION_TITLE[section]}`);
        lines.push(...cut(items.map((item) => itemLine(item, labelWidth, c, verbose)), verbose ? Infinity : LIST_LIMIT, '      '));
      }
    }
    lines.push('');
  }
  if (report.findings.length > 0) {
    lines.push(c.bold('Findings'));
    const ruleWidth = Math.max(...report.findings.map((f) => esc(f.rule).length));
    const findingLines = report.findings.map((f) => {
      const level = f.level === 'error' ? c.red(f.level.padEnd(7)) : f.level === 'warning' ? c.yellow(f.level.padEnd(7)) : f.level.padEnd(7);
      const who = f.package ? `${esc(f.package)}: ` : '';
      return `${level}  ${esc(f.rule).padEnd(ruleWidth)}  ${who}${esc(f.message)}`;
    });
    lines.push(...cut(findingLines, verbose ? Infinity : FINDING_LIMIT, '  '), '');
  }
  lines.push(closingLine(report, c));
  return `${lines.join('\n')}\n`;
}

// The first line: what ran, how it was confined, how long it took.
function header(report: InstallReport, c: Colors): string {
  const sandbox = report.sandbox.kind === 'none'
    ? c.red('NO SANDBOX')
    : `${report.sandbox.kind} sandbox, ${report.sandbox.tracing === 'off' ? 'no tracing' : `${report.sandbox.tracing} tracing`}`;
  const detail = report.sandbox.detail ? ` (${esc(report.sandbox.detail)})` : '';
  const command = report.command.map(esc).join(' ');
  return `safe-install: ${command || 'install'}, ${report.mode} mode, ${sandbox}${detail}, ${formatDuration(report.durationMs)}`;
}

// One aligned line per script; a reason line under scripts that did not end well.
function scriptLines(scripts: ScriptRecord[], c: Colors, verbose: boolean): string[] {
  let shown = scripts;
  if (!verbose && scripts.length > SCRIPT_LIMIT) {
    // Keep every script that went wrong; fill the rest with clean ones in their order.
    let room = Math.max(0, SCRIPT_LIMIT - scripts.filter((s) => s.outcome !== 'ok').length);
    shown = scripts.filter((s) => s.outcome !== 'ok' || room-- > 0);
  }
  const rows = shown.map((s) => [esc(s.package), esc(s.event), outcomeText(s), formatDuration(s.durationMs), s.tier]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i].length)));
  const lines: string[] = [];
  shown.forEach((script, index) => {
    const [pkg, event, outcome, duration, tier] = rows[index];
    const paint = script.outcome === 'ok' ? c.green : script.outcome === 'denied' ? c.yellow : c.red;
    lines.push(`  ${pkg.padEnd(widths[0])}  ${event.padEnd(widths[1])}  ${paint(outcome.padEnd(widths[2]))}  ${duration.padStart(widths[3])}  ${tier}`);
    if (verbose) lines.push(`      ${c.dim('command:')} ${esc(script.command)}`);
    if (script.reason && (verbose || script.outcome !== 'ok')) lines.push(`      ${c.dim('reason:')} ${esc(script.reason)}`);
    if (verbose && script.outputTail && script.outcome !== 'ok') {
      const tail = escapeForTerminal(script.outputTail, { multiline: true, maxLength: 2000 }).replace(/\n+$/, '');
      lines.push(`      ${c.dim('output:')}`, ...tail.split('\n').map((line) => `        ${line}`));
    }
  });
  if (shown.length < scripts.length) lines.push(`  … and ${scripts.length - shown.length} more (--verbose shows all)`);
  return lines;
}

function outcomeText(script: ScriptRecord): string {
  switch (script.outcome) {
    case 'failed': return `failed (exit ${script.exitCode ?? '?'})`;
    case 'killed': return script.signal ? `killed (${script.signal})` : 'killed';
    default: return script.outcome;
  }
}

function itemLine(item: ActivityItem, labelWidth: number, c: Colors, verbose: boolean): string {
  const label = DECISION_LABEL[item.decision].padEnd(labelWidth);
  const decision = item.decision.endsWith('denied') ? c.red(label) : label;
  const count = item.count > 1 ? c.dim(` (${item.count} times)`) : '';
  const detail = verbose && item.detail ? c.dim(` [${esc(item.detail)}]`) : '';
  return `${decision}  ${KIND_PREFIX[item.kind] ?? ''}${esc(item.target)}${count}${detail}`;
}

// Indent a list and cut it after limit entries.
function cut(lines: string[], limit: number, indent: string): string[] {
  const shown = lines.slice(0, limit).map((line) => `${indent}${line}`);
  if (lines.length > limit) shown.push(`${indent}… and ${lines.length - limit} more`);
  return shown;
}

// The last line: counts, then what the exit status means.
function closingLine(report: InstallReport, c: Colors): string {
  const exit = explainExitCode(report);
  return `${summarizeCounts(report)}; ${report.exitCode === 0 ? c.green(exit) : c.red(exit)}`;
}
