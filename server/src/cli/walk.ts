// The files a `prodready check` of folders reads: every file below them, in a stable (sorted) order,
// leaving out dependency and version-control folders and whatever the repository's .gitignore files
// ignore (read with the `ignore` library, folder by folder). Files named on the command line are always
// checked, ignored or not.

import ignore, { Ignore } from 'ignore';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Folders never worth walking: dependencies, version control, build output, editor test installs. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.vscode-test']);

interface Rules {
  base: string;
  ig: Ignore;
}

type OnError = (p: string, e: unknown) => void;

function statOf(p: string, onError: OnError): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch (e) {
    onError(p, e);
    return undefined;
  }
}

export function* walkFiles(given: string, onError: OnError): Generator<string> {
  const stat = statOf(given, onError);
  if (!stat) return;
  if (stat.isFile()) {
    yield given;
    return;
  }
  if (stat.isDirectory()) yield* walkDir(given, ancestorsRules(path.resolve(given)), onError);
}

function* walkDir(dir: string, rules: Rules[], onError: OnError): Generator<string> {
  const own = readRules(dir);
  const active = own ? [...rules, own] : rules;
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch (e) {
    onError(dir, e);
    return;
  }
  for (const name of names) {
    const p = path.join(dir, name);
    const stat = statOf(p, onError);
    if (!stat) continue;
    const isDir = stat.isDirectory();
    if (isDir && SKIP_DIRS.has(name)) continue;
    if (ignored(path.resolve(p), isDir, active)) continue;
    if (isDir) yield* walkDir(p, active, onError);
    else if (stat.isFile()) yield p;
  }
}

function ignored(abs: string, isDir: boolean, rules: Rules[]): boolean {
  for (const { base, ig } of rules) {
    const rel = path.relative(base, abs).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

function readRules(dir: string): Rules | undefined {
  const file = path.join(dir, '.gitignore');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return { base: path.resolve(dir), ig: ignore().add(text) };
}

/** The .gitignore files above a walked folder, up to the repository root (a folder holding `.git`). */
function ancestorsRules(dir: string): Rules[] {
  const found: Rules[] = [];
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const rules = readRules(current);
    if (rules) found.unshift(rules);
    if (fs.existsSync(path.join(current, '.git')) || path.dirname(current) === current) break;
  }
  // The walked folder itself may be the repository root, or below it.
  return fs.existsSync(path.join(dir, '.git')) ? [] : found;
}
