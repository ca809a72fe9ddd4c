// Where a source text imports: the static `import`/`export … from` specifiers, the literal `import()`
// specifiers, and the places of `import(` and `import.meta`, which isolated-vm cannot serve (V8's
// dynamic-import and import.meta hooks are not reachable through it). `rewriteImports` turns them
// into calls of two functions declared at the end of the source, so that line numbers stay the
// script's own. Lexing, not parsing: es-module-lexer (the lexer Vite and Node's tooling use) skips
// strings, comments, templates and regular expressions. Pure.
import { init, parse } from 'es-module-lexer';

await init;

export interface ImportSites {
  /** Specifiers the source imports with a literal name (static, re-exports, literal `import()`). */
  specifiers: string[];
  /** Whether it uses `import()` with a computed specifier. */
  computedImport: boolean;
  /** Whether it has `import`/`export` statements. */
  moduleSyntax: boolean;
}

// Lex a source text; undefined when the lexer cannot make sense of it.
export function lexImports(source: string): ImportSites | undefined {
  if (!/\b(import|export)\b/.test(source)) return { specifiers: [], computedImport: false, moduleSyntax: false };
  try {
    const [imports, , , hasModuleSyntax] = parse(source);
    const specifiers: string[] = [];
    let computedImport = false;
    for (const entry of imports) {
      if (entry.type === 'import-meta') continue;
      if (typeof entry.specifier === 'string') specifiers.push(entry.specifier);
      else if (entry.type === 'dynamic') computedImport = true;
    }
    return { specifiers, computedImport, moduleSyntax: hasModuleSyntax };
  } catch {
    return undefined;
  }
}

/**
 * Rewrite `import(` to `__si_import(` (and, in an ES module, `import.meta` to `__si_meta()`), with the
 * two functions declared at the end: they call the isolate's loader with this file as the referrer.
 * `referrer` is the path requests resolve from.
 */
export function rewriteImports(source: string, referrer: string, kind: 'esm' | 'cjs'): string {
  if (!source.includes('import')) return source;
  let imports: ReturnType<typeof parse>[0];
  try {
    [imports] = parse(source);
  } catch {
    return source; // left as written: an `import()` then fails with V8's own error
  }
  const edits: [number, number, string][] = [];
  for (const entry of imports) {
    if (entry.type === 'dynamic') edits.push([entry.importStart, entry.dynamicStart, '__si_import']);
    else if (entry.type === 'import-meta' && kind === 'esm') edits.push([entry.importStart, entry.importEnd, '__si_meta()']);
  }
  if (edits.length === 0) return source;
  let out = source;
  for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + text + out.slice(end);
  const at = JSON.stringify(referrer);
  return `${out}\n;function __si_import(s, o) { return __si_esm.import(${at}, s, o); }${kind === 'esm' ? `function __si_meta() { return __si_esm.meta(${at}); }` : ''}\n`;
}
