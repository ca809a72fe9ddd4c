// Check the strings a policy grants (path patterns, hosts, executables, variable names) before they
// reach a resolver. Pure: every check takes a string and returns a problem or undefined.
import { posix } from 'node:path';

/** What is wrong with one value: a message naming it, what would be valid, and how to fix it. */
export interface PatternProblem {
  message: string;
  expected: string;
  hint?: string;
}

export const PATH_VARIABLES = ['$PKG', '$PROJECT', '$HOME', '$TMP', '$CACHE'] as const;
export type PathVariable = (typeof PATH_VARIABLES)[number];

const GLOB_CHARS = /[*?[\]{}!]/;
const PATH_EXPECTED = 'a path starting with $PKG, $PROJECT, $HOME, $TMP, $CACHE or /, optionally ending in /**';

// Split a pattern into its variable (if any) and the rest, e.g. "$PKG/build/**" -> ["$PKG", "/build/**"].
export function splitPathVariable(pattern: string): { variable?: PathVariable; rest: string } {
  for (const v of PATH_VARIABLES) {
    if (pattern === v || pattern.startsWith(v + '/')) return { variable: v, rest: pattern.slice(v.length) };
  }
  return { rest: pattern };
}

// Check a read/write path pattern: a known variable or an absolute path, no escape via "..", not "/".
export function checkPathPattern(pattern: string): PatternProblem | undefined {
  const bad = (message: string, hint?: string) => ({ message, expected: PATH_EXPECTED, hint });
  if (pattern.length === 0) return bad('empty path pattern');
  if (pattern.length > 4096) return bad('path pattern longer than 4096 characters');
  if (/[\u0000-\u001f\u007f]/.test(pattern)) return bad('path pattern contains a control character');
  if (pattern.startsWith('~')) return bad(`"${pattern}" uses ~`, `write "$HOME${pattern.slice(1)}"`);
  if (/^\$[A-Za-z_]/.test(pattern) && !splitPathVariable(pattern).variable) {
    const name = /^\$[A-Za-z_][A-Za-z0-9_]*/.exec(pattern)?.[0];
    return bad(`unknown variable ${name} in "${pattern}"`, `use one of ${PATH_VARIABLES.join(', ')}`);
  }
  const { variable, rest } = splitPathVariable(pattern);
  if (!variable && !pattern.startsWith('/')) {
    return bad(`"${pattern}" is relative`, `write "$PROJECT/${pattern.replace(/^\.\//, '')}" or "$PKG/${pattern.replace(/^\.\//, '')}"`);
  }
  // Globs are only meaningful as a directory suffix: the sandbox binds a directory, not a glob.
  const globAt = rest.search(GLOB_CHARS);
  if (globAt !== -1 && !(rest.endsWith('/**') && globAt === rest.length - 2)) {
    return bad(`"${pattern}" has a glob other than a trailing /**`, `grant the directory: "${(variable ?? '') + rest.slice(0, rest.lastIndexOf('/', globAt))}/**"`);
  }
  const body = rest.endsWith('/**') ? rest.slice(0, -3) : rest;
  // Resolve ".." lexically against a virtual root: leaving it means escaping the variable's directory.
  let depth = 0;
  for (const part of body.split('/')) {
    depth += part === '..' ? -1 : part === '' || part === '.' ? 0 : 1;
    if (depth < 0) return bad(`"${pattern}" escapes ${variable ?? '/'} with ".."`);
  }
  if (!variable && posix.normalize(body) === '/') return bad(`"${pattern}" grants the whole file system`);
  return undefined;
}

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const NET_EXPECTED = 'host:port, *.domain:port or host:* (port 1-65535)';

// Check a network grant: "host:port", "*.domain:port", "host:*"; no URLs, no bare "*", no "*.com".
export function checkNetPattern(entry: string): PatternProblem | undefined {
  const bad = (message: string, hint?: string) => ({ message, expected: NET_EXPECTED, hint });
  const url = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#]+)(?::(\d+))?/i.exec(entry);
  if (url) {
    const port = url[3] ?? ({ http: '80', https: '443', ws: '80', wss: '443' } as Record<string, string>)[url[1].toLowerCase()] ?? '443';
    return bad(`"${entry}" is a URL, not a host`, `write "${url[2].toLowerCase()}:${port}"`);
  }
  if (entry === '*' || entry === '*:*') return bad(`"${entry}" allows every host`, 'name the hosts, e.g. "registry.npmjs.org:443"');
  const colon = entry.lastIndexOf(':');
  if (colon === -1) return bad(`"${entry}" has no port`, `write "${entry}:443" for HTTPS`);
  const host = entry.slice(0, colon);
  const port = entry.slice(colon + 1);
  if (port !== '*' && !(/^\d{1,5}$/.test(port) && +port >= 1 && +port <= 65535)) {
    return bad(`port "${port}" in "${entry}" is not a number from 1 to 65535 or *`);
  }
  if (host.startsWith('[') && host.endsWith(']')) return undefined; // IPv6 literal, e.g. [::1]:8080
  if (host !== host.toLowerCase()) return bad(`host "${host}" must be lower case`, `write "${entry.toLowerCase()}"`);
  const wildcard = host.startsWith('*.');
  const name = wildcard ? host.slice(2) : host;
  if (name.includes('*')) return bad(`"${entry}": only a leading "*." wildcard is supported`);
  if (IPV4.test(name)) {
    if (wildcard) return bad(`"${entry}": a wildcard cannot apply to an IP address`);
    return name.split('.').every((n) => +n <= 255) ? undefined : bad(`"${name}" is not a valid IPv4 address`);
  }
  const labels = name.split('.');
  if (name.length > 253 || !labels.every((l) => HOST_LABEL.test(l))) {
    return bad(`"${host}" is not a valid host name`);
  }
  // srt's rule: "*.com" or "*.co.uk"-style patterns cover a whole public suffix.
  if (wildcard && (labels.length < 2 || (labels.length === 2 && labels[0].length <= 3 && labels[1].length <= 2))) {
    return bad(`"${entry}" is overly broad`, 'name a registrable domain, e.g. "*.example.com:443"');
  }
  return undefined;
}

// Check an executable grant: a bare command name or an absolute path.
export function checkExecPattern(entry: string): PatternProblem | undefined {
  const expected = 'a command name (node-gyp) or an absolute path (/usr/bin/make)';
  if (entry.length === 0 || entry.length > 4096 || /[\u0000-\u001f\u007f]/.test(entry)) {
    return { message: `"${entry}" is not a command name or path`, expected };
  }
  if (entry.startsWith('/')) {
    return entry.split('/').includes('..') ? { message: `"${entry}" contains ".."`, expected } : undefined;
  }
  if (entry.includes('/')) return { message: `"${entry}" is a relative path`, expected, hint: 'use a bare name or an absolute path' };
  if (/[*?\s]/.test(entry)) return { message: `"${entry}" contains a glob or a space`, expected };
  return undefined;
}

// Check an environment variable grant: a plain variable name, no globs.
export function checkEnvName(entry: string): PatternProblem | undefined {
  if (/^[A-Za-z_][A-Za-z0-9_]{0,254}$/.test(entry)) return undefined;
  return { message: `"${entry}" is not an environment variable name`, expected: 'a name like SHARP_IGNORE_GLOBAL_LIBVIPS (letters, digits, _)' };
}
