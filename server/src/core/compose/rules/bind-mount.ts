import { YAMLMap } from 'yaml';
import { Fix, Rule, TextChange } from '../../types';
import { scalarSource, withComments } from '../../yaml/edit';
import { spanOf } from '../../yaml/nav';
import { YamlDocument } from '../../yaml/document';
import { ComposeContext, Service } from '../model';
import { isDockerSocket, Mount, mountsOf } from '../volumes';

// Files that hold key material belong in Swarm secrets (encrypted in the Raft log, mounted in tmpfs);
// other single files (nginx.conf, prometheus.yml) belong in configs.
const SECRET_FILE = /\.(pem|key|crt|cer|p12|pfx|jks|keystore)$|secret|password|passwd|token|credential/i;

export const bindMount: Rule<ComposeContext> = {
  meta: {
    id: 'compose/bind-mount',
    description: 'Services use named volumes, configs and secrets instead of host bind mounts.',
    defaultSeverity: 'warning',
    category: 'data',
    fixable: true,
  },
  check(ctx, report) {
    const taken = new Map<YamlDocument, Set<string>>();
    for (const s of ctx.services) {
      const { seq, mounts } = mountsOf(s);
      // Mounts merged in from an anchor are shared with other services: report them, but a fix here
      // would rewrite (or remove) them for every service that uses the anchor.
      const shared = s.document.view.get(s.map, 'volumes')?.inherited ?? false;
      for (const m of mounts) {
        if (m.type !== 'bind' || !m.source || isDockerSocket(m) || m.source.includes('$')) continue;
        const names = taken.get(s.document) ?? new Set(topLevelNames(s.document));
        taken.set(s.document, names);
        const file = looksLikeFile(m.source, m.target);
        report({
          span: spanOf(m.sourceNode ?? m.node),
          message:
            file === undefined
              ? `Service "${s.name}" bind-mounts the host path ${m.source}: it exists only on the host where you created it, so the service is tied to that machine and its contents are not versioned with the deployment. Use a named volume for data, or a config/secret for a single file.`
              : file
                ? `Service "${s.name}" bind-mounts the host file ${m.source}: it exists only on the host where you put it, so tasks scheduled elsewhere fail or see another version. Ship it as a ${SECRET_FILE.test(m.source) ? 'secret' : 'config'} instead.`
                : `Service "${s.name}" bind-mounts the host folder ${m.source}: the data lives on one host, is lost when the task moves, and ties the service to that machine. Use a named volume (with a volume driver that follows the task if it must be shared).`,
          fixes: shared || m.shared || file === undefined ? [] : file ? () => fileFix(s, m, names, seq) : () => directoryFix(s, m, names),
        });
      }
    }
  },
};

// Well-known files without an extension; mounting one as a folder-turned-volume would break the service.
const EXTENSIONLESS_FILES = new Set(['localtime', 'timezone', 'hosts', 'hostname', 'passwd', 'group', 'shadow', 'machine-id', 'Caddyfile', 'Dockerfile', 'Makefile', 'id_rsa', 'id_ed25519', 'id_ecdsa', 'known_hosts', 'authorized_keys', 'htpasswd', '.htpasswd', '.env']);

/** true: a file; false: a folder; undefined: cannot tell (then no fix is offered). */
function looksLikeFile(source: string, target: string | undefined): boolean | undefined {
  if (source.endsWith('/')) return false;
  const last = source.split('/').pop() ?? '';
  if (last === '' || last === '.' || last === '..' || last === '~') return false;
  if (EXTENSIONLESS_FILES.has(last) || (target && EXTENSIONLESS_FILES.has(target.split('/').pop() ?? ''))) return true;
  if (/\.[A-Za-z0-9]{1,10}$/.test(last)) return true;
  // No extension: almost always a data folder (./data, /srv/pgdata), unless it sits among system files.
  return /^\/(etc|proc|sys|dev)\//.test(source) ? undefined : false;
}

function topLevelNames(d: YamlDocument): string[] {
  return ['volumes', 'configs', 'secrets'].flatMap((k) => d.view.entries(d.view.map(d.view.get(d.root, k)?.value)).map((e) => e.key));
}

