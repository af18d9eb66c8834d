import { isMap, isScalar, Node } from 'yaml';
import { Fix, Rule } from '../../types';
import { scalarSource } from '../../yaml/edit';
import { isTrue, keySpan, scalarText, spanOf } from '../../yaml/nav';
import { ComposeContext, isGlobal, Service, serviceValue } from '../model';
import { mountsOf } from '../volumes';

const OFF_MANAGERS = new Set(['node.role!=manager', 'node.role==worker']);
const ON_MANAGERS = new Set(['node.role==manager', 'node.role!=worker']);

function constraints(s: Service): { text: string; node: Node }[] {
  const view = s.document.view;
  const seq = view.seq(serviceValue(s, 'deploy', 'placement', 'constraints')?.value);
  return view.items(seq).flatMap((n) => {
    const t = scalarText(n);
    return t === undefined ? [] : [{ text: t.replace(/\s+/g, ''), node: n }];
  });
}

export const managerPlacement: Rule<ComposeContext> = {
  meta: {
    id: 'compose/manager-placement',
    description: 'Services are kept off Swarm manager nodes with `node.role != manager`.',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: true,
    variant: 'swarm-stack',
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const cs = constraints(s);
      if (cs.some((c) => OFF_MANAGERS.has(c.text))) continue;
      const pinned = cs.find((c) => ON_MANAGERS.has(c.text));
      if (pinned) {
        report({
          span: spanOf(pinned.node),
          severity: 'information',
          message: `Service "${s.name}" is pinned to manager nodes. That is right for tools that drive the Swarm API (visualizers, Portainer); anything else competes with the Raft consensus for CPU and memory.`,
        });
        continue;
      }
      const { view, edit } = s.document;
      const existing = view.seq(serviceValue(s, 'deploy', 'placement', 'constraints')?.value);
      const style = existing?.items[0] as Node | undefined;
      const change = edit.ensurePath(s.map, ['deploy', 'placement', 'constraints'], [scalarSource('node.role != manager', style)]);
      report({
        span: spanOf(s.keyNode),
        message: `Service "${s.name}" can be scheduled on manager nodes. Managers keep the cluster state (Raft); a busy workload there can cost the Swarm its quorum. Add the placement constraint node.role != manager.`,
        fixes: change ? [{ title: 'Add placement constraint node.role != manager', changes: [change], preferred: true }] : [],
      });
    }
  },
};

/**
 * Data stores: containers whose state two replicas would corrupt or split. Matched on the image's
 * repository path (any segment), so `bitnami/postgresql`, `eclipse-mosquitto` and
 * `mcr.microsoft.com/mssql/server` are recognised as well as the official short names.
 */
const STATEFUL_IMAGE_WORDS =
  /(postgres|postgis|timescale|mysql|mariadb|percona|mongo|redis|valkey|keydb|elasticsearch|opensearch|rabbitmq|kafka|zookeeper|etcd|consul|vault|minio|influxdb|cassandra|scylla|couchdb|couchbase|neo4j|clickhouse|cockroach|nats|memcached|mssql|oracle|db2|solr|questdb|emqx|vernemq|mosquitto|patroni|galera|redpanda|dragonfly|surrealdb|arangodb|rethinkdb|hbase|pulsar|qdrant|weaviate|milvus)/i;

function isStatefulImage(image: string): boolean {
  const repo = image.replace(/[@].*$/, '').replace(/:[^/]*$/, '');
  return STATEFUL_IMAGE_WORDS.test(repo);
}

export function isStateful(s: Service): { stateful: boolean; why?: string } {
  const image = scalarText(serviceValue(s, 'image')?.value);
  if (image && isStatefulImage(image)) return { stateful: true, why: `the image ${image} is a data store` };
  const named = mountsOf(s).mounts.find((m) => m.type === 'volume');
  if (named) return { stateful: true, why: `it mounts the named volume "${named.source}"` };
  return { stateful: false };
}

