import { isMap, isScalar, Node } from 'yaml';
import { Rule } from '../../types';
import { scalarText, spanOf } from '../../yaml/nav';
import { entriesWithKey, ValuesMap } from '../components';
import { HelmContext } from '../model';
import { inNodeAgent, inPolicy } from '../podSecurity';

/** The labels and taints kubeadm and most distributions put on control-plane nodes. */
const CONTROL_PLANE = /^node-role\.kubernetes\.io\/(control-plane|master)$/;

export const controlPlaneScheduling: Rule<HelmContext> = {
  meta: {
    id: 'helm/control-plane-scheduling',
    description: 'Application pods stay off control-plane nodes: no toleration of their taint, no nodeSelector or node affinity for them.',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: false,
  },
  check(ctx, report) {
    const skip = (m: ValuesMap) => !m.active || inPolicy(m) || inNodeAgent(m, ctx.chart.name);
    const subject = (m: ValuesMap) => `"${m.path.join('.') || '(top level)'}"`;
    const why =
      'the control plane (API server, etcd, scheduler) then shares its CPU, memory and disk with the application, so a busy or leaking pod can slow or stop the whole cluster, and a compromised one sits next to etcd';

    for (const { at: m, entry } of entriesWithKey(ctx.model, 'tolerations')) {
      if (skip(m) || !entry.value) continue;
      const view = m.document.view;
      for (const item of view.items(view.seq(entry.value))) {
        const toleration = view.map(item);
        if (!toleration) continue;
        const keyEntry = view.get(toleration, 'key');
        const key = scalarText(keyEntry?.value)?.trim();
        const operator = scalarText(view.get(toleration, 'operator')?.value)?.trim();
        if (key && CONTROL_PLANE.test(key) && keyEntry?.value) {
          report({ span: spanOf(keyEntry.value), message: `${subject(m)} tolerates the ${key} taint: its pods may be scheduled onto control-plane nodes, and ${why}. Remove the toleration; only node agents that must run on every node need it.` });
        } else if (!key && operator === 'Exists' && ['', 'NoSchedule'].includes(scalarText(view.get(toleration, 'effect')?.value)?.trim() ?? '')) {
          // `- operator: Exists` with no key tolerates every taint (of that effect), the control plane's NoSchedule included.
          report({ span: spanOf(item as Node), message: `${subject(m)} tolerates every taint (operator: Exists with no key): its pods may be scheduled onto control-plane nodes (and nodes being drained or failing), and ${why}. Tolerate only the taints these pods need.` });
        }
      }
    }

    for (const { at: m, entry } of entriesWithKey(ctx.model, 'nodeSelector')) {
      if (skip(m) || !isMap(entry.value)) continue;
      for (const e of m.document.view.entries(m.document.view.map(entry.value))) {
        if (!CONTROL_PLANE.test(e.key)) continue;
        report({ span: spanOf(e.keyNode), message: `${subject(m)} selects control-plane nodes (nodeSelector ${e.key}): ${why}. Select worker nodes instead.` });
      }
    }

    // nodeAffinity match expressions that pick control-plane nodes (`In`/`Exists`, not `NotIn`/`DoesNotExist`).
    for (const { at: m, entry } of entriesWithKey(ctx.model, 'matchExpressions')) {
      if (skip(m) || !m.path.some((p) => p === 'nodeAffinity')) continue;
      const view = m.document.view;
      for (const item of view.items(view.seq(entry.value))) {
        const expression = view.map(item);
        const keyEntry = expression && view.get(expression, 'key');
        const key = scalarText(keyEntry?.value)?.trim();
        const operator = expression && scalarText(view.get(expression, 'operator')?.value)?.trim();
        if (!keyEntry?.value || !isScalar(keyEntry.value) || !key || !CONTROL_PLANE.test(key) || (operator !== 'In' && operator !== 'Exists')) continue;
        report({ span: spanOf(keyEntry.value), message: `${subject(m)} has a node affinity for control-plane nodes (${key} ${operator}): ${why}. Target worker nodes instead.` });
      }
    }
  },
};
