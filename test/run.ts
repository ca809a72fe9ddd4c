// Run every compiled test file in its own process, sum uvu's counts, and print one closing line.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// List test files under dir, sorted so every run has the same order.
function listTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'fixtures') out.push(...listTests(full));
    } else if (name.endsWith('.test.js') && existsSync(sourceOf(full))) out.push(full);
  }
  return out;
}

// The TypeScript source of a compiled test: a stale build of a deleted test is not run.
function sourceOf(compiled: string): string {
  return join(here, '..', '..', 'test', relative(here, compiled)).replace(/\.js$/, '.ts');
}

interface Counts { total: number; passed: number; skipped: number }

// Read uvu's summary block; undefined when the file crashed before printing one.
function parseCounts(output: string): Counts | undefined {
  const clean = output.replace(/\x1b\[[0-9;]*m/g, '');
  const total = /Total:\s+(\d+)/.exec(clean);
  const passed = /Passed:\s+(\d+)/.exec(clean);
  const skipped = /Skipped:\s+(\d+)/.exec(clean);
  if (!total || !passed) return undefined;
  return { total: +total[1], passed: +passed[1], skipped: skipped ? +skipped[1] : 0 };
}

function runFile(file: string): Promise<{ counts?: Counts; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    child.on('close', (code) => resolve({ counts: parseCounts(out), code }));
  });
}

const filters = process.argv.slice(2);
const files = listTests(here).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
let passed = 0;
let failed = 0;
let skipped = 0;
const started = Date.now();
for (const file of files) {
  const name = relative(here, file);
  console.log(`\n# ${name}`);
  const { counts, code } = await runFile(file);
  if (!counts) {
    console.log(`# ${name}: crashed (exit ${code}) before reporting`);
    failed += 1;
    continue;
  }
  const fileFailed = counts.total - counts.passed - counts.skipped;
  passed += counts.passed;
  skipped += counts.skipped;
  failed += fileFailed > 0 ? fileFailed : code === 0 ? 0 : 1;
}
console.log(`\n(${files.length} files, ${Math.round((Date.now() - started) / 1000)} s)`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
