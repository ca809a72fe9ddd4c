// The behaviour lock's schema, used when reading a committed lock (a hand edit or a merge conflict
// must fail loudly, not be silently replaced).
import { z } from 'zod';

const list = z.array(z.string());

export const lockSchema = z.object({
  $comment: z.string().optional(),
  lockfileVersion: z.literal(1),
  packages: z.record(
    z.string().regex(/^(@[^/@\s]+\/)?[^/@\s]+@\S+$/, 'expected a name@version key'),
    z.strictObject({
      integrity: z.string().optional(),
      scripts: z.record(z.string(), z.string().regex(/^sha256-[0-9a-f]{64}$/, 'expected sha256-<64 hex digits>')),
      seen: z.strictObject({ hosts: list, writes: list, executables: list }),
    }),
  ),
});
