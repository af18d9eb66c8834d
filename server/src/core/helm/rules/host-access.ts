import { isMap } from 'yaml';
import { Rule } from '../../types';
import { isTrue, scalarText, spanOf } from '../../yaml/nav';
import { entriesWithKey, ValuesMap } from '../components';
import { HelmContext } from '../model';
import { inNodeAgent, inPolicy } from '../podSecurity';
import { flipSwitchFix, intValue, isTemplate } from '../values';

const NAMESPACES: Record<string, string> = {
  hostNetwork: "the node's network: the pod can bind any port of the node, reach services listening only on the node's loopback, and bypasses NetworkPolicies",
  hostPID: "the node's process table: the pod sees every process on the node, their command lines and environments, and can signal them",
  hostIPC: "the node's shared memory and IPC: the pod can read and corrupt what other processes share there",
};

/** Sockets that hand over the node's container runtime (start a privileged container, read every container). */
const RUNTIME_SOCKET = /^\/(var\/)?run\/(docker|containerd\/containerd|crio\/crio|cri-dockerd|podman\/podman)\.sock\/?$/;

export const hostAccess: Rule<HelmContext> = {
  meta: {
    id: 'helm/host-access',
    description: "Pods stay out of the node: no `hostNetwork`, `hostPID`, `hostIPC`, `hostPath` volumes, `hostPort` or the container runtime's socket.",
    defaultSeverity: 'warning',
    category: 'secrets',
    fixable: true,
  },
  check(ctx, report) {
    const agent = (m: ValuesMap) => inPolicy(m) || inNodeAgent(m, ctx.chart.name);
    for (const [key, what] of Object.entries(NAMESPACES)) {
      for (const { at: m, entry } of entriesWithKey(ctx.model, key)) {
        if (!m.active || !entry.value || !isTrue(entry.value) || agent(m)) continue;
        report({
          span: spanOf(entry.value),
          message: `"${m.path.join('.') || '(top level)'}" shares ${what}. Whoever breaks into the container is a step from the node itself. Set ${key}: false unless this is a node agent that needs it.`,
          fixes: flipSwitchFix(entry, `Set ${key}: false`, false),
        });
      }
    }
    // `hostPath: {path: /var/log}` in a volume; `hostPath: /data` where a chart takes the path alone.
    for (const { at: m, entry } of entriesWithKey(ctx.model, 'hostPath')) {
      if (!m.active || !entry.value || agent(m)) continue;
      const view = m.document.view;
      const pathNode = isMap(entry.value) ? view.get(view.map(entry.value), 'path')?.value : entry.value;
      const path = scalarText(pathNode)?.trim();
      if (!pathNode || !path || !path.startsWith('/') || isTemplate(path)) continue;
      const socket = RUNTIME_SOCKET.test(path);
      report({
        span: spanOf(pathNode),
        message: socket
          ? `"${m.path.join('.')}" mounts the container runtime's socket ${path} from the node: the runtime API has no permission model, so anyone who reaches this container can start a privileged container that mounts the node's disk, i.e. become root on the node. Use the Kubernetes API with a narrow service account instead.`
          : `"${m.path.join('.')}" mounts ${path} from the node (hostPath): the pod reads and writes the node's own files, is tied to whatever that node holds (its data does not follow it to another node), and a compromised container can tamper with the host. Use a PersistentVolumeClaim, a ConfigMap or a Secret.`,
      });
    }
    // `hostPort: 8080` on a container port, or a chart switch `hostPort: {enabled: true}`.
    for (const { at: m, entry } of entriesWithKey(ctx.model, 'hostPort')) {
      if (!m.active || !entry.value || agent(m)) continue;
      const port = intValue(entry.value);
      const switched = isMap(entry.value) ? m.document.view.get(entry.value, 'enabled') : undefined;
      if (port !== undefined && port > 0) {
        report({
          span: spanOf(entry.value),
          message: `"${m.path.join('.') || '(top level)'}" binds port ${port} on the node itself (hostPort): only one such pod fits per node, so replicas and rolling updates stall on scheduling, and the port bypasses the Service and its NetworkPolicies. Expose it through a Service instead.`,
        });
      } else if (switched?.value && isTrue(switched.value)) {
        report({
          span: spanOf(switched.value),
          message: `"${m.path.join('.')}.hostPort" is enabled: the pods bind their ports on the node itself, so only one fits per node, and traffic bypasses the Service and its NetworkPolicies. Expose them through a Service (a LoadBalancer) instead.`,
          fixes: flipSwitchFix(switched, 'Disable hostPort', false),
        });
      }
    }
  },
};
