import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SafeInstallError, type ErrorCode } from '../../src/errors.js';
import { renderError } from '../../src/report/render-error.js';
import { redactSecrets } from '../../src/report/redact-secrets.js';

const known = suite('renderError: SafeInstallError');

known('should print message, location, located details and hint', () => {
  const err = new SafeInstallError('EPOLICY_INVALID', 'safe-install.policy.json breaks the schema', {
    location: { file: 'safe-install.policy.json', line: 3, column: 5 },
    details: [
      { path: 'packages.esbuild.net.0', message: 'must be host or host:port, got "https://x.example/a"', location: { file: 'safe-install.policy.json', line: 7, column: 12 } },
      { path: 'packages.sharp', message: 'unknown profile "fast"' },
      { message: 'two problems in total' },
    ],
    hint: 'write "x.example:443"',
  });
  const { text, exitCode } = renderError(err, { debug: false });
  assert.is(exitCode, 2);
  assert.fixture(text, `safe-install: safe-install.policy.json breaks the schema (EPOLICY_INVALID)
  at safe-install.policy.json:3:5
  - packages.esbuild.net.0: must be host or host:port, got "https://x.example/a" (safe-install.policy.json:7:12)
  - packages.sharp: unknown profile "fast"
  - two problems in total
hint: write "x.example:443"
`);
});

known('should map every code to its exit status', () => {
  const table: [ErrorCode, number][] = [
    ['EUSAGE', 2], ['EPOLICY_PARSE', 2], ['EPOLICY_INVALID', 2], ['EPOLICY_IO', 2],
    ['ESANDBOX_UNAVAILABLE', 3],
    ['ENPM', 1], ['ECONTROL', 1], ['EREPORT_IO', 1], ['EINTERNAL', 1],
  ];
  for (const [code, exitCode] of table) assert.is(renderError(new SafeInstallError(code, 'x'), { debug: false }).exitCode, exitCode, code);
});

known('should escape package-derived text and redact tokens', () => {
  const err = new SafeInstallError('ESANDBOX_UNAVAILABLE', 'cannot sandbox evil\x1b[2J@1.0.0 with NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789', {
    hint: 'see docs/sandbox.md',
  });
  assert.fixture(renderError(err, { debug: false }).text, `safe-install: cannot sandbox evil\\x1b[2J@1.0.0 with NPM_TOKEN=npm_*** (ESANDBOX_UNAVAILABLE)
hint: see docs/sandbox.md
`);
});

known.run();

// ---

const unknown = suite('renderError: anything else');

unknown('should say one line and ask for a report, without a stack', () => {
  const { text, exitCode } = renderError(new TypeError("Cannot read properties of undefined (reading 'x')\n    at foo (file.js:1:1)"), { debug: false });
  assert.is(exitCode, 1);
  assert.fixture(text, `safe-install: internal error: Cannot read properties of undefined (reading 'x')
This is a bug in safe-install; please report it, with the output of the same command run with SAFE_INSTALL_DEBUG=1.
`);
});

unknown('should treat thrown non-errors and EINTERNAL the same way', () => {
  assert.is(renderError('boom', { debug: false }).text.split('\n')[0], 'safe-install: internal error: boom');
  assert.is(renderError(new SafeInstallError('EINTERNAL', 'queue empty'), { debug: false }).text.split('\n')[0], 'safe-install: internal error: queue empty');
});

unknown('should show the stack and causes, redacted, with SAFE_INSTALL_DEBUG=1', () => {
  const cause = new Error('token ghp_abcdefghijklmnopqrstuvwxyz0123456789 rejected');
  const err = new Error('outer', { cause });
  const before = process.env.SAFE_INSTALL_DEBUG;
  process.env.SAFE_INSTALL_DEBUG = '1';
  const { text } = renderError(err);
  if (before === undefined) delete process.env.SAFE_INSTALL_DEBUG; else process.env.SAFE_INSTALL_DEBUG = before;
  assert.ok(text.startsWith('safe-install: internal error: outer\ndebug: Error: outer\n    at '), text);
  assert.ok(text.includes('caused by: Error: token ghp_*** rejected'), text);
  assert.not.ok(text.includes('please report'));
});

unknown.run();

// ---

const redact = suite('redactSecrets');

redact('should hide each kind of credential and keep the rest', () => {
  const cases: [string, string][] = [
    ['//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789', '//registry.npmjs.org/:_authToken=***'],
    ['//npm.corp.example/:_authToken="s3cr3t value"', '//npm.corp.example/:_authToken=***'],
    ['_auth = dXNlcjpwYXNz', '_auth = ***'],
    ['NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789 next', 'NPM_TOKEN=npm_*** next'],
    ['gh: ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'gh: ghp_***'],
    ['ghs_abcdefghijklmnopqrstuvwxyz0123', 'ghs_***'],
    ['github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', 'github_pat_***'],
    ['key AKIAIOSFODNN7EXAMPLE', 'key AKIA***'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc', 'Authorization: Bearer ***'],
    ['Authorization: Basic dXNlcjpwYXNzd29yZDE=', 'Authorization: Basic ***'],
    ['fetch https://alice:hunter2@registry.example/pkg', 'fetch https://***@registry.example/pkg'],
    ['npm_config_script_shell and npm_package_name stay', 'npm_config_script_shell and npm_package_name stay'],
    ['Bearer tokens are refused', 'Bearer tokens are refused'],
  ];
  for (const [input, expected] of cases) assert.is(redactSecrets(input), expected, input);
});

redact.run();
