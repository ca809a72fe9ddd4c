// Read the policy's `gates` section. loadPolicy has already validated the whole file against the one
// schema (src/policy/schema.ts includes gatesSchema), so this only parses it again and fills defaults.
import { readFileSync } from 'node:fs';
import { parse } from 'jsonc-parser';
import { SafeInstallError } from '../errors.js';
import { defaultGateSettings, gatesSchema, type GateSettings } from './gates-schema.js';

// Return the gate settings of the policy file, or the defaults when there is no file or no section.
export function loadGateSettings(policyFile: string | undefined): GateSettings {
  if (!policyFile) return defaultGateSettings();
  let text: string;
  try {
    text = readFileSync(policyFile, 'utf8');
  } catch {
    return defaultGateSettings();
  }
  const value = parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as { gates?: unknown } | undefined;
  const result = gatesSchema.safeParse(value?.gates ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SafeInstallError('EPOLICY_INVALID', `${policyFile}: gates.${issue.path.join('.')}: ${issue.message}`, { hint: 'run `safe-install policy check` for the location; see docs/gates.md' });
  }
  return result.data;
}
