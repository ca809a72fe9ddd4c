// The report room: one record (types.ts) rendered for people, files, code scanning and GitHub.
export type { InstallReport, ScriptRecord, ScriptOutcome, Finding } from './types.js';
export { renderHuman, type RenderHumanOptions } from './render-human.js';
export { writeJsonReport } from './write-json-report.js';
export { reportSchema, reportJsonSchema } from './report-schema.js';
export { renderError, exitCodeFor, type RenderErrorOptions } from './render-error.js';
export { redactSecrets } from './redact-secrets.js';
export { toSarif, type ToSarifOptions } from './to-sarif.js';
export { githubAnnotations } from './github-annotations.js';
export { stepSummary } from './step-summary.js';
export { publishToGithub, type PublishToGithubOptions } from './publish-to-github.js';
export { readSavedReport } from './read-saved-report.js';
export { renderSavedReport } from './render-saved-report.js';
export { collectResults, type ReportResult } from './collect-results.js';
export { RULES, type RuleInfo } from './rules.js';
export type { SourceFiles } from './locate-package.js';
