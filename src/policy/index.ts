// Public surface of the policy room: load a policy, resolve a package's grant, decide a request.
export * from './types.js';
export type { LoadedPolicy, PolicyEntry } from './loaded-policy.js';
export type { Allow, PolicyFile, Profile, KnownPackage } from './schema.js';
export { policySchema, PROFILE_NAMES } from './schema.js';
export { loadPolicy, parsePolicyText, parseAllowScripts, mergeAllowScripts, defaultPolicy, formatPolicyProblem, POLICY_FILE_NAME } from './load-policy.js';
export type { LoadPolicyOptions, PolicyProblem } from './load-policy.js';
export { loadBuiltinProfiles, PROFILES_DIR } from './builtin-profiles.js';
export { resolvePackagePolicy, resolveRun, findKnownPackage } from './resolve-package-policy.js';
export type { ResolveOptions, RunResolution } from './resolve-package-policy.js';
export { resolvePathPattern, realpathLongest, isWithin, diskRealpath } from './resolve-path.js';
export type { Realpath } from './resolve-path.js';
export { decide, decideEnforced, netCovered, isSecretEnvName } from './decide.js';
export type { DecideOptions } from './decide.js';
export { parsePackageKey, formatPackageKey, keyMatches, isPackageKey } from './package-key.js';
export type { PackageKey } from './package-key.js';
export { checkPathPattern, checkNetPattern, checkExecPattern, checkEnvName } from './patterns.js';
export { policyJsonSchemaText } from './json-schema.js';
