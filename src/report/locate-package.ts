// Point at the line that declares a package: its `"node_modules/<name>": {` entry in package-lock.json, or,
// for the root project and packages the lockfile lacks, package.json (its script line when that is known).
// SARIF results and GitHub annotations use this so a reviewer lands on the dependency that acted.

export interface SourceFiles {
  /** Text of package-lock.json; without it every location points at package.json. */
  lockfileText?: string;
  /** Text of package.json, to find a root script's line. */
  packageJsonText?: string;
  /** Project directory relative to the repository root, prefixed to both file names. @default '' */
  baseUri?: string;
}

export interface PackageLocation {
  uri: string;
  line: number;
  column: number;
}

// Find where a package (by its path relative to the project) or a root script is declared.
export function locatePackage(path: string | undefined, script: string | undefined, files: SourceFiles): PackageLocation {
  const base = files.baseUri ? `${files.baseUri.replace(/\/+$/, '')}/` : '';
  if (path && files.lockfileText) {
    const found = findKeyLine(files.lockfileText, path);
    if (found) return { uri: `${base}package-lock.json`, ...found };
  }
  const found = path === '' && script && files.packageJsonText ? findKeyLine(files.packageJsonText, script) : undefined;
  return { uri: `${base}package.json`, line: found?.line ?? 1, column: found?.column ?? 1 };
}

// Find the first line whose content starts with the JSON-quoted key and a colon (1-based line and column).
function findKeyLine(text: string, key: string): { line: number; column: number } | undefined {
  const quoted = `${JSON.stringify(key)}:`;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const trimmed = lines[i].trimStart();
    if (trimmed.startsWith(quoted)) return { line: i + 1, column: lines[i].length - trimmed.length + 1 };
  }
  return undefined;
}
