// Build the editor JSON Schema (schema/policy.schema.json) from the zod schema.
import { z } from 'zod';
import { policySchema } from './schema.js';

// Return the policy JSON Schema as pretty-printed text, ending in a newline.
export function policyJsonSchemaText(): string {
  const schema = z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const out = { ...schema, $id: 'https://safe-install.dev/schema/policy.schema.json', title: 'safe-install policy' };
  return JSON.stringify(out, null, 2) + '\n';
}
