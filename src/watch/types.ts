// The tamper witness's vocabulary: what it watches, and what it saw change.

/** One change seen on a watched path during the install. */
export interface TamperChange {
  /** Absolute host path. Untrusted (a script may choose the name): escape before display. */
  path: string;
  change: 'added' | 'changed' | 'removed';
  /** Epoch milliseconds when the change was first seen (the stop time when only the snapshot saw it). */
  at: number;
}

/** A running witness; stop() closes every watcher and returns what changed. */
export interface TamperWatch {
  stop(): Promise<TamperChange[]>;
}

export interface TamperWatchOptions {
  /** The project root (where package.json lives). */
  projectDir: string;
  /** The real HOME of the user (not the sandbox's synthetic one). */
  home: string;
  /** More paths to watch at depth 0 (a directory: itself and its entries; a file: itself). @default [] */
  extraPaths?: string[];
}

/**
 * One shallow place to watch. A directory target covers itself and its direct entries (depth 0);
 * a file target covers only itself. `acceptEntry` narrows which entries count (HOME: dotfiles only;
 * the project root: everything but node_modules).
 */
export interface WatchTarget {
  path: string;
  acceptEntry?: (name: string) => boolean;
}
