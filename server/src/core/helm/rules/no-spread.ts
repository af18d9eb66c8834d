import { isScalar, Node } from 'yaml';
import { Rule } from '../../types';
import { keySpan, scalarText, spanOf } from '../../yaml/nav';
import { componentEntry, describeComponent, ValuesMap } from '../components';
import { HelmContext } from '../model';
import { minimumPods } from '../replication';
import { isMeaningful } from '../values';

export const noSpread: Rule<HelmContext> = {
  meta: {
    id: 'helm/no-spread',
    description: 'Replicated components spread their pods over nodes or zones (anti-affinity or topology spread constraints).',
    defaultSeverity: 'information',
    category: 'availability',
    fixable: false,
  },
  check(ctx, report) {
    // `global.affinity` / `global.topologySpreadConstraints` apply to every component (Argo CD does this).
    if (ctx.model.globals.some((g) => spreads(g))) return;
    for (const c of ctx.model.components) {
      if (!c.workload || !c.at.active) continue;
      const pods = minimumPods(c);
      if (pods === undefined || pods < 2) continue;
      if (spreads(c.at)) {
        const hostOnly = hostnameOnly(c.at);
        if (hostOnly) {
          report({
            span: spanOf(hostOnly),
            dedupeKey: 'zones',
            message: `${describeComponent(c)} spreads its ${pods} pods over nodes (kubernetes.io/hostname) but not over zones: if the cluster spans zones, they may still all land in one, and that zone's outage takes them all down. Add a soft topologySpreadConstraint on topology.kubernetes.io/zone.`,
          });
        }
        continue;
      }
      const anchor = componentEntry(c, 'affinity') ?? componentEntry(c, 'topologySpreadConstraints');
      // Without either key the chart decides placement itself (many charts ship a default anti-affinity).
      if (!anchor) continue;
      report({
        span: anchor.inherited ? spanOf(anchor.keyNode) : keySpan(anchor),
        message: `${describeComponent(c)} runs ${pods} pods with no pod anti-affinity and no topology spread constraints: the scheduler may put them all on one node or in one zone, which then takes them all down together. Add a soft pod anti-affinity or topologySpreadConstraints on kubernetes.io/hostname (and the zone label).`,
      });
    }
  },
};

/** Whether a section asks for its pods to be spread (any anti-affinity, a spread constraint, a preset). */
function spreads(m: ValuesMap): boolean {
  const view = m.document.view;
  for (const e of m.entries) {
    if (e.key === 'topologySpreadConstraints' && isMeaningful(e.value)) return true;
    if (/antiaffinity/i.test(e.key) && isMeaningful(e.value)) return true;
    if (e.key === 'affinity') {
      if (isScalar(e.value)) {
        if (isMeaningful(e.value)) return true; // a YAML string or template the chart renders
        continue;
      }
      const map = view.map(e.value);
      if (map && view.entries(map).some((x) => /antiaffinity/i.test(x.key) && isMeaningful(x.value))) return true;
    }
  }
  return false;
}

const HOSTNAME = 'kubernetes.io/hostname';

/**
 * Every topology key the section writes is the node's hostname (no zone, region or rack key): the
 * first such key, for the note. Presets and templates name no key, so they say nothing here.
 */
function hostnameOnly(m: ValuesMap): Node | undefined {
  const view = m.document.view;
  const keys: Node[] = [];
  const collect = (node: unknown, depth: number) => {
    if (depth > 8) return;
    const map = view.map(node);
    if (map) {
      for (const e of view.entries(map)) {
        if (e.key === 'topologyKey' && isScalar(e.value)) keys.push(e.value);
        else collect(e.value, depth + 1);
      }
      return;
    }
    for (const item of view.items(view.seq(node))) collect(item, depth + 1);
  };
  for (const e of m.entries) if (e.key === 'topologySpreadConstraints' || e.key === 'affinity' || /antiaffinity/i.test(e.key)) collect(e.value, 0);
  return keys.length > 0 && keys.every((k) => scalarText(k)?.trim() === HOSTNAME) ? keys[0] : undefined;
}
