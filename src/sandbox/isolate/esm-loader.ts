// The ES module loader of one isolate script, on the worker's side: isolated-vm compiles and links
// modules only from the host. Each request is resolved and read by the controller (op `import`,
// under the script's sandbox view, as `require` is), compiled with V8's own module system, linked,
// evaluated, and its namespace handed back into the isolate. CommonJS, JSON and the isolate's
// built-ins are imported through small facade modules that call the isolate's own `require`, so a
// module imported and required is one instance, as in Node. Named exports of CommonJS come from
// cjs-module-lexer, the lexer Node itself uses for the same purpose.
import { pathToFileURL } from 'node:url';
import { parse as parseCommonJs } from 'cjs-module-lexer';
import type { BrokerError } from './protocol.js';
import { rewriteImports } from './lex-imports.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ivm = any;
type Reply = { ok: boolean; value?: unknown; error?: BrokerError };

export interface EsmHost {
  isolate: Ivm;
  context: Ivm;
  /** Ask the controller (`import`, `load`) with the script's frame. */
  call(op: string, args: unknown[], where: string): Promise<Reply>;
  /** Milliseconds left before the script's time limit. */
  remainingMs(): number;
}

export interface EsmLoader {
  /** Import `specifier` from `referrer` (null: the entry, from the cwd): the id of its record, its file, and whether it is an ES module (whose top-level await the isolate waits for). */
  importFrom(specifier: string, referrer: string | null, where: string): Promise<Reply>;
  /** The module namespace of a record, to be dereferenced into the isolate. */
  namespace(id: number): unknown;
}

interface Found { builtin?: string; filename?: string; format?: 'esm' | 'js' | 'json'; source?: string }
interface ModuleRecord { id: number; module: Ivm; filename: string; esm: boolean; evaluated?: Promise<void> }

class LoaderError extends Error {
  constructor(readonly error: BrokerError) {
    super(error.message);
  }
}

