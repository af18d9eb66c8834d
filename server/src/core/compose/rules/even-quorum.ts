import { Rule } from '../../types';
import { spanOf } from '../../yaml/nav';
import { ComposeContext, Service, serviceValue } from '../model';
import { statedReplicas } from '../placement';
import { quorumSystemOf } from '../stores';
import { commandText, environmentOf } from '../environment';

export const evenQuorum: Rule<ComposeContext> = {
  meta: {
    id: 'compose/even-quorum',
    description: 'Quorum systems (etcd, ZooKeeper, Consul servers) run an odd number of members.',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: false,
  },
  check(ctx, report) {
    // Members of one ensemble are either one service's replicas or one service per member (zoo1,
    // zoo2, zoo3, listing each other in ZOO_SERVERS / --initial-cluster): count every replica of them.
    const groups = new Map<string, Service[]>();
    for (const s of ctx.services) {
      const system = quorumSystemOf(s);
      if (system) groups.set(system, [...(groups.get(system) ?? []), s]);
    }
    for (const [system, all] of groups) {
      const members = all.length === 1 ? all : ensemble(all);
      if (members.length === 0) continue;
      const counts = members.map(statedReplicas);
      if (counts.some((c) => c === undefined)) continue; // global or a variable: the count is not in the file
      const total = counts.reduce((a, b) => a! + b!, 0)!;
      if (total < 2 || total % 2 !== 0) continue;
      const first = members.find((_, i) => counts[i]! > 0)!;
      const where = members.length === 1 ? `service "${first.name}" runs ${total} replicas` : `${members.length} services (${members.map((m) => m.name).join(', ')}) run ${total} members`;
      report({
        span: spanOf(serviceValue(first, 'deploy', 'replicas')?.value ?? first.keyNode),
        message: `${system} needs a majority to elect a leader, and ${where}: an even count tolerates no more failures than ${total - 1} members (${total / 2 - 1 === 0 ? 'none at all' : `still only ${total / 2 - 1}`}) and can split into two halves with no majority. Run ${total - 1} or ${total + 1}.`,
      });
    }
  },
};

/** The services that name another one of them in their environment or command: one ensemble, not separate standalone servers. */
function ensemble(services: Service[]): Service[] {
  const texts = services.map((s) => [commandText(s), ...environmentOf(s).map((v) => v.value)].join(' '));
  const names = services.map((s) => new RegExp(`(^|[^\\w.-])${s.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\w-]|$)`));
  return services.filter((_, i) => texts.some((t, j) => j !== i && (names[i].test(t) || names[j].test(texts[i]))));
}
