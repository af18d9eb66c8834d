// The layers, as the import graph shows them: the core imports nothing but itself, the YAML and JSON
// Schema libraries and the bundled schemas; the CLI sits beside the language server, not on top of it;
// the protocol in common/ depends on neither side; and no module imports itself in a circle.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REPO } from './harness';

const SOURCE_ROOTS = ['server/src', 'common', 'client/src'];

interface Module {
  /** Repository-relative, '/'-separated. */
  file: string;
  /** Resolved repository-relative files for relative imports; bare package names otherwise. */
  imports: string[];
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

function resolve(from: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
    const abs = path.join(REPO, candidate);
    if (fs.existsSync(abs) && fs.statSync(abs).isFile()) return candidate;
  }
  return base;
}

function loadGraph(): Map<string, Module> {
  const graph = new Map<string, Module>();
  for (const root of SOURCE_ROOTS) {
    for (const file of sourceFiles(root)) {
      const text = fs.readFileSync(path.join(REPO, file), 'utf8');
      const imports: string[] = [];
      for (const m of text.matchAll(IMPORT)) imports.push(resolve(file, m[1] ?? m[2] ?? m[3] ?? m[4]));
      graph.set(file, { file, imports });
    }
  }
  return graph;
}

/** Every strongly connected set of two or more modules (or one importing itself), as a readable path. */
function cycles(graph: Map<string, Module>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.imports ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)!.imports.includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('layering', () => {
  const graph = loadGraph();
  const importsOf = (prefix: string) =>
    [...graph.values()].filter((m) => m.file.startsWith(prefix)).flatMap((m) => m.imports.map((target) => ({ from: m.file, target })));

  it('finds the modules it is meant to check', () => {
    for (const f of ['server/src/core/analyze.ts', 'server/src/server/main.ts', 'server/src/cli/main.ts', 'common/protocol.ts', 'client/src/extension.ts']) {
      assert.ok(graph.has(f), `${f} is in the import graph`);
    }
    assert.ok(graph.get('server/src/core/analyze.ts')!.imports.includes('server/src/core/registry.ts'), 'relative imports resolve to files');
  });

  it('has no import cycles', () => {
    assert.deepEqual(cycles(graph), []);
  });

  it('keeps the core pure: only itself, yaml, ajv and the bundled schemas', () => {
    const bad = importsOf('server/src/core/').filter(
      ({ target }) => !(target.startsWith('server/src/core/') || target.startsWith('schemas/') || /^(yaml|ajv)(\/|$)/.test(target)),
    );
    assert.deepEqual(bad, []);
  });

  it('puts the CLI beside the language server, not on top of it', () => {
    assert.deepEqual(
      importsOf('server/src/cli/').filter(({ target }) => target.startsWith('server/src/server/') || target.startsWith('vscode-languageserver')),
      [],
    );
  });

  it('keeps the shared protocol free of server, client and host code', () => {
    assert.deepEqual(
      importsOf('common/').filter(({ target }) => target.startsWith('server/src/server/') || target.startsWith('client/') || target.startsWith('server/src/host/')),
      [],
    );
  });

  it('keeps the client off the server internals', () => {
    assert.deepEqual(
      importsOf('client/').filter(({ target }) => target.startsWith('server/src/server/') || target.startsWith('server/src/cli/')),
      [],
    );
  });
});
