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

// ---------------------------------------------------------------------------------------------
// Grants written by "allow always" at a prompt and by `safe-install init` (added by the prompt room).

/** One grant to add: an item in one `allow` list of a package entry or of `root`. */
export interface GrantChange {
  /** The package key to add to or create, as written in the file (`esbuild`, `sharp@0.33.5`), or `{ root: true }`. */
  key: string | { root: true };
  list: 'read' | 'write' | 'net' | 'exec' | 'env';
  value: string;
  /**
   * Written along when the entry has neither `profile` nor `allow` yet. An entry that sets `allow` replaces
   * the package's known entry, so the caller passes the known profile and grants here to keep them.
   */
  base?: { profile?: string; allow?: { [list: string]: string[] | number | undefined } };
}

// Add grants to policy text, keeping comments and layout; returns the new text and notes (already granted).
export function applyGrantChanges(original: string | undefined, changes: GrantChange[]): { text: string; notes: string[] } {
  let text = original ?? newPolicyText();
  const notes: string[] = [];
  const fo = detectFormatting(text);
  for (const change of changes) {
    const entryPath = typeof change.key === 'string' ? ['packages', change.key] : ['root'];
    const label = typeof change.key === 'string' ? change.key : 'root';
    const tree = parseTree(text);
    if (!tree || tree.type !== 'object') throw new SafeInstallError('EPOLICY_INVALID', 'the policy file is not a JSON object', { hint: 'fix the file, or move it away and answer again' });
    const entry = findNodeAtLocation(tree, entryPath);
    const allowNode = entry && findNodeAtLocation(tree, [...entryPath, 'allow']);
    const listNode = allowNode && findNodeAtLocation(tree, [...entryPath, 'allow', change.list]);
    let edit: Edit;
    if (listNode?.type === 'array') {
      if ((listNode.children ?? []).some((c) => c.value === change.value)) {
        notes.push(`${label}: ${change.list} already grants ${change.value}`);
        continue;
      }
      edit = appendItem(text, listNode, JSON.stringify(change.value), fo);
    } else if (allowNode?.type === 'object') {
      edit = insertProperty(text, allowNode, change.list, inlineJson([change.value]), fo);
    } else if (entry?.type === 'object') {
      const hasProfile = findNodeAtLocation(tree, [...entryPath, 'profile']) !== undefined;
      const value = hasProfile ? { allow: { [change.list]: [change.value] } } : newEntry(change);
      // Insert the properties one after the other into the same object: build them as one text.
      const props = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`);
      edit = insertProperty(text, entry, undefined, props.join(', '), fo);
    } else {
      const parentPath = entryPath.slice(0, -1);
      const parent = parentPath.length === 0 ? tree : findNodeAtLocation(tree, parentPath);
      const name = entryPath[entryPath.length - 1];
      edit = parent?.type === 'object'
        ? insertProperty(text, parent, name, inlineJson(newEntry(change)), fo, parentPath.length > 0)
        : insertProperty(text, tree, 'packages', inlineJson({ [name]: newEntry(change) }), fo);
    }
    text = applyEdits(text, [edit]);
  }
  return { text, notes };
}

// The value of a new entry: the base (known profile and grants) with the change added.
function newEntry(change: GrantChange): Record<string, unknown> {
  const allow: Record<string, string[] | number> = {};
  for (const [list, items] of Object.entries(change.base?.allow ?? {})) {
    if (Array.isArray(items) && items.length > 0) allow[list] = [...items];
    else if (typeof items === 'number') allow[list] = items;
  }
  const before = allow[change.list];
  allow[change.list] = [...(Array.isArray(before) ? before : []).filter((v) => v !== change.value), change.value];
  return change.base?.profile ? { profile: change.base.profile, allow } : { allow };
}

// JSON on one line with a space inside braces: `{ "allow": { "net": ["x:443"] } }`.
export function inlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
}

type JsonNode = NonNullable<ReturnType<typeof parseTree>>;

// Add `"key": value` (or, with key undefined, ready-made property text) at the end of an object, in its layout.
// An empty `{}` stays on one line unless `expandEmpty` (the packages object: one entry per line).
function insertProperty(text: string, object: JsonNode, key: string | undefined, valueText: string, fo: FormattingOptions, expandEmpty = false): Edit {
  const prop = key === undefined ? valueText : `${JSON.stringify(key)}: ${valueText}`;
  const children = object.children ?? [];
  const eol = fo.eol ?? '\n';
  if (children.length === 0) {
    const multiline = text.slice(object.offset, object.offset + object.length).includes('\n');
    if (!multiline && !expandEmpty) return { offset: object.offset, length: object.length, content: `{ ${prop} }` };
    const indent = indentAt(text, object.offset);
    const unit = fo.insertSpaces ? ' '.repeat(fo.tabSize ?? 2) : '\t';
    return { offset: object.offset, length: object.length, content: `{${eol}${indent}${unit}${prop}${eol}${indent}}` };
  }
  const last = children[children.length - 1];
  const sameLine = !text.slice(object.offset, last.offset).includes('\n');
  return { offset: last.offset + last.length, length: 0, content: sameLine ? `, ${prop}` : `,${eol}${indentAt(text, last.offset)}${prop}` };
}

// Add an item at the end of an array, in its layout (one line, or one item per line).
function appendItem(text: string, array: JsonNode, itemText: string, fo: FormattingOptions): Edit {
  const children = array.children ?? [];
  if (children.length === 0) return { offset: array.offset, length: array.length, content: `[${itemText}]` };
  const last = children[children.length - 1];
  const sameLine = !text.slice(array.offset, last.offset).includes('\n');
  return { offset: last.offset + last.length, length: 0, content: sameLine ? `, ${itemText}` : `,${fo.eol ?? '\n'}${indentAt(text, last.offset)}${itemText}` };
}
