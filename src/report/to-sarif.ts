// Render a report as SARIF 2.1.0 for code-scanning tools: one rule per kind of problem (rules.ts), one result per
// failed or refused script, denied event, secret read, tamper event and finding, each located at the package's
// lockfile entry. Message text is escaped (control characters) because viewers show it as-is.
import { createHash } from 'node:crypto';
import { escapeForTerminal } from '../text/escape-for-terminal.js';
import type { InstallReport } from './types.js';
import { collectResults } from './collect-results.js';
import { locatePackage, type SourceFiles } from './locate-package.js';
import { RULES, ruleInfo, type RuleInfo } from './rules.js';

export type ToSarifOptions = SourceFiles;

/** GitHub code scanning ranks security results by this property (0-10). */
const SEVERITY: Record<string, string> = { error: '8.0', warning: '5.0', note: '2.0' };

// Build the SARIF log object; the caller serialises it.
export function toSarif(report: InstallReport, options: ToSarifOptions = {}): Record<string, unknown> {
  const results = collectResults(report);
  const rules: RuleInfo[] = [...RULES];
  for (const result of results) {
    if (!rules.some((rule) => rule.id === result.ruleId)) rules.push(ruleInfo(result.ruleId, result.level));
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'safe-install',
          version: report.tool.version,
          semanticVersion: report.tool.version,
          rules: rules.map((rule) => ({
            id: rule.id,
            name: rule.name,
            shortDescription: { text: rule.short },
            fullDescription: { text: rule.full },
            help: { text: rule.full },
            defaultConfiguration: { level: rule.level },
            properties: { tags: ['security', 'supply-chain'], 'security-severity': SEVERITY[rule.level] },
          })),
        },
      },
      invocations: [{
        executionSuccessful: report.exitCode === 0,
        exitCode: report.exitCode,
        commandLine: ['safe-install', ...report.command].map((arg) => escapeForTerminal(arg)).join(' '),
        startTimeUtc: report.startedAt,
      }],
      results: results.map((result) => {
        const location = locatePackage(result.path, result.script, options);
        const text = escapeForTerminal(result.message);
        return {
          ruleId: result.ruleId,
          ruleIndex: rules.findIndex((rule) => rule.id === result.ruleId),
          level: result.level,
          message: { text },
          locations: [{
            physicalLocation: {
              artifactLocation: { uri: location.uri },
              region: { startLine: location.line, startColumn: location.column },
            },
            ...(result.package ? { logicalLocations: [{ name: escapeForTerminal(result.package), kind: 'package' }] } : {}),
          }],
          partialFingerprints: { 'safeInstallResult/v1': createHash('sha256').update(`${result.ruleId}\0${text}`).digest('hex').slice(0, 32) },
          properties: {
            ...(result.package ? { package: escapeForTerminal(result.package) } : {}),
            ...(result.script ? { script: escapeForTerminal(result.script) } : {}),
          },
        };
      }),
    }],
  };
}
