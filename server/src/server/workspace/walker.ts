// Walking workspace folders for the files the kinds' scan globs name: which folders are never worth
// walking, what the user's excludes hide, how a file's key, file-system path and URI relate.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isScanCandidate } from '../../core/catalog';
import { matchesGlob } from '../../core/glob';
import { Settings } from '../../core/types';
import { ServerSettings } from '../settings';
import { keyOf } from '../uris';

/** Folders never worth walking: dependencies and version control. */
const PRUNED = new Set(['node_modules', '.git', '.hg', '.svn']);

export interface Folder {
  uri: string;
  /** '/'-separated path, the prefix of its files' keys. */
  key: string;
  fsPath: string;
  core: Partial<Settings>;
  server: ServerSettings;
  /** What, in the settings, decides the scan's results (a change means a rescan). */
  fingerprint?: string;
}

export function folderOf(uri: string): Folder {
  const key = keyOf(uri).replace(/(.)\/$/, '$1');
  return { uri, key, fsPath: fileURLToPath(uri), core: {}, server: { exclude: [], filesExclude: [], workspaceDiagnostics: false } };
}

/** Whether `key` is strictly inside the folder `folderKey`. */
export function isUnder(key: string, folderKey: string): boolean {
  return key.length > folderKey.length && key.startsWith(folderKey) && (key[folderKey.length] === '/' || folderKey === '/');
}

/** The innermost of the folders holding `key`. */
export function innermostFolder(folders: readonly Folder[], key: string): Folder | undefined {
  let best: Folder | undefined;
  for (const f of folders) if (isUnder(key, f.key) && (!best || f.key.length > best.key.length)) best = f;
  return best;
}

/** Whether a path relative to its workspace folder lies in a folder that is never walked. */
export function isPruned(rel: string): boolean {
  return rel.split('/').some((segment) => PRUNED.has(segment));
}

/** `prodready.exclude` or `files.exclude` globs, relative to the workspace folder (or absolute). */
export function isExcluded(rel: string, key: string, globs: string[], folder: boolean): boolean {
  // `build/**` excludes the folder `build` itself.
  return globs.some((g) => matchesGlob(rel, g) || matchesGlob(key, g) || (folder && matchesGlob(`${rel}/`, g)));
}

/** The file-system path of a key inside the folder. */
export function fsPathOf(folder: Folder, key: string): string {
  return key === folder.key ? folder.fsPath : folder.fsPath.replace(/[\\/]$/, '') + key.slice(folder.key.length).split('/').join(path.sep);
}

/** A file's URI spelled like the workspace folder's (VS Code also escapes !'()*). */
export function uriOf(folder: Folder, key: string): string {
  if (key === folder.key) return folder.uri;
  const rel = key
    .slice(folder.key.length + 1)
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
  return `${folder.uri.replace(/\/$/, '')}/${rel.join('/')}`;
}

/**
 * Walks a folder tree from `start` (the folder's key or a folder inside it), reporting candidate files;
 * skips pruned, excluded and symlinked folders, and other workspace folders nested in this one (they
 * scan their own files, with their own settings).
 */
export async function walk(
  folder: Folder,
  start: string,
  others: readonly Folder[],
  onFile: (key: string, uri: string) => void,
  cancelled: () => boolean,
): Promise<void> {
  const stack = [start];
  while (stack.length > 0) {
    if (cancelled()) return;
    const dir = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(fsPathOf(folder, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const key = `${dir === '/' ? '' : dir}/${e.name}`;
      const rel = key.slice(folder.key.length + 1);
      if (e.isDirectory()) {
        if (PRUNED.has(e.name) || isExcluded(rel, key, folder.server.filesExclude, true) || others.some((f) => f !== folder && f.key === key)) continue;
        stack.push(key);
      } else if ((e.isFile() || e.isSymbolicLink()) && isScanCandidate(key) && !isExcluded(rel, key, folder.server.filesExclude, false)) {
        onFile(key, uriOf(folder, key));
      }
    }
  }
}
