// Edit a policy file's text (approve, deny, import) with jsonc-parser, keeping comments and formatting,
// and write it atomically. The text edits are pure; writePolicyFile is the only I/O.
import { applyEdits, modify, parseTree, findNodeAtLocation, getNodeValue, type FormattingOptions } from 'jsonc-parser';
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
    text = applyEdits(text, modify(text, path, value, { formattingOptions }));
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

// Write policy text atomically (a temporary file renamed over the old one).
export async function writePolicyFile(file: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(file, text, { encoding: 'utf8' });
  } catch (cause) {
    throw new SafeInstallError('EPOLICY_IO', `cannot write ${file}: ${(cause as Error).message}`, { cause, hint: 'check that the directory is writable' });
  }
}
