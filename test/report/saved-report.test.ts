import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderSavedReport } from '../../src/report/render-saved-report.js';
import { renderHuman } from '../../src/report/render-human.js';
import { stepSummary } from '../../src/report/step-summary.js';
import { writeJsonReport } from '../../src/report/write-json-report.js';
import { runReportCommand, type ReportCommandArgs } from '../../src/cli/commands/report.js';
import { sampleReport } from './sample-report.js';

const dir = mkdtempSync(join(tmpdir(), 'safe-install-saved-'));
const good = join(dir, 'report.json');
await writeJsonReport(sampleReport(), good);

// Run the command and capture both streams.
async function run(args: Omit<ReportCommandArgs, 'write' | 'writeError'>) {
  let out = '';
  let err = '';
  const code = await runReportCommand({ ...args, write: (t) => { out += t; }, writeError: (t) => { err += t; } });
  return { code, out, err: err.replace(dir, 'DIR') };
}

const saved = suite('renderSavedReport');

saved('should render a saved report exactly as the install would have', async () => {
  assert.is(await renderSavedReport(good), renderHuman(sampleReport(), { color: false }));
});

saved.run();

// ---

const command = suite('runReportCommand');

command('should print each format', async () => {
  assert.equal(await run({ file: good, color: false }), { code: 0, out: renderHuman(sampleReport(), { color: false }), err: '' });
  assert.equal(JSON.parse((await run({ file: good, format: 'json' })).out), sampleReport());
  assert.is((await run({ file: good, format: 'markdown' })).out, stepSummary(sampleReport()));
  const sarif = JSON.parse((await run({ file: good, format: 'sarif' })).out);
  assert.is(sarif.version, '2.1.0');
  assert.is(sarif.runs[0].results.length, 9);
});

command('should refuse what is not a report with a clear error and exit 2', async () => {
  const write = (name: string, text: string) => { const file = join(dir, name); writeFileSync(file, text); return file; };
  const cases: [string, string, string][] = [
    ['a SARIF log', write('log.sarif', '{"version":"2.1.0","runs":[]}'), `safe-install: DIR/log.sarif is a SARIF log, not a safe-install report (EUSAGE)
hint: pass the JSON file written by \`safe-install --report FILE\`, not --sarif
`],
    ['broken JSON', write('broken.json', '{\n  "version": 1,\n}\n'), `safe-install: DIR/broken.json is not JSON: Expected double-quoted property name in JSON at position 18 (EUSAGE)
  at DIR/broken.json:3:1
hint: pass the JSON file written by \`safe-install --report FILE\`
`],
    ['another version', write('v2.json', '{"version":2,"tool":{"name":"safe-install","version":"9.0.0"}}'), `safe-install: DIR/v2.json is a report of format version 2; this safe-install reads version 1 (EUSAGE)
hint: render it with the safe-install version that wrote it
`],
    ['other JSON', write('other.json', JSON.stringify({ ...sampleReport(), scripts: [{ package: 'x\x1b[2J' }], mode: 'yolo', events: undefined })), `safe-install: DIR/other.json is not a safe-install report (EUSAGE)
  - mode: Invalid option: expected one of "enforce"|"audit"
  - scripts.0.name: Invalid input: expected string, received undefined
  - scripts.0.version: Invalid input: expected string, received undefined
  - scripts.0.identitySource: Invalid option: expected one of "lockfile"|"npm"|"root"
  - scripts.0.path: Invalid input: expected string, received undefined
  - scripts.0.event: Invalid input: expected string, received undefined
  - scripts.0.command: Invalid input: expected string, received undefined
  - scripts.0.outcome: Invalid option: expected one of "ok"|"failed"|"denied"|"timeout"|"killed"|"error"
  - scripts.0.exitCode: Invalid input: expected number, received undefined
  - scripts.0.durationMs: Invalid input: expected number, received undefined
  - …: and 2 more
hint: pass the JSON file written by \`safe-install --report FILE\`
`],
    ['a missing file', join(dir, 'nope.json'), `safe-install: cannot read the report DIR/nope.json: ENOENT: no such file or directory, open 'DIR/nope.json' (EUSAGE)
hint: pass the JSON file written by \`safe-install --report FILE\`
`],
  ];
  for (const [name, file, expected] of cases) {
    const result = await run({ file });
    assert.is(result.code, 2, name);
    assert.is(result.out, '', name);
    assert.fixture(result.err.replaceAll(dir, 'DIR'), expected);
  }
});

command('should refuse an unknown format', async () => {
  const result = await run({ file: good, format: 'xml' as never });
  assert.equal(result, { code: 2, out: '', err: 'safe-install: unknown report format "xml" (EUSAGE)\nhint: use one of: human, json, sarif, markdown\n' });
});

command.run();