/**
 * `./data/pg` → `pg`; unique against the document's declared volumes/configs/secrets and the names
 * earlier fixes in this file already offered (callers add the name they use to `taken`).
 */
function freshName(source: string, service: string, taken: Set<string>): string {
  const last = source.replace(/\/+$/, '').split('/').pop() ?? '';
  const base = last.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._-]+/, '') || service;
  let name = taken.has(base) ? `${service}_${base}` : base;
  for (let i = 2; taken.has(name); i++) name = `${service}_${base}_${i}`;
  return name;
}

/** Declares `name` under a top-level section, creating the section at the end of the document if missing. */
function declare(d: YamlDocument, section: string, name: string, value: string | { file: string }): TextChange | undefined {
  const existing = d.view.get(d.root, section);
  const body = typeof value === 'string' ? value : { file: scalarSource(value.file) };
  if (existing && !existing.inherited) {
    const map = d.view.map(existing.value);
    if (map && map.items.length > 0) return d.edit.addEntry(map, name, body);
    if (map || existing.value === undefined || ('value' in (existing.value ?? {}) && (existing.value as { value: unknown }).value === null)) {
      return d.edit.ensurePath(d.root, [section], { [name]: body });
    }
    return undefined;
  }
  return d.edit.addEntry(d.root, section, { [name]: body });
}

function directoryFix(s: Service, m: Mount, taken: Set<string>): Fix[] {
  const d = s.document;
  const name = freshName(m.source!, s.name, taken);
  const changes: TextChange[] = [];
  if (m.syntax === 'short') {
    const value = [name, m.target, ...(m.mode ? [m.mode] : [])].join(':');
    changes.push({ start: m.node.range![0], end: m.node.range![1], newText: scalarSource(value, m.node) });
  } else {
    if (!m.typeNode?.range || !m.sourceNode?.range) return [];
    changes.push({ start: m.typeNode.range[0], end: m.typeNode.range[1], newText: scalarSource('volume', m.typeNode) });
    changes.push({ start: m.sourceNode.range[0], end: m.sourceNode.range[1], newText: scalarSource(name, m.sourceNode) });
  }
  const decl = declare(d, 'volumes', name, '');
  if (!decl) return [];
  taken.add(name);
  return [{ title: `Use a named volume "${name}" instead of ${m.source}`, preferred: true, changes: [...changes, decl] }];
}

function fileFix(s: Service, m: Mount, taken: Set<string>, seq: import('yaml').YAMLSeq | undefined): Fix[] {
  const d = s.document;
  if (!seq || !m.target) return [];
  const section = SECRET_FILE.test(m.source!) ? 'secrets' : 'configs';
  const name = freshName(m.source!, s.name, taken);
  const volumesKey = keyOf(s.map, 'volumes');
  if (!volumesKey) return [];
  // The mount moves from volumes: to configs:/secrets:, and a comment on its line moves with it.
  const removal = seq.items.length === 1 ? d.edit.removeEntry(s.map, volumesKey, true) : d.edit.removeItem(seq, m.node, true);
  if (!removal) return [];
  const inserted = d.edit.ensurePath(s.map, [section], [{ source: scalarSource(name), target: scalarSource(m.target) }]);
  const mount = inserted && withComments(inserted, removal.comments);
  const decl = declare(d, section, name, { file: m.source! });
  if (!mount || !decl) return [];
  taken.add(name);
  const changes: TextChange[] = [{ start: removal.start, end: removal.end, newText: removal.newText }, mount, decl];
  if (overlaps(changes)) return [];
  return [{ title: `Ship ${m.source} as a ${section === 'secrets' ? 'secret' : 'config'} "${name}"`, preferred: true, changes }];
}

function keyOf(map: YAMLMap, key: string) {
  return map.items.find((p) => 'value' in (p.key as object) && (p.key as { value: unknown }).value === key)?.key as import('yaml').Node | undefined;
}

function overlaps(changes: TextChange[]): boolean {
  const sorted = [...changes].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) if (sorted[i].start < sorted[i - 1].end) return true;
  return false;
}
