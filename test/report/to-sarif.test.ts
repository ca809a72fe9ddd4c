import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { toSarif } from '../../src/report/to-sarif.js';
import { SAMPLE_LOCKFILE, sampleReport } from './sample-report.js';
import { multitoolDir, multitoolExe, runMultitool, sarifSchemaValidator } from '../helpers/sarif.js';

const toolDir = multitoolDir();
const sarif = toSarif(sampleReport(), { lockfileText: SAMPLE_LOCKFILE, packageJsonText: '{\n  "scripts": {\n    "prepare": "husky"\n  }\n}\n' });
const results = (sarif as any).runs[0].results as any[];

const shape = suite('toSarif: content');

shape('should give one result per failed or refused script, denied or secret event, and finding, at the lockfile entry', () => {
  const summary = results.map((r) => {
    const where = r.locations[0].physicalLocation;
    return `${r.level} ${r.ruleId} ${where.artifactLocation.uri}:${where.region.startLine}:${where.region.startColumn} ${r.message.text}`;
  });
  assert.fixture(summary.join('\n'), `error script-failed package-lock.json:11:5 evil\\x1b[2J\\x1b[31m@1.0.0 postinstall failed with exit code 1: exited 1
warning script-denied package-lock.json:14:5 left-pad@1.3.0 install was not run: not approved in allowScripts
error secret-read package-lock.json:11:5 evil\\x1b[2J\\x1b[31m@1.0.0 postinstall: read of /home/u/.npmrc was denied (ENOENT) (2 times)
error secret-read package-lock.json:11:5 evil\\x1b[2J\\x1b[31m@1.0.0 postinstall: read of /home/u/.ssh/id_rsa was denied (ENOENT)
error fs-write-denied package-lock.json:11:5 evil\\x1b[2J\\x1b[31m@1.0.0 postinstall: write to /work/app/a|b.txt was denied (EROFS)
error net-denied package-lock.json:11:5 evil\\x1b[2J\\x1b[31m@1.0.0 postinstall: connection to exfil.example:443 was denied (403)
error proc-exec package-lock.json:11:5 evil\\x1b[2J\\x1b[31m@1.0.0 postinstall: running /usr/bin/curl was denied
error tamper package-lock.json:11:5 evil\\x1b[2J\\x1b[31m@1.0.0: .git/hooks/pre-commit changed during the install
warning exotic-source package.json:1:1 x@1.0.0: resolved from git+https://example.com/x.git`);
});

shape('should state a whole result literally', () => {
  assert.equal(results[2], {
    ruleId: 'secret-read',
    ruleIndex: 2,
    level: 'error',
    message: { text: 'evil\\x1b[2J\\x1b[31m@1.0.0 postinstall: read of /home/u/.npmrc was denied (ENOENT) (2 times)' },
    locations: [{
      physicalLocation: { artifactLocation: { uri: 'package-lock.json' }, region: { startLine: 11, startColumn: 5 } },
      logicalLocations: [{ name: 'evil\\x1b[2J\\x1b[31m@1.0.0', kind: 'package' }],
    }],
    partialFingerprints: { 'safeInstallResult/v1': results[2].partialFingerprints['safeInstallResult/v1'] },
    properties: { package: 'evil\\x1b[2J\\x1b[31m@1.0.0', script: 'postinstall' },
  });
  assert.match(results[2].partialFingerprints['safeInstallResult/v1'], /^[0-9a-f]{32}$/);
});

shape('should point root scripts at their package.json line and add a rule for an unknown finding', () => {
  const report = sampleReport();
  report.scripts = [{ ...report.scripts[1], package: 'app@1.0.0', path: '', event: 'prepare', identitySource: 'root' }];
  report.events = [];
  report.findings = [{ rule: 'lock-missing', level: 'note', message: 'no safe-install.lock.json yet' }];
  const log = toSarif(report, { packageJsonText: '{\n  "scripts": {\n    "prepare": "husky"\n  }\n}\n', baseUri: 'web/' }) as any;
  const [script, finding] = log.runs[0].results;
  assert.equal(script.locations[0].physicalLocation, { artifactLocation: { uri: 'web/package.json' }, region: { startLine: 3, startColumn: 5 } });
  const rules = log.runs[0].tool.driver.rules;
  assert.equal(rules[finding.ruleIndex].id, 'lock-missing');
  assert.equal(rules[finding.ruleIndex].name, 'FindingLockMissing');
  assert.equal(rules[finding.ruleIndex].defaultConfiguration, { level: 'note' });
});

shape('should list the documented rule ids in a stable order', () => {
  assert.equal((sarif as any).runs[0].tool.driver.rules.map((r: any) => r.id), [
    'script-failed', 'script-denied', 'secret-read', 'fs-write-denied', 'fs-read-denied', 'net-denied',
    'proc-exec', 'env-denied', 'tamper', 'drift', 'exotic-source', 'sandbox-degraded',
  ]);
});

shape.run();

// ---

const valid = suite('toSarif: validated against the official SARIF 2.1.0 schema');

valid('should find the schema in the registry package', () => {
  assert.ok(toolDir && existsSync(join(toolDir, 'sarif-2.1.0.json')), 'npm install (devDependencies) brings @microsoft/sarif-multitool');
});

valid('should validate with ajv against sarif-2.1.0.json', () => {
  const validate = sarifSchemaValidator(toolDir!);
  assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 2));
  // The schema really checks: a result without a message is refused.
  const broken = structuredClone(sarif) as any;
  delete broken.runs[0].results[0].message;
  assert.not.ok(validate(broken));
});

valid('should pass Sarif.Multitool validate with no errors', () => {
  const exe = multitoolExe(toolDir!);
  if (!exe) {
    console.log(`  skipped: Sarif.Multitool in ${toolDir} is not executable (its postinstall did not run)`);
    return;
  }
  const findings = runMultitool(exe, sarif);
  const errors = findings.filter((f: any) => f.level === 'error').map((f: any) => `${f.ruleId}: ${f.message?.text ?? JSON.stringify(f.message)}`);
  assert.equal(errors, []);
  // Only the advisory warning about a missing informationUri (safe-install has no web page yet) may remain.
  assert.equal(findings.filter((f: any) => f.level !== 'error' && f.level !== 'note').map((f: any) => f.ruleId), ['SARIF2005']);
  // The validator is live: the same log without a message on a result is an error.
  const broken = structuredClone(sarif) as any;
  delete broken.runs[0].results[0].message;
  assert.ok(runMultitool(exe, broken).some((f: any) => f.level === 'error'));
});

valid.run();
