import * as fs from 'node:fs';
import { FileAccess } from '../core/types';

/**
 * Sibling-file access for the core (Chart.yaml, values.schema.json, NGINX includes): read-only, small
 * files only, and never anything but plain reads — the workspace's contents are data, never run.
 */
const MAX_SIBLING_SIZE = 5 * 1024 * 1024;

export const diskFileAccess: FileAccess = {
  readFile(path) {
    try {
      const stat = fs.statSync(path);
      if (!stat.isFile() || stat.size > MAX_SIBLING_SIZE) return undefined;
      return fs.readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  exists(path) {
    try {
      return fs.existsSync(path);
    } catch {
      return false;
    }
  },
};
