// Read chosen files out of a package tarball (.tgz) in memory, without extracting anything to disk:
// ustar headers, pax `path` records and GNU long names; the first path component (`package/`) is
// dropped as npm does. Sizes are capped so a hostile archive cannot exhaust memory (pure).
import { gunzipSync } from 'node:zlib';

export interface ReadTarballLimits {
  /** Largest gunzipped archive accepted. @default 256 MiB */
  maxArchiveBytes?: number;
  /** Files larger than this are skipped. @default 1 MiB */
  maxFileBytes?: number;
}

// Return the wanted files of a gzipped tar, keyed by their path inside the package.
export function readTarball(tgz: Uint8Array, wanted: (path: string) => boolean, limits: ReadTarballLimits = {}): Map<string, Buffer> {
  const tar = gunzipSync(tgz, { maxOutputLength: limits.maxArchiveBytes ?? 256 * 1024 * 1024 });
  return readTar(tar, wanted, limits.maxFileBytes ?? 1024 * 1024);
}

// Walk an uncompressed tar.
export function readTar(tar: Buffer, wanted: (path: string) => boolean, maxFileBytes = 1024 * 1024): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let nextName: string | undefined;
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = readSize(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] || 48);
    const dataStart = offset + 512;
    const data = tar.subarray(dataStart, Math.min(dataStart + size, tar.length));
    offset = dataStart + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      nextName = paxPath(data.toString('utf8')) ?? nextName;
      continue;
    }
    if (type === 'L') {
      nextName = cstring(data);
      continue;
    }
    if (type === 'g') continue;
    const ustar = header.subarray(257, 262).toString('latin1') === 'ustar';
    const prefix = ustar ? cstring(header.subarray(345, 500)) : '';
    const name = nextName ?? (prefix ? `${prefix}/${cstring(header.subarray(0, 100))}` : cstring(header.subarray(0, 100)));
    nextName = undefined;
    if (type !== '0' && type !== '\0' && type !== '7') continue; // regular files only
    const inside = stripFirst(name);
    if (inside === undefined || size > maxFileBytes || !wanted(inside)) continue;
    out.set(inside, Buffer.from(data));
  }
  return out;
}

// `package/binding.gyp` -> `binding.gyp`; undefined for names that climb out (`../x`) or are absolute.
function stripFirst(name: string): string | undefined {
  const parts = name.replace(/^\.\//, '').split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length < 2 || parts.includes('..') || name.startsWith('/')) return undefined;
  return parts.slice(1).join('/');
}

function cstring(buf: Buffer): string {
  const end = buf.indexOf(0);
  return buf.subarray(0, end === -1 ? buf.length : end).toString('utf8');
}

// Octal size, or base-256 when the high bit of the first byte is set.
function readSize(field: Buffer): number {
  if (field[0] & 0x80) {
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + field[i];
    return n;
  }
  const text = cstring(field).trim();
  return text ? parseInt(text, 8) || 0 : 0;
}

// The `path` record of a pax extended header (`<len> path=<value>\n` records).
function paxPath(text: string): string | undefined {
  for (const record of text.split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(record);
    if (match) return match[1];
  }
  return undefined;
}
