// When a run is a --ci run: the flag, or CI=true without a terminal; and then nobody is ever asked.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseInstallArgs } from '../../src/cli/install-args.js';

const flag = suite('--ci');

const cases: [string, string[], Record<string, string>, boolean, boolean][] = [
  // title, argv, env, tty, expected ci
  ['--ci on a terminal', ['ci', '--ci'], {}, true, true],
  ['CI=true without a terminal', ['ci'], { CI: 'true' }, false, true],
  ['CI=1 without a terminal', ['install'], { CI: '1' }, false, true],
  ['CI=true at a terminal (a person is there)', ['ci'], { CI: 'true' }, true, false],
  ['CI=false without a terminal', ['ci'], { CI: 'false' }, false, false],
  ['no CI, no terminal', ['ci'], {}, false, false],
];
for (const [title, argv, env, tty, ci] of cases) {
  flag(`should ${ci ? '' : 'not '}be on: ${title}`, () => {
    const parsed = parseInstallArgs(argv, env, tty);
    assert.is(parsed.ci, ci);
    if (ci) assert.is(parsed.interactive, false, 'never prompts');
    assert.not.ok(parsed.npmArgs.includes('--ci'), '--ci is not passed to npm');
  });
}

flag.run();