export const singleReplica: Rule<ComposeContext> = {
  meta: {
    id: 'compose/single-replica',
    description: 'Replicated services run at least `prodready.minReplicas` replicas (default 2).',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: true,
    // On one compose host, replicas add no node redundancy and collide on published ports; the
    // advice is about Swarm stacks.
    variant: 'swarm-stack',
  },
  check(ctx, report) {
    const min = ctx.settings.minReplicas;
    for (const s of ctx.services) {
      if (isGlobal(s)) continue;
      const entry = serviceValue(s, 'deploy', 'replicas');
      const text = scalarText(entry?.value);
      if (text !== undefined && (text.includes('$') || !/^\d+$/.test(text))) continue;
      const replicas = text === undefined ? 1 : Number(text);
      if (replicas >= min) continue;
      if (replicas === 0) continue; // deliberately scaled to zero: a parked service, not a single point of failure
      const stateful = isStateful(s);
      const span = entry?.value ? spanOf(entry.value) : spanOf(s.keyNode);
      const said = text === undefined ? 'runs a single replica (deploy.replicas is not set)' : `runs ${replicas} replica`;
      if (stateful.stateful) {
        report({
          span,
          message: `Service "${s.name}" ${said} and is a single point of failure, but ${stateful.why}: do not just raise replicas (two copies on one volume corrupt data). Use the data store's own clustering or replication, with one service per member.`,
        });
        continue;
      }
      report({
        span,
        message: `Service "${s.name}" ${said}: one node failure or one crash takes it down, and every update is an outage. Run at least ${min} replicas.`,
        fixes: replicaFix(s, min, entry?.value, entry?.inherited ?? false),
      });
    }
  },
};

function replicaFix(s: Service, min: number, current: Node | undefined, inherited: boolean): Fix[] {
  const { edit } = s.document;
  const title = `Set replicas to ${min}`;
  if (current) {
    // A value merged in from an anchor is shared by other services; changing it there is not this fix's call.
    if (inherited || !isScalar(current)) return [];
    return [{ title, preferred: true, changes: [{ start: current.range![0], end: current.range![1], newText: String(min) }] }];
  }
  const change = edit.ensurePath(s.map, ['deploy', 'replicas'], String(min));
  return change ? [{ title, preferred: true, changes: [change] }] : [];
}

export const restartPolicy: Rule<ComposeContext> = {
  meta: {
    id: 'compose/restart-policy',
    description: 'Swarm restarts failed tasks (`restart_policy.condition` is not `none`); `restart:` is not relied on.',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: true,
    variant: 'swarm-stack',
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const condition = serviceValue(s, 'deploy', 'restart_policy', 'condition');
      if (scalarText(condition?.value) === 'none' && isScalar(condition?.value)) {
        const v = condition!.value!;
        report({
          span: spanOf(v),
          message: `Service "${s.name}" is never restarted when its task fails or its node goes down: it stays down until someone notices. Use condition: any (the default) or on-failure.`,
          fixes: condition!.inherited ? [] : [{ title: 'Set restart condition to any', preferred: true, changes: [{ start: v.range![0], end: v.range![1], newText: 'any' }] }],
        });
      }
      const restart = s.document.view.get(s.map, 'restart');
      if (restart) {
        report({
          span: keySpan(restart),
          severity: 'information',
          message: `"restart:" is ignored by docker stack deploy; Swarm uses deploy.restart_policy (which restarts on any exit by default).`,
        });
      }
    }
  },
};

/** Keys `docker stack deploy` ignores, and what to use instead. */
const IGNORED_BY_SWARM: Record<string, string> = {
  build: 'build and push the image in CI; the stack only pulls the image',
  cgroup_parent: 'not supported by Swarm services',
  container_name: 'Swarm names tasks itself; use the service name for DNS',
  depends_on: 'Swarm starts services in any order; make services retry their dependencies (and use healthchecks)',
  devices: 'not supported by Swarm services',
  external_links: 'use a shared overlay network',
  links: 'services on a shared network reach each other by name',
  network_mode: 'attach the service to overlay networks instead',
  security_opt: 'not supported by Swarm services',
  userns_mode: 'not supported by Swarm services',
  privileged: 'not supported by Swarm services',
};

