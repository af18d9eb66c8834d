import * as fs from 'node:fs';
import { FileAccess } from '../../server/src/core/types';

/** Real file access for tests whose fixtures refer to sibling files (Chart.yaml, includes). */
export const diskFiles: FileAccess = {
  readFile(p) {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  exists: (p) => fs.existsSync(p),
};
