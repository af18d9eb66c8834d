// The NGINX file as its rules read it: the parsed tree with `include`s expanded where the included file
// can be found, each block turned into a Scope that knows its NGINX context (http, stream, server, …).
//
// Fragments are the norm (a conf.d file holding one `server`, a snippet of `ssl_*` lines), so the
// context of a file's top level is inferred (see inferTopContext) and stays `unknown` when nothing
// tells it; rules that depend on the context then stay silent.
//
// Includes (see IncludeResolver) resolve against the workspace only, never the machine's /etc/nginx.
// An include that cannot be read might set anything, so rules give it the benefit of the doubt: the
// scope records it in `unresolved`, and `lookup` reports the answer as uncertain.

import { BaseContext, SyntaxReport } from '../kind';
import { basename, dirname, joinPath } from '../paths';
import { FileAccess } from '../types';
import { NginxEditor } from './edit';
import { Directive, parseNginx, ParsedConfig, Word } from './parse';
import { NGINX_SYNTAX } from './rules/syntax';

export type Protocol = 'http' | 'stream' | 'mail';

/** Where a file's top-level directives end up: `server` means inside an http `server {}` block. */
export type TopContext = 'main' | 'http' | 'stream' | 'server' | 'unknown';

export interface IncludeInfo {
  /** The workspace file it was read from, when found. */
  resolvedTo?: string;
  /** By convention holds nothing the rules look for (MIME types, *_params, load_module lines). */
  harmless: boolean;
}

export interface Node {
  directive: Directive;
  name: string;
  /** Argument values (unquoted). */
  args: string[];
  /** In the analysed file: its offsets are valid for findings and edits. */
  local: boolean;
  file: string;
  /** The text of the file the directive is in. */
  source: string;
  scope: Scope;
  /** The scope of a block directive's body. */
  body?: Scope;
  include?: IncludeInfo;
}

export interface Scope {
  /** `file` for a file's top level, otherwise the block directive's name (`http`, `server`, `if`, …). */
  kind: string;
  /** The block directive; absent for the top level. */
  owner?: Node;
  parent?: Scope;
  /** Which NGINX context this scope's directives are in: main, http, stream, mail, events, server, location, if, upstream, other, unknown. */
  context: string;
  protocol?: Protocol;
  children: Node[];
  /** Includes directly in this scope that could not be read (and are not known to be harmless). */
  unresolved: Node[];
  /** The top level of a fragment: the blocks around it are in a file we do not see. */
  outerUnknown: boolean;
}

export interface NginxContext extends BaseContext {
  config: ParsedConfig;
  edit: NginxEditor;
  topContext: TopContext;
  top: Scope;
  /** `server {}` bodies in an http, stream or mail context, including those from included files. */
  servers: Scope[];
  upstreams: Scope[];
  httpBlocks: Scope[];
  /** Every directive of the analysed file, in file order (included files' directives are not here). */
  localNodes: Node[];
}

/** Directives and blocks that exist only at the top of a main configuration. */
const MAIN_ONLY = new Set([
  'events', 'http', 'stream', 'mail', 'user', 'pid', 'daemon', 'master_process', 'load_module', 'env',
  'worker_processes', 'worker_rlimit_nofile', 'worker_cpu_affinity', 'worker_priority', 'worker_shutdown_timeout',
  'worker_rlimit_core', 'working_directory', 'pcre_jit', 'thread_pool', 'timer_resolution', 'lock_file', 'ssl_engine',
]);

/** Directives that exist only in the http context (so a top-level one shows the file is included there). */
const HTTP_ONLY_TOP = new Set([
  'proxy_cache_path', 'fastcgi_cache_path', 'uwsgi_cache_path', 'scgi_cache_path', 'limit_req_zone', 'sendfile',
  'server_names_hash_bucket_size', 'server_names_hash_max_size', 'types_hash_max_size', 'client_max_body_size',
  'keepalive_timeout', 'gzip', 'default_type', 'server_tokens',
]);

/** Inside a `server {}`, these only exist in http servers. */
const HTTP_SERVER_MARKERS = new Set([
  'location', 'root', 'alias', 'try_files', 'index', 'rewrite', 'add_header', 'proxy_set_header', 'fastcgi_pass',
  'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'client_max_body_size', 'error_page', 'autoindex', 'auth_basic',
]);