export function createEsmLoader(host: EsmHost): EsmLoader {
  const records: ModuleRecord[] = [];
  const byKey = new Map<string, Promise<ModuleRecord>>();
  const byModule = new Map<unknown, ModuleRecord>();

  async function ask(op: string, args: unknown[], where: string): Promise<unknown> {
    const reply = await host.call(op, args, where);
    if (!reply.ok) throw new LoaderError(reply.error ?? { message: `${op} failed` });
    return reply.value;
  }

  // Resolve and compile one request (not yet linked); each module is compiled once per script.
  async function load(specifier: string, referrer: string | null, where: string): Promise<ModuleRecord> {
    const found = (await ask('import', [specifier, referrer], where)) as Found;
    const key = found.builtin ? `builtin:${found.builtin}` : `${found.format}:${found.filename}`;
    let record = byKey.get(key);
    if (!record) {
      record = compile(found, where);
      byKey.set(key, record);
    }
    return record;
  }

  async function compile(found: Found, where: string): Promise<ModuleRecord> {
    let filename: string;
    let code: string;
    if (found.builtin) {
      filename = `node:${found.builtin}`;
      const names = (await host.context.evalClosure('return __si_esm.keys($0)', [found.builtin], { arguments: { copy: true }, result: { copy: true } })) as string[];
      code = facade(`__si_esm.builtin(${JSON.stringify(found.builtin)})`, names);
    } else if (found.format === 'esm') {
      filename = found.filename!;
      const source = found.source!.startsWith('#!') ? `//${found.source!}` : found.source!;
      // The last statement tells the isolate the module's body has finished, top-level awaits included:
      // isolated-vm's evaluate() does not wait for them.
      code = `${rewriteImports(source, filename, 'esm')}\n;__si_esm.settled(${JSON.stringify(filename)});\n`;
    } else {
      filename = found.filename!;
      const names = found.format === 'js' ? await commonJsNames(found.filename!, found.source!, where, 0) : [];
      code = facade(`__si_esm.require(${JSON.stringify(found.filename)})`, names);
    }
    let module: Ivm;
    try {
      // Stacks name ES modules by file: URL, as Node does; facades as safe-install's own code (skipped in attribution).
      const scriptName = found.format === 'esm' ? pathToFileURL(filename).href : `safe-install:facade:${filename}`;
      module = await host.isolate.compileModule(code, { filename: scriptName });
    } catch (error) {
      throw new LoaderError(fromIsolate(error));
    }
    const record: ModuleRecord = { id: records.length, module, filename, esm: found.format === 'esm' && !found.builtin };
    records.push(record);
    byModule.set(module, record);
    return record;
  }

  // Named exports of a CommonJS module, following `module.exports = require(…)` re-exports a few levels;
  // each file lexed once per script, and at most MAX_REEXPORT_LOOKUPS lookups in all (a hostile graph
  // must not keep the controller busy).
  const namesOf = new Map<string, Promise<string[]>>();
  let lookups = 0;
  function commonJsNames(filename: string, source: string, where: string, depth: number): Promise<string[]> {
    let names = namesOf.get(filename);
    if (!names) {
      names = lexNames(filename, source, where, depth);
      namesOf.set(filename, names);
    }
    return names;
  }
  async function lexNames(filename: string, source: string, where: string, depth: number): Promise<string[]> {
    let lexed: { exports: string[]; reexports: string[] };
    try {
      lexed = parseCommonJs(source);
    } catch {
      return [];
    }
    const names = new Set(lexed.exports);
    if (depth < 4) {
      for (const request of lexed.reexports.slice(0, 20)) {
        if (++lookups > MAX_REEXPORT_LOOKUPS) break;
        const reply = await host.call('load', [request, filename], where);
        const found = reply.value as Found | undefined;
        if (reply.ok && found?.format === 'js') for (const name of await commonJsNames(found.filename!, found.source!, where, depth + 1)) names.add(name);
      }
    }
    return [...names];
  }

  function link(record: ModuleRecord, where: string): Promise<void> {
    return record.module.instantiate(host.context, async (specifier: string, referrer: unknown) => {
      const from = byModule.get(referrer)?.filename ?? null;
      return (await load(specifier, from?.startsWith('node:') ? null : from, where)).module;
    });
  }

  async function evaluate(record: ModuleRecord, where: string): Promise<void> {
    record.evaluated ??= (async () => {
      try {
        await link(record, where);
        await record.module.evaluate({ timeout: Math.max(1, host.remainingMs()) });
      } catch (error) {
        throw error instanceof LoaderError ? error : new LoaderError(fromIsolate(error));
      }
    })();
    return record.evaluated;
  }

  return {
    async importFrom(specifier, referrer, where) {
      try {
        const record = await load(String(specifier), referrer, where);
        await evaluate(record, where);
        return { ok: true, value: { id: record.id, file: record.filename, esm: record.esm } };
      } catch (error) {
        return { ok: false, error: error instanceof LoaderError ? error.error : fromIsolate(error) };
      }
    },
    namespace(id) {
      const record = records[id];
      if (!record) throw new Error('no such module');
      return record.module.namespace.derefInto();
    },
  };
}

// A module that re-exports a value the isolate's `require` gives: `default` and the named exports.
function facade(expression: string, names: string[]): string {
  const named = names.filter((name) => IDENTIFIER.test(name) && !RESERVED.has(name));
  return `const __si_m = ${expression};\nexport default __si_m;\n${named.length ? `export const { ${named.join(', ')} } = __si_m ?? {};\n` : ''}`;
}

const MAX_REEXPORT_LOOKUPS = 200;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(('break case catch class const continue debugger default delete do else enum export extends false finally for function if import in '
  + 'instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private '
  + 'protected public await arguments eval __si_m __si_esm').split(' '));

// An error from the isolate (a syntax error, a module that threw, an unhandled rejection) as the isolate
// will rebuild it: its message, name and the script's own stack, without the host frames isolated-vm appends.
export function fromIsolate(error: unknown): BrokerError {
  const e = error as { message?: unknown; name?: unknown; stack?: unknown };
  const message = String(e?.message ?? error);
  const stack = typeof e?.stack === 'string' ? e.stack.split('\n').filter((line) => !/^\s+at .*(<isolated-vm boundary>|\/dist\/src\/|node:internal)/.test(line)).join('\n') : undefined;
  return { message, ...(typeof e?.name === 'string' && e.name !== 'Error' ? { name: e.name } : {}), ...(stack ? { stack } : {}) } as BrokerError;
}
