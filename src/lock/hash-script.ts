// Hash a lifecycle script body, the way the behaviour lock pins it.
import { createHash } from 'node:crypto';

// Return `sha256-<hex>` of the body exactly as npm runs it (no trimming: a changed byte is a changed script).
export function hashScript(body: string): string {
  return `sha256-${createHash('sha256').update(body, 'utf8').digest('hex')}`;
}