/** Folder names whose files NGINX installs include into the http context, and into the stream context. */
const HTTP_FOLDERS = new Set(['conf.d', 'http.d', 'sites-available', 'sites-enabled', 'vhosts.d']);
const STREAM_FOLDERS = new Set(['stream', 'stream.d', 'streams-available', 'streams-enabled']);

/**
 * The context of a file's top level, from the strongest evidence down:
 * 1. main-only directives (`http {}`, `events {}`, `worker_processes` …) → main;
 * 2. the nearest folder named like an NGINX include folder (conf.d, sites-enabled, stream.d …);
 * 3. the content: a top-level `location` → inside a server; a top-level `server {}` holding
 *    http-only directives, or other http-only directives → http; a `server {}` proxying to a bare
 *    `host:port` or upstream name → stream;
 * 4. a file named nginx.conf → main;
 * 5. otherwise unknown.
 * Step 3 comes before 4 because docker images often ship a lone `server {}` as "nginx.conf" and copy it
 * into conf.d: NGINX would refuse a `server` at the main level, so the content is the better witness.
 */
export function inferTopContext(config: ParsedConfig, path: string): TopContext {
  const top = config.directives;
  if (top.some((d) => MAIN_ONLY.has(d.name.value))) return 'main';
  const folders = dirname(path).split('/');
  for (let i = folders.length - 1; i >= 0; i--) {
    const f = folders[i].toLowerCase();
    if (STREAM_FOLDERS.has(f)) return 'stream';
    if (HTTP_FOLDERS.has(f)) return 'http';
  }
  if (top.some((d) => d.name.value === 'location')) return 'server';
  if (top.some((d) => HTTP_ONLY_TOP.has(d.name.value))) return 'http';
  for (const d of top) {
    if (d.name.value !== 'server' || !d.block) continue;
    const names = d.block.children.map((c) => c.name.value);
    if (names.some((n) => HTTP_SERVER_MARKERS.has(n))) return 'http';
    const proxy = d.block.children.find((c) => c.name.value === 'proxy_pass')?.args[0]?.value;
    if (proxy !== undefined && /^https?:\/\//.test(proxy)) return 'http';
    if (proxy !== undefined && !proxy.includes('://') && !proxy.includes('$')) return 'stream';
    if (d.block.children.some((c) => c.name.value === 'listen' && c.args.some((a) => a.value === 'udp'))) return 'stream';
  }
  if (basename(path).toLowerCase() === 'nginx.conf') return 'main';
  return 'unknown';
}

function topProtocol(top: TopContext): Protocol | undefined {
  if (top === 'http' || top === 'server') return 'http';
  if (top === 'stream') return 'stream';
  return undefined;
}

function childContext(parent: Scope, name: string): string {
  switch (name) {
    case 'http':
    case 'stream':
    case 'mail':
    case 'events':
      return parent.context === 'main' ? name : 'other';
    case 'server':
      return parent.context === 'http' || parent.context === 'stream' || parent.context === 'mail' ? 'server' : 'other';
    case 'location':
    case 'if':
    case 'upstream':
    case 'limit_except':
      return name;
    default:
      return 'other';
  }
}

function childProtocol(parent: Scope, name: string): Protocol | undefined {
  if ((name === 'http' || name === 'stream' || name === 'mail') && parent.context === 'main') return name;
  if (name === 'location') return 'http';
  return parent.protocol;
}

/** Includes that by convention only hold MIME types, FastCGI/proxy/uwsgi parameters or load_module lines. */
export function isHarmlessInclude(pattern: string): boolean {
  const name = basename(pattern).toLowerCase();
  if (name === 'mime.types' || name.endsWith('.types') || name === 'fastcgi.conf' || /^[a-z0-9_-]*params$/.test(name)) return true;
  return /(^|\/)modules(-enabled|-available)?\/[^/]*$/.test(pattern);
}

const MAX_INCLUDE_DEPTH = 8;
/** Bounds the work a pathological include tree (each file including several others) can cause. */
const MAX_INCLUDED_DIRECTIVES = 100_000;
const MAX_ANCESTORS = 16;

/**
 * Finds an included file in the workspace. `include` paths are resolved, in this order:
 * - relative paths: against the including file's folder, then against each "config root" — an
 *   ancestor folder of the analysed file that holds an nginx.conf (NGINX itself resolves them against
 *   its configuration folder);
 * - absolute `/etc/nginx/<rest>`: `<rest>` under each config root;
 * - any absolute path `/<p>`: `<ancestor>/<p>` for each ancestor folder of the analysed file (the
 *   `rootfs/etc/nginx/…` layout of container images).
 * The machine's own /etc/nginx is only read when the analysed file itself lives there. Patterns with wildcards (`conf.d/*.conf`) or variables
 * are not expanded (there is no folder listing); single-character classes such as `custom[.]conf`
 * (the usual "optional include" trick) are read as the literal name.
 */
export class IncludeResolver {
  private roots: string[] | undefined;
  private ancestors: string[] | undefined;
  private readonly parsed = new Map<string, ParsedConfig | null>();

  constructor(
    private readonly files: FileAccess,
    private readonly analysedPath: string,
    private readonly maxSize: number,
  ) {}

  private ancestorFolders(): string[] {
    if (this.ancestors) return this.ancestors;
    const out: string[] = [];
    let dir = dirname(this.analysedPath);
    while (dir !== '/' && dir !== '' && out.length < MAX_ANCESTORS) {
      out.push(dir);
      dir = dirname(dir);
    }
    this.ancestors = out;
    return out;
  }

  private configRoots(): string[] {
    if (this.roots) return this.roots;
    this.roots = this.ancestorFolders().filter((dir) => dir.endsWith('/etc/nginx') || safeExists(this.files, `${dir}/nginx.conf`));
    return this.roots;
  }

  candidates(pattern: string, fromFile: string): string[] {
    const literal = pattern.replace(/\[([^\]\\])\]/g, '$1');
    if (/[*?[\]$]|\{\{|\{%/.test(literal) || literal === '') return [];
    const out: string[] = [];
    if (!literal.startsWith('/')) {
      out.push(joinPath(dirname(fromFile), literal));
      for (const root of this.configRoots()) out.push(joinPath(root, literal));
    } else {
      if (literal.startsWith('/etc/nginx/')) for (const root of this.configRoots()) out.push(joinPath(root, literal.slice('/etc/nginx/'.length)));
      for (const dir of this.ancestorFolders()) out.push(joinPath(dir, literal.slice(1)));
    }
    return [...new Set(out)];
  }

  resolve(pattern: string, fromFile: string): { path: string; config: ParsedConfig } | undefined {
    for (const candidate of this.candidates(pattern, fromFile)) {
      if (candidate === this.analysedPath) continue;
      let config = this.parsed.get(candidate);
      if (config === undefined) {
        const text = safeRead(this.files, candidate);
        config = text === undefined || text.length > this.maxSize || text.slice(0, 8192).includes('\0') ? null : parseNginx(text);
        this.parsed.set(candidate, config);
      }
      if (config) return { path: candidate, config };
    }
    return undefined;
  }
}

function safeExists(files: FileAccess, path: string): boolean {
  try {
    return files.exists(path);
  } catch {
    return false;
  }
}

function safeRead(files: FileAccess, path: string): string | undefined {
  try {
    const text = files.readFile(path);
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined;
  }
}

export function prepareNginx(base: BaseContext): { ctx: NginxContext; syntax: SyntaxReport[] } {
  const config = parseNginx(base.text);
  const syntax: SyntaxReport[] = config.problems.map((p) => ({ ruleId: NGINX_SYNTAX.id, span: p.span, message: p.message }));
  const topContext = inferTopContext(config, base.path);
  const top: Scope = {
    kind: 'file',
    context: topContext,
    protocol: topProtocol(topContext),
    children: [],
    unresolved: [],
    outerUnknown: topContext !== 'main',
  };
  const ctx: NginxContext = { ...base, config, edit: new NginxEditor(config), topContext, top, servers: [], upstreams: [], httpBlocks: [], localNodes: [] };
  const resolver = new IncludeResolver(base.files, base.path, base.settings.maxFileSize);
  let includedBudget = MAX_INCLUDED_DIRECTIVES;

  interface Work {
    scope: Scope;
    directives: Directive[];
    file: string;
    source: string;
    local: boolean;
    chain: string[];
  }
  // Blocks are expanded from a work list rather than by recursion: configs can nest arbitrarily deep.
  // Only includes recurse, and their depth is bounded.
  const work: Work[] = [];

  const expand = (w: Work): void => {
    for (const d of w.directives) {
      const node: Node = {
        directive: d,
        name: d.name.value,
        args: d.args.map((a) => a.value),
        local: w.local,
        file: w.file,
        source: w.source,
        scope: w.scope,
      };
      w.scope.children.push(node);
      if (!w.local) includedBudget--;
      if (d.block && !d.block.lua) {
        const body: Scope = {
          kind: node.name,
          owner: node,
          parent: w.scope,
          context: childContext(w.scope, node.name),
          protocol: childProtocol(w.scope, node.name),
          children: [],
          unresolved: [],
          outerUnknown: false,
        };
        node.body = body;
        if (body.context === 'server') ctx.servers.push(body);
        else if (node.name === 'upstream') ctx.upstreams.push(body);
        else if (node.name === 'http' && body.context === 'http') ctx.httpBlocks.push(body);
        work.push({ ...w, scope: body, directives: d.block.children });
      } else if (node.name === 'include' && d.args.length === 1 && !d.block) {
        const pattern = node.args[0];
        const info: IncludeInfo = { harmless: isHarmlessInclude(pattern) };
        node.include = info;
        const found = w.chain.length <= MAX_INCLUDE_DEPTH && includedBudget > 0 ? resolver.resolve(pattern, w.file) : undefined;
        if (found && !w.chain.includes(found.path)) {
          info.resolvedTo = found.path;
          expand({ scope: w.scope, directives: found.config.directives, file: found.path, source: found.config.text, local: false, chain: [...w.chain, found.path] });
        } else if (!found && !info.harmless) w.scope.unresolved.push(node);
      }
    }
  };

  work.push({ scope: top, directives: config.directives, file: base.path, source: base.text, local: true, chain: [base.path] });
  while (work.length) expand(work.pop()!);
  // Depth first over the finished tree gives the analysed file's directives in file order.
  const pending: { list: Node[]; i: number }[] = [{ list: top.children, i: 0 }];
  while (pending.length) {
    const level = pending[pending.length - 1];
    if (level.i >= level.list.length) {
      pending.pop();
      continue;
    }
    const node = level.list[level.i++];
    if (!node.local) continue;
    ctx.localNodes.push(node);
    if (node.body) pending.push({ list: node.body.children, i: 0 });
  }
  return { ctx, syntax };
}

const byName = new WeakMap<Scope, Map<string, Node[]>>();

/**
 * The directives named `names` directly in a scope (includes expanded): in file order for one name,
 * grouped by name for several. Indexed on first use, once the tree is complete: an http block can hold
 * thousands of servers, and every server looks things up in it. Callers must not modify the result.
 */
export function childrenNamed(scope: Scope, ...names: string[]): Node[] {
  // Small scopes (most servers and locations) are cheaper to scan than to index.
  if (scope.children.length <= 16) {
    const out: Node[] = [];
    for (const name of names) for (const n of scope.children) if (n.name === name) out.push(n);
    return out;
  }
  let index = byName.get(scope);
  if (!index) {
    index = new Map();
    for (const n of scope.children) {
      const list = index.get(n.name);
      if (list) list.push(n);
      else index.set(n.name, [n]);
    }
    byName.set(scope, index);
  }
  if (names.length === 1) return index.get(names[0]) ?? [];
  return names.flatMap((name) => index!.get(name) ?? []);
}

/**
 * The nearest definition of an inherited directive: the directives named `names` at the closest level
 * (this scope, then the enclosing ones) that has any. `certain` is false when a level on the way has an
 * unreadable include or the file is a fragment whose enclosing blocks we cannot see.
 */
export function lookup(scope: Scope, ...names: string[]): { nodes: Node[]; certain: boolean } {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const found = childrenNamed(s, ...names);
    if (found.length) return { nodes: found, certain: true };
    if (s.unresolved.length) return { nodes: [], certain: false };
    if (!s.parent && s.outerUnknown) return { nodes: [], certain: false };
  }
  return { nodes: [], certain: true };
}

/** The source text of a node's tokens, e.g. `listen [::]:80 default_server`, without comments or line breaks. */
export function directiveText(node: Node): string {
  const d = node.directive;
  return [d.name, ...d.args].map((w: Word) => node.source.slice(w.start, w.end)).join(' ');
}
