// Match the gates' simple globs: `*` stands for any run of characters (slashes included), every other
// character is literal. Used for source URLs and package names alike (pure).

// Tell whether `value` matches `pattern`.
export function matchGlob(pattern: string, value: string): boolean {
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 's').test(value);
}

// Tell whether any pattern matches any of the values.
export function matchAny(patterns: readonly string[], values: readonly (string | undefined)[]): string | undefined {
  for (const pattern of patterns) if (values.some((v) => v !== undefined && matchGlob(pattern, v))) return pattern;
  return undefined;
}
