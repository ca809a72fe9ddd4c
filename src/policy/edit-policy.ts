// Edit a policy file's text (approve, deny, import) with jsonc-parser, keeping comments and formatting,
// and write it atomically. The text edits are pure; writePolicyFile is the only I/O.
import { applyEdits, modify, parseTree, findNodeAtLocation, getNodeValue, type Edit, type FormattingOptions } from 'jsonc-parser';
import writeFileAtomic from 'write-file-atomic';
import { SafeInstallError } from '../errors.js';
import { formatPackageKey, isPackageKey, parsePackageKey, type PackageKey } from './package-key.js';

/** The `$schema` line written into a new policy file. */
export const SCHEMA_REF = './node_modules/safe-install/schema/policy.schema.json';

// The text of a new policy file.
export function newPolicyText(): string {
  return `{\n  "$schema": "${SCHEMA_REF}",\n  "packages": {}\n}\n`;
}

// Guess the file's indentation so inserted entries look like their neighbours.
function detectFormatting(text: string): FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return indent.startsWith('\t') ? { insertSpaces: false, tabSize: 1, eol } : { insertSpaces: true, tabSize: indent.length, eol };
}

/** One change to make: a key and whether its scripts run. */
export interface RunChange {
  key: PackageKey;
  run: boolean;
}

// Apply run changes to policy text; returns the new text and notes for the user (already-set, deny-wins).
// With `keepExisting` (import), an approval never changes an entry that is already there.
export function applyRunChanges(original: string | undefined, changes: RunChange[], options: { keepExisting?: boolean } = {}): { text: string; notes: string[] } {
  let text = original ?? newPolicyText();
  const notes: string[] = [];
  const formattingOptions = detectFormatting(text);
  for (const change of changes) {
    const canonical = formatPackageKey(change.key);
    const root = parseTree(text);
    const packages = root && findNodeAtLocation(root, ['packages']);
    const existingKeys = packages?.type === 'object' ? (packages.children ?? []).map((p) => p.children?.[0]?.value as string) : [];
    // Reuse the key as the user spelled it when it means the same package and versions.
    const key = existingKeys.find((k) => {
      const parsed = parsePackageKey(k);
      return isPackageKey(parsed) && formatPackageKey(parsed) === canonical;
    }) ?? canonical;
    const entry = root && findNodeAtLocation(root, ['packages', key]);
    const current = entry ? getNodeValue(entry) : undefined;
    let path: (string | number)[];
    let value: unknown;
    if (current && typeof current === 'object' && !Array.isArray(current)) {
      const run = (current as { run?: unknown }).run;
      if (options.keepExisting && change.run) {
        if (run === false) notes.push(`${key}: kept the existing deny`);
        continue;
      }
      if ((run ?? true) === change.run) {
        notes.push(`${key}: already ${change.run ? 'approved' : 'denied'}`);
        continue;
      }
      [path, value] = [['packages', key, 'run'], change.run];
    } else {
      [path, value] = [['packages', key], change.run ? {} : { run: false }];
    }
    text = applyEdits(text, editFor(text, path, value, formattingOptions));
    // A deny elsewhere still wins: say so rather than let the approval look effective.
    if (change.run) {
      for (const other of existingKeys) {
        const parsed = parsePackageKey(other);
        if (!isPackageKey(parsed) || parsed.name !== change.key.name || other === key) continue;
        const value = root && findNodeAtLocation(root, ['packages', other]);
        const otherEntry = value ? getNodeValue(value) : undefined;
        if (otherEntry && typeof otherEntry === 'object' && otherEntry.run === false) {
          notes.push(`${key}: note "${other}" is denied, and a deny wins for the versions it names`);
        }
      }
    }
  }
  return { text, notes };
}

// Leading whitespace of the line holding offset.
function indentAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

// Make the edit for one change. jsonc-parser's formatter reflows the previous sibling when it inserts,
// so new entries are written by hand on one line each, indented like their neighbours.
function editFor(text: string, path: (string | number)[], value: unknown, fo: FormattingOptions): Edit[] {
  const root = parseTree(text);
  const packages = root && findNodeAtLocation(root, ['packages']);
  const oneLine = (v: unknown) => JSON.stringify(v).replace(/^\{"run":false\}$/, '{ "run": false }');
  if (path.length === 3 || packages?.type !== 'object') {
    // Replacing a value needs no formatting; a missing "packages" is added formatted.
    return modify(text, path, value, path.length === 3 ? {} : { formattingOptions: fo });
  }
  const unit = fo.insertSpaces ? ' '.repeat(fo.tabSize ?? 2) : '\t';
  const eol = fo.eol ?? '\n';
  const entry = `${JSON.stringify(path[1])}: ${oneLine(value)}`;
  const children = packages.children ?? [];
  if (children.length === 0) {
    const indent = indentAt(text, packages.offset);
    return [{ offset: packages.offset, length: packages.length, content: `{${eol}${indent}${unit}${entry}${eol}${indent}}` }];
  }
  const last = children[children.length - 1];
  return [{ offset: last.offset + last.length, length: 0, content: `,${eol}${indentAt(text, last.offset)}${entry}` }];
}

// Write policy text atomically (a temporary file renamed over the old one).
export async function writePolicyFile(file: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(file, text, { encoding: 'utf8' });
  } catch (cause) {
    throw new SafeInstallError('EPOLICY_IO', `cannot write ${file}: ${(cause as Error).message}`, { cause, hint: 'check that the directory is writable' });
  }
}
