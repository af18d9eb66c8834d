// What the layout promises, checked on the sources and the bundles rather than left to review:
// the CLI stands beside the language server (it imports none of it and bundles none of it), and no
// server, host, CLI, protocol or client code names a file kind — kinds live behind their KindModule.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as ts from 'typescript';
import { kindNames } from '../../server/src/core/registry';

const REPO = path.resolve(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(REPO, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.posix.join(dir, f.split(path.sep).join('/')));
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(path.join(REPO, file), 'utf8'), ts.ScriptTarget.ES2022, true);
}

function visit(node: ts.Node, each: (node: ts.Node) => void): void {
  each(node);
  node.forEachChild((child) => visit(child, each));
}

/** Every module specifier a file imports or re-exports (and `require`s). */
function imports(file: string): string[] {
  const out: string[] = [];
  visit(parse(file), (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.getText() === 'require' && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      out.push(node.arguments[0].text);
    }
  });
  return out;
}

describe('the command line stands beside the language server', () => {
  it('server/src/cli imports nothing from server/src/server', () => {
    const server = path.join(REPO, 'server/src/server');
    for (const file of sourceFiles('server/src/cli')) {
      for (const spec of imports(file).filter((s) => s.startsWith('.'))) {
        const target = path.resolve(REPO, path.dirname(file), spec);
        assert.ok(!target.startsWith(server + path.sep), `${file} imports ${spec}`);
      }
      for (const spec of imports(file)) assert.doesNotMatch(spec, /^vscode-languageserver|^vscode-jsonrpc/, `${file} imports ${spec}`);
    }
  });

  it('the bundled CLI (dist/cli.js) holds no language server code', () => {
    const bundle = path.join(REPO, 'dist/cli.js');
    assert.ok(fs.existsSync(bundle), 'dist/cli.js is missing: run `npm run build` (or node scripts/bundle.mjs) first');
    const sources = (JSON.parse(fs.readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[] }).sources;
    const lsp = (s: string) => /node_modules\/vscode-(languageserver|jsonrpc)|server\/src\/server\//.test(s);
    assert.deepEqual(sources.filter(lsp), [], 'modules bundled into dist/cli.js');
    const text = fs.readFileSync(bundle, 'utf8');
    for (const marker of ['createConnection', 'vscode-languageserver', 'vscode-jsonrpc', 'textDocument/publishDiagnostics']) {
      assert.ok(!text.includes(marker), `dist/cli.js contains ${marker}`);
    }
    // The same markers do find the server bundle, so their absence above means something.
    const server = fs.readFileSync(path.join(REPO, 'dist/server.js'), 'utf8');
    assert.ok(server.includes('createConnection') && server.includes('textDocument/publishDiagnostics'));
  });
});

/**
 * String literals that equal a kind or variant id but are not one, each with its reason. The test fails
 * when one is no longer there, so the list cannot outlive its reasons.
 */
const EXEMPT: { file: string; literal: string; why: string }[] = [
  { file: 'common/protocol.ts', literal: 'nginx', why: "DOCUMENT_LANGUAGES: VS Code's language id, the editor's contract" },
  { file: 'common/protocol.ts', literal: 'haproxy', why: "DOCUMENT_LANGUAGES: VS Code's language id, the editor's contract" },
  { file: 'common/templates.ts', literal: 'nginx', why: 'the language id the new NGINX config opens with' },
  { file: 'common/templates.ts', literal: 'haproxy', why: 'the language id the new HAProxy config opens with' },
  { file: 'server/src/cli/main.ts', literal: 'swarm-stack', why: '`--swarm`, the documented shorthand for `--kind swarm-stack`' },
];

/** The string literals of a source (template parts included), with their lines. */
function literals(source: ts.SourceFile): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  visit(source, (node) => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      out.push({ text: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
  });
  return out;
}

describe('no file kind is named outside the kinds', () => {
  const scanned = ['server/src/server', 'server/src/host', 'server/src/cli', 'common', 'client/src'].flatMap(sourceFiles);

  it('no string literal in the server, host, CLI, protocol or client equals a kind or variant id', () => {
    const names = new Set(kindNames());
    assert.ok(names.size >= 5, `kinds: ${[...names]}`);
    const found = scanned.flatMap((file) =>
      literals(parse(file))
        .filter((l) => names.has(l.text))
        .map((l) => ({ file, literal: l.text, line: l.line })),
    );
    const exempt = (f: { file: string; literal: string }) => EXEMPT.some((e) => e.file === f.file && e.literal === f.literal);
    assert.deepEqual(
      found.filter((f) => !exempt(f)).map((f) => `${f.file}:${f.line} '${f.literal}'`),
      [],
      'kind ids belong behind the kind modules (core/registry, core/catalog); see EXEMPT for the exceptions',
    );
    for (const e of EXEMPT) assert.ok(found.some((f) => f.file === e.file && f.literal === e.literal), `stale exemption: ${e.file} '${e.literal}'`);
  });

  it('sees literals in quotes and in templates', () => {
    const probe = ts.createSourceFile('probe.ts', "if (kind === 'nginx') x = `helm-values`;\ny = `${a}swarm-stack`;", ts.ScriptTarget.ES2022, true);
    assert.deepEqual(literals(probe), [
      { text: 'nginx', line: 1 },
      { text: 'helm-values', line: 1 },
      { text: '', line: 2 },
      { text: 'swarm-stack', line: 2 },
    ]);
  });
});
