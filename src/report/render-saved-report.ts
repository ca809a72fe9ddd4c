// Render a saved JSON report for a person: `safe-install report FILE`.
import { readSavedReport } from './read-saved-report.js';
import { renderHuman, type RenderHumanOptions } from './render-human.js';

// Read, validate and render a report file as the end-of-install summary.
export async function renderSavedReport(file: string, options: RenderHumanOptions = { color: false }): Promise<string> {
  return renderHuman(await readSavedReport(file), options);
}
