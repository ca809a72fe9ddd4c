// Read the built-in profiles and the known-packages map shipped in sandbox-profiles/.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SafeInstallError } from '../errors.js';
import { PROFILE_NAMES, knownPackagesSchema, profileSchema, type KnownPackage, type Profile } from './schema.js';

// dist/src/policy/ and src/policy/ are both three levels below the package root.
export const PROFILES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'sandbox-profiles');

let cache: { profiles: Record<string, Profile>; known: KnownPackage[] } | undefined;

// Read one JSON file of the shipped profiles; a broken one is a bug in safe-install, not user input.
function readBuiltin(file: string): unknown {
  try {
    return JSON.parse(readFileSync(join(PROFILES_DIR, file), 'utf8'));
  } catch (cause) {
    throw new SafeInstallError('EINTERNAL', `built-in profile file ${file} cannot be read`, { cause, hint: 'reinstall safe-install' });
  }
}

// Load (once) every built-in profile and the known-packages list, validated.
export function loadBuiltinProfiles(): { profiles: Record<string, Profile>; known: KnownPackage[] } {
  if (cache) return cache;
  const profiles: Record<string, Profile> = {};
  for (const name of PROFILE_NAMES) {
    const parsed = profileSchema.safeParse(readBuiltin(`${name}.json`));
    if (!parsed.success) {
      throw new SafeInstallError('EINTERNAL', `built-in profile ${name}.json is invalid: ${parsed.error.issues[0]?.message}`);
    }
    profiles[name] = parsed.data;
  }
  const known = knownPackagesSchema.safeParse(readBuiltin('known-packages.json'));
  if (!known.success) {
    const issue = known.error.issues[0];
    throw new SafeInstallError('EINTERNAL', `known-packages.json is invalid at ${issue?.path.join('.')}: ${issue?.message}`);
  }
  cache = { profiles, known: known.data.packages };
  return cache;
}
