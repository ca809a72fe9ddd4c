// Map JSON paths and offsets in a policy file to 1-based line:column, and render a JSON path for people.
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import type { ErrorLocation } from '../errors.js';

export type JsonPath = (string | number)[];

// Convert a character offset into a 1-based line and column.
export function offsetToLocation(text: string, offset: number, file: string): ErrorLocation {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { file, line, column: end - lineStart + 1 };
}

// Find the offset of the value at path, or of its key (atKey), or of the nearest existing parent.
export function offsetOfPath(root: Node | undefined, path: JsonPath, atKey = false): number {
  if (!root) return 0;
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (!node) continue;
    if (atKey && n === path.length && node.parent?.type === 'property' && node.parent.children?.[0]) {
      return node.parent.children[0].offset;
    }
    return node.offset;
  }
  return root.offset;
}

// Find the offset of an object's property key (for unknown keys).
export function offsetOfKey(root: Node | undefined, objectPath: JsonPath, key: string): number {
  const obj = root && findNodeAtLocation(root, objectPath);
  const prop = obj?.children?.find((p) => p.children?.[0]?.value === key);
  return prop?.children?.[0]?.offset ?? obj?.offset ?? 0;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

// Render ["packages", "@scope/x", "allow", "net", 0] as packages["@scope/x"].allow.net[0].
export function formatJsonPath(path: JsonPath): string {
  if (path.length === 0) return '(top level)';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (IDENT.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}
