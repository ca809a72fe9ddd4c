import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { reportJsonSchema, reportSchema } from '../../src/report/report-schema.js';
import { writeJsonReport } from '../../src/report/write-json-report.js';
import { SafeInstallError } from '../../src/errors.js';
import { sampleReport } from './sample-report.js';

// Compiled to dist/test/report; the schema lives at the repository root.
const SCHEMA_FILE = new URL('../../../schema/report.schema.json', import.meta.url);
const current = `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;

// Regenerate the committed file: UPDATE_SCHEMA=1 node dist/test/report/report-schema.test.js
if (process.env.UPDATE_SCHEMA === '1') writeFileSync(SCHEMA_FILE, current);

const committed = suite('schema/report.schema.json');

committed('should be current with the zod schema (regenerate with UPDATE_SCHEMA=1)', () => {
  assert.fixture(readFileSync(SCHEMA_FILE, 'utf8'), current);
});

committed('should describe every field', () => {
  const undocumented: string[] = [];
  const walk = (node: any, path: string) => {
    if (node && typeof node === 'object' && node.properties) {
      for (const [key, child] of Object.entries<any>(node.properties)) {
        if (!child.description && !child.items?.description) undocumented.push(`${path}.${key}`);
        walk(child.items ?? child, `${path}.${key}`);
      }
    }
  };
  walk(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')), '');
  assert.equal(undocumented, []);
});

committed.run();

// ---

const written = suite('writeJsonReport');
const dir = mkdtempSync(join(tmpdir(), 'safe-install-report-'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));

written('should write a report that validates against the committed JSON Schema', async () => {
  const file = join(dir, 'report.json');
  await writeJsonReport(sampleReport(), file);
  const text = readFileSync(file, 'utf8');
  assert.ok(text.endsWith('}\n'));
  assert.ok(validate(JSON.parse(text)), JSON.stringify(validate.errors));
  assert.equal(JSON.parse(text), sampleReport());
});

written('should write a minimal clean report that validates too', async () => {
  const file = join(dir, 'clean.json');
  await writeJsonReport({ ...sampleReport(), scripts: [], events: [], findings: [], exitCode: 0, npm: { version: '11.6.2', exitCode: 0 } }, file);
  assert.ok(validate(JSON.parse(readFileSync(file, 'utf8'))), JSON.stringify(validate.errors));
});

written('should reject what is not a report', () => {
  const cases: [string, unknown, string][] = [
    ['a SARIF log', { version: '2.1.0', runs: [] }, '/version'],
    ['an unknown outcome', { ...sampleReport(), scripts: [{ ...sampleReport().scripts[0], outcome: 'maybe' }] }, '/scripts/0/outcome'],
    ['an extra field', { ...sampleReport(), extra: 1 }, ''],
  ];
  for (const [name, value, where] of cases) {
    assert.not.ok(validate(value), name);
    assert.ok(validate.errors!.some((e) => e.instancePath === where), `${name}: ${JSON.stringify(validate.errors)}`);
    // zod strips unknown fields instead, so a newer report still reads back; everything else it refuses too.
    if (name !== 'an extra field') assert.not.ok(reportSchema.safeParse(value).success, `zod agrees: ${name}`);
  }
});

written('should turn a write failure into EREPORT_IO naming the file', async () => {
  const file = join(dir, 'missing-dir', 'report.json');
  try {
    await writeJsonReport(sampleReport(), file);
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, SafeInstallError);
    assert.is((error as SafeInstallError).code, 'EREPORT_IO');
    assert.ok((error as SafeInstallError).message.includes(file));
  }
});

written.run();
