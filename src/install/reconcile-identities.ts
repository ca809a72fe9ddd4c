// After npm finishes it has written the final lockfile: confirm every identity that was taken from
// npm's environment during the install, and flag the ones the lockfile contradicts.
import type { ScriptRecord } from '../report/types.js';
import type { Lockfile } from './resolve-identity.js';

// Return the records with versions taken from the final lockfile where it has an entry.
export function reconcileIdentities(records: ScriptRecord[], lockfile: Lockfile | undefined): ScriptRecord[] {
  return records.map((record) => {
    if (record.identitySource !== 'npm' || !lockfile?.packages) return record;
    const entry = lockfile.packages[record.path];
    if (!entry?.version) return record;
    const version = entry.version;
    const note = version === record.version ? undefined : `package.json claimed version ${record.version}; the lockfile says ${version}`;
    return {
      ...record,
      version,
      package: `${record.name}@${version}`,
      identitySource: 'lockfile',
      resolved: entry.resolved ?? record.resolved,
      integrity: entry.integrity ?? record.integrity,
      reason: note ? [record.reason, note].filter(Boolean).join('; ') : record.reason,
    };
  });
}
