// Benchmark: clean installs (node_modules removed, lockfile and npm cache kept) of a generated
// 40-package project, plain npm and safe-install alternating run by run. Prints medians and ratios.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(repo, 'dist', 'src', 'cli', 'main.js');
const rounds = Number(process.argv[2] ?? 5);
const root = mkdtempSync(join(tmpdir(), 'si-bench-'));
const project = join(root, 'project');
mkdirSync(project, { recursive: true });

const addon = readFileSync(join(repo, 'examples', 'demo', 'packages', 'demo-addon', 'addon.c'), 'utf8');
const deps = {};
for (let i = 0; i < 40; i++) {
  const name = `bench-pkg-${String(i).padStart(2, '0')}`;
  const dir = join(root, 'src', name, 'package');
  mkdirSync(dir, { recursive: true });
  const files = { 'index.js': 'module.exports = require("./out.json");\n' };
  let postinstall = 'node post.js';
  if (i === 0) {
    files['binding.gyp'] = '{ "targets": [ { "target_name": "addon", "sources": [ "addon.c" ] } ] }';
    files['addon.c'] = addon;
    files['index.js'] = 'module.exports = require("./build/Release/addon.node");\n';
    postinstall = undefined;
  }
  // File work: write 50 small files and a summary, like a codegen or asset step.
  files['post.js'] = `const fs=require('fs'),p=require('path');fs.mkdirSync(p.join(__dirname,'gen'),{recursive:true});for(let i=0;i<50;i++)fs.writeFileSync(p.join(__dirname,'gen',i+'.js'),'module.exports='+i);fs.writeFileSync(p.join(__dirname,'out.json'),JSON.stringify({n:50}));`;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', scripts: postinstall ? { postinstall } : undefined }));
  for (const [f, c] of Object.entries(files)) writeFileSync(join(dir, f), c);
  const tgz = join(root, `${name}-1.0.0.tgz`);
  execFileSync('tar', ['-czf', tgz, '-C', join(root, 'src', name), 'package']);
  deps[name] = `file:${tgz}`;
}
writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'bench', version: '1.0.0', dependencies: deps }, null, 2));

const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
function timed(file, args, extraEnv = {}) {
  rmSync(join(project, 'node_modules'), { recursive: true, force: true });
  const start = process.hrtime.bigint();
  const r = spawnSync(file, args, { cwd: project, env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Warm-up: writes the lockfile, warms npm's cache and node-gyp's headers.
timed('npm', ['install']);
const variants = {
  'npm install': ['npm', ['install']],
  'safe-install (trace off)': [process.execPath, [cli, 'install', '--trace', 'off', '--quiet']],
  'safe-install (default)': [process.execPath, [cli, 'install', '--quiet']],
  // The same with every script in the process tier (the 39 `node post.js` scripts otherwise run in isolates).
  'safe-install (no isolate tier)': [process.execPath, [cli, 'install', '--quiet'], { SAFE_INSTALL_ISOLATE: '0' }],
};
const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let round = 0; round < rounds; round++) {
  const names = Object.keys(variants);
  if (round % 2) names.reverse(); // alternate the order run by run
  for (const name of names) times[name].push(timed(...variants[name]));
  process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}
const base = median(times['npm install']);
console.log(`\nclean install of 40 packages with postinstall scripts (1 native addon), ${rounds} rounds, medians:`);
for (const [name, xs] of Object.entries(times)) {
  console.log(`  ${name.padEnd(28)} ${median(xs).toFixed(0).padStart(6)} ms   x${(median(xs) / base).toFixed(2)} of npm install`);
}
rmSync(root, { recursive: true, force: true });
