// Compose the runtime's source text: the bootstrap plus one factory per built-in module.
// Every piece is a self-contained function turned into text; the worker compiles the result once
// per isolate, from its own files only (never cached data).
import { bootstrap } from './bootstrap.js';
import { fsModule } from './fs.js';
import { utilModule, consoleModule, ttyModule, textModule, readlineModule } from './util.js';
import { assertModule, urlModule, osModule, timersModule, streamModule, zlibModule, cryptoModule, perfHooksModule, asyncHooksModule } from './misc.js';
import { childProcessModule, httpModule, netModule, dnsModule, fetchModule } from './net.js';
import { webModule } from './web.js';
import { workerThreadsModule, http2Module, inspectorModule, diagnosticsChannelModule, domainModule } from './stand-ins.js';

/** Node built-ins the isolate provides (besides the bundled ports: buffer, events, path, string_decoder, querystring). */
export const ISOLATE_FACTORIES: Record<string, string> = {
  fs: String(fsModule),
  util: String(utilModule),
  console: String(consoleModule),
  tty: `(${String(ttyModule)})`,
  readline: String(readlineModule),
  assert: String(assertModule),
  url: String(urlModule),
  os: String(osModule),
  timers: String(timersModule),
  stream: String(streamModule),
  zlib: String(zlibModule),
  crypto: String(cryptoModule),
  perf_hooks: String(perfHooksModule),
  async_hooks: String(asyncHooksModule),
  child_process: String(childProcessModule),
  http: `((rt) => (${String(httpModule)})(rt, 'http'))`,
  https: `((rt) => (${String(httpModule)})(rt, 'https'))`,
  net: String(netModule),
  tls: `((rt) => { const net = rt.builtin('net'); return { ...net, connect: net.connect }; })`,
  dns: String(dnsModule),
  worker_threads: String(workerThreadsModule),
  http2: String(http2Module),
  inspector: String(inspectorModule),
  diagnostics_channel: String(diagnosticsChannelModule),
  domain: String(domainModule),
  // The legacy `constants` module: fs and os constants together (graceful-fs reads it).
  constants: `((rt) => ({ ...rt.builtin('fs').constants, ...rt.builtin('os').constants.signals }))`,
  // Not modules: the text globals and fetch, installed lazily as globals by the bootstrap.
  __text: String(textModule),
  __fetch: String(fetchModule),
  __web: String(webModule),
};

// Source text run in each new isolate before its script is known (the whole runtime is set up): it leaves one function,
// \`__si_start(config)\`, that the worker calls with the script's configuration.
export function runtimeSource(): string {
  const table = Object.entries(ISOLATE_FACTORIES).map(([name, src]) => `${JSON.stringify(name)}: (${src})`).join(',\n');
  return `(function (g) {
  'use strict';
  const factories = {
${table}
  };
  const bootstrap = (${String(bootstrap)});
  // Run ahead of the script; the worker takes the start function and deletes the name.
  const { start, unhandled } = bootstrap(g, factories);
  g.__si_start = start;
  g.__si_unhandled = unhandled;
  g.__si_probe = () => undefined;
})(globalThis);
`;
}

/** Every built-in name `require` answers inside the isolate (also what the static scan accepts). */
export const SUPPORTED_BUILTINS: ReadonlySet<string> = new Set([
  ...Object.keys(ISOLATE_FACTORIES).filter((name) => !name.startsWith('__')),
  'module', 'buffer', 'events', 'path', 'path/posix', 'string_decoder', 'querystring', 'process', 'sys',
  'assert/strict', 'fs/promises', 'stream/promises', 'timers/promises', 'util/types', 'dns/promises', 'stream/web',
]);
