// The in-memory policy every other function of the room reads: validated, keys parsed, sources merged.
import type { ErrorLocation } from '../errors.js';
import type { PackageKey } from './package-key.js';
import type { Allow, KnownPackage, Profile } from './schema.js';

/** One per-package entry, from the policy file or package.json `allowScripts`. */
export interface PolicyEntry {
  /** The key as written, e.g. `esbuild@0.25.0 || 0.25.1`. */
  key: string;
  parsed: PackageKey;
  run: boolean;
  profile?: string;
  allow?: Allow;
  source: 'policy' | 'allowScripts';
  location?: ErrorLocation;
}

export interface LoadedPolicy {
  /** Absolute path of the policy file; absent when the built-in default is in use. */
  file?: string;
  mode: 'enforce' | 'audit';
  unlisted: 'sandbox' | 'deny' | 'ask';
  /** Package keys whose behaviour-lock drift is accepted (reported as a warning). Absent: none. */
  acceptDrift?: string[];
  root: { run: boolean; profile: string; allow?: Allow };
  entries: PolicyEntry[];
  /** Built-in profiles by name. */
  profiles: Record<string, Profile>;
  /** Known packages (sandbox-profiles/known-packages.json), in file order. */
  known: KnownPackage[];
}
