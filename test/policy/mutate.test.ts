import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicyText } from '../../src/policy/index.js';
import { isSafeInstallError } from '../../src/errors.js';
import { FIXTURES } from './helpers.js';

// A small seeded PRNG (mulberry32) so a failure can be replayed from its seed.
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [
  null, true, 0, -1, 1e308, -1e308, 2 ** 53 + 1, 1.5, '', ' ', '\u0000', '\u202e', '💥', 'é', '\ud800', [], {}, [[]], { run: 1 },
  '$PKG/../../..', '$HOME/../root', '~/.ssh', '/**', '*', '*.com:443', 'https://x/a', 'host:99999', 'a@^1', 'a@1.0.0 || ^2', '__proto__', 'constructor',
  'x'.repeat(5000), '$PROJECT/**', '$CACHE/**', '*.co.uk:443', '[::1]:80', 'a@', '@/x', 'UPPER:443',
];
const KEYS = ['mode', 'unlisted', 'root', 'packages', 'run', 'profile', 'allow', 'read', 'write', 'net', 'exec', 'env', 'timeout', '$schema', 'unknown', '__proto__', 'constructor', 'esbuild', 'a@1.0.0', ''];

// Mutate a random node of a parsed JSON value in place.
function mutateValue(value: any, r: () => number, depth = 0): any {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  if (value === null || typeof value !== 'object' || depth > 6 || r() < 0.15) return structuredClone(pick(ODD_VALUES));
  const keys = Object.keys(value);
  const action = r();
  if (action < 0.2 || keys.length === 0) {
    if (Array.isArray(value)) value.push(structuredClone(pick(ODD_VALUES)));
    else value[pick(KEYS)] = structuredClone(pick(ODD_VALUES));
  } else if (action < 0.3) {
    delete value[pick(keys)];
  } else {
    const k = pick(keys);
    value[k] = mutateValue(value[k], r, depth + 1);
  }
  return value;
}

// Mutate the text itself: cut, duplicate or insert characters.
function mutateText(text: string, r: () => number): string {
  const at = Math.floor(r() * (text.length + 1));
  const action = r();
  if (action < 0.3) return text.slice(0, at);
  if (action < 0.6) return text.slice(0, at) + ['{', '}', '"', ',', ':', '[', '\u0000', '/*', '\ufeff', '\\u12'][Math.floor(r() * 10)] + text.slice(at);
  if (action < 0.8) return text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 10));
  return text + text.slice(0, at);
}

const seeds = ['valid.json', 'bad-host.json', 'unknown-key.json'].map((f) => readFileSync(join(FIXTURES, f), 'utf8'));
const validObject = JSON.parse(JSON.stringify({
  mode: 'audit', unlisted: 'ask', root: { run: true, profile: 'project', allow: { env: ['X'] } },
  packages: { esbuild: {}, 'sharp@0.33.5 || 0.33.4': { profile: 'native-build', allow: { read: ['$HOME/.cache/x/**'], write: ['$PKG/build'], net: ['github.com:443'], exec: ['node'], env: ['A'], timeout: 60 } } },
}));

test('5,000 mutated policies: only SafeInstallError, always located, never a stack in the message', () => {
  const r = rng(20260101);
  const started = Date.now();
  let errors = 0;
  for (let i = 0; i < 5000; i++) {
    let text: string;
    if (i % 3 === 0) text = mutateText(seeds[i % seeds.length], r);
    else {
      let value = structuredClone(validObject);
      for (let m = 1 + Math.floor(r() * 4); m > 0; m--) value = mutateValue(value, r);
      text = JSON.stringify(value, null, i % 2 ? 2 : 0) ?? 'undefined';
      if (r() < 0.2) text = mutateText(text, r);
    }
    try {
      parsePolicyText(text, 'fuzz.json');
    } catch (thrown) {
      errors += 1;
      if (!isSafeInstallError(thrown)) {
        assert.unreachable(`case ${i} threw ${(thrown as Error)?.stack ?? String(thrown)}\n${text.slice(0, 300)}`);
        return;
      }
      const e = thrown;
      assert.ok(e.code === 'EPOLICY_PARSE' || e.code === 'EPOLICY_INVALID', e.code);
      assert.ok(e.location && e.location.line >= 1 && e.location.column >= 1, `case ${i} has a location`);
      assert.ok(e.details.length > 0 && e.details.every((d) => d.location), `case ${i} details are located`);
      assert.ok(!/\n\s+at /.test(e.message), `case ${i} message has no stack`);
    }
  }
  assert.ok(errors > 2500, `most mutations are invalid (${errors})`);
  assert.ok(Date.now() - started < 10000, `took ${Date.now() - started} ms`);
});

test.run();
