// After a process-tier script ends, offer to run it again with the writes it was refused: the sandbox
// cannot pause a write the way the proxy holds a connection, so the second run is the way to say yes.
import type { SandboxEvent } from '../events/types.js';
import type { InstallAsker } from './create-install-asker.js';
import type { ScriptSubject } from './install-questions.js';

/** At most this many paths are offered for one script; the rest stay refused. */
export const MAX_WRITE_OFFERS = 3;

// Ask about each refused write (grouped by the grant that would cover it); returns the absolute paths
// to add to the script's write grant for a second run, or undefined when nothing was granted.
export async function offerRerun(asker: InstallAsker, script: ScriptSubject, events: SandboxEvent[]): Promise<string[] | undefined> {
  const refused = events.filter((e) => (e.kind === 'fs.write' || e.kind === 'fs.delete') && (e.decision === 'denied' || e.decision === 'asked-denied'));
  const offers = new Map<string, { path: string; attempted: string[] }>();
  for (const e of refused) {
    const grant = asker.writeGrant({ path: e.target });
    // A path no pattern may cover (a start-up file, credentials, another package) is not offered for a re-run:
    // allowing it once would still write it for real.
    if (!grant.pattern) continue;
    const offer = offers.get(grant.pattern) ?? { path: grant.path, attempted: [] };
    offer.attempted.push(e.target);
    offers.set(grant.pattern, offer);
  }
  // The parent directories created on the way (`mkdir -p`) are covered by the deeper grant.
  for (const [pattern, offer] of offers) {
    if ([...offers.values()].some((o) => o !== offer && o.path.startsWith(`${offer.path}/`))) offers.delete(pattern);
  }
  const granted: string[] = [];
  for (const [pattern, offer] of [...offers].slice(0, MAX_WRITE_OFFERS)) {
    if (await asker.askWrite(script, { pattern, path: offer.path, attempted: offer.attempted, rerun: true })) granted.push(offer.path);
  }
  return granted.length > 0 ? granted : undefined;
}