export const ignoredBySwarm: Rule<ComposeContext> = {
  meta: {
    id: 'compose/ignored-by-swarm',
    description: 'Keys that `docker stack deploy` ignores are pointed out, so nobody relies on them.',
    defaultSeverity: 'information',
    category: 'operability',
    fixable: false,
    variant: 'swarm-stack',
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      for (const e of s.document.view.entries(s.map)) {
        const instead = IGNORED_BY_SWARM[e.key];
        if (!instead || e.inherited) continue;
        report({ span: keySpan(e), message: `"${e.key}" is ignored by docker stack deploy: ${instead}.` });
      }
    }
  },
};

export const noHealthcheck: Rule<ComposeContext> = {
  meta: {
    id: 'compose/no-healthcheck',
    description: 'Services define a healthcheck, so the orchestrator routes only to healthy tasks.',
    defaultSeverity: 'information',
    category: 'availability',
    fixable: false,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const hc = serviceValue(s, 'healthcheck');
      const hcMap = s.document.view.map(hc?.value);
      const empty = hc !== undefined && (!hcMap || hcMap.items.length === 0);
      const disabled = !!hcMap && (isTrue(s.document.view.get(hcMap, 'disable')?.value) || /^\[?\s*"?NONE"?\s*\]?$/.test(flatTest(s, hcMap)));
      if (hc && !disabled && !empty) continue;
      report({
        span: hc ? keySpan(hc) : spanOf(s.keyNode),
        message: disabled
          ? `Service "${s.name}" disables its healthcheck: a hung task keeps receiving traffic and updates cannot tell a bad version from a good one.`
          : `Service "${s.name}" has no healthcheck here. Unless its image defines one, a hung task keeps receiving traffic and rolling updates cannot detect a bad version.`,
      });
    }
  },
};

function flatTest(s: Service, hc: import('yaml').YAMLMap): string {
  const test = s.document.view.get(hc, 'test')?.value;
  if (!test) return '';
  if (isScalar(test)) return String(test.value);
  const seq = s.document.view.seq(test);
  return seq ? seq.items.map((i) => scalarText(i) ?? '').join(',') : '';
}

export const noResourceLimits: Rule<ComposeContext> = {
  meta: {
    id: 'compose/no-resource-limits',
    description: 'Services set a memory limit under `deploy.resources.limits`.',
    defaultSeverity: 'information',
    category: 'operability',
    fixable: false,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const limits = s.document.view.map(serviceValue(s, 'deploy', 'resources', 'limits')?.value);
      if (limits && s.document.view.get(limits, 'memory')) continue;
      report({
        span: spanOf(s.keyNode),
        message: `Service "${s.name}" has no memory limit (deploy.resources.limits.memory): one leaking task can starve everything else on its node, managers included.`,
      });
    }
  },
};

export const noUpdateConfig: Rule<ComposeContext> = {
  meta: {
    id: 'compose/no-update-config',
    description: 'Rolling updates roll back automatically on failure (`update_config.failure_action: rollback`).',
    defaultSeverity: 'information',
    category: 'availability',
    fixable: false,
    variant: 'swarm-stack',
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const action = scalarText(serviceValue(s, 'deploy', 'update_config', 'failure_action')?.value);
      if (action === 'rollback') continue;
      const uc = serviceValue(s, 'deploy', 'update_config');
      report({
        span: uc && isMap(uc.value) ? keySpan(uc) : spanOf(s.keyNode),
        message: `Service "${s.name}" does not roll back a failed update (update_config.failure_action: rollback); a bad image pauses half-deployed instead.`,
      });
    }
  },
};
