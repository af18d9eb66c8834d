// What the security rules share: which sections are security contexts a pod or container runs with
// (not a PodSecurityPolicy that only *allows* a setting), and which components are node agents (log
// shippers, node exporters, CNI and CSI plugins) or permission-fixing init containers, whose charts need
// root, the host's namespaces and control-plane nodes by design.

import { isMap } from 'yaml';
import { isTrue, scalarText } from '../yaml/nav';
import { entryIn, imageOfMap, imageProduct, sectionsWithKey, ValuesMap, ValuesModel } from './components';

/** `securityContext`, `containerSecurityContext`, `podSecurityContext`, `initContainerSecurityContext`… */
const SECURITY_CONTEXT_KEY = /^([a-z][A-Za-z]*S|s)ecurityContext$/;

/**
 * Policies and constraints describe what pods *may* do (a PodSecurityPolicy allowing privileged pods for
 * the chart's own agent, OpenShift's SecurityContextConstraints); they grant nothing themselves.
 */
const POLICY_SECTION = /podsecuritypolic|^psps?$|securitycontextconstraint|^sccs?$|policy/i;

/** Products that run on every node to watch or serve the node itself. */
const NODE_AGENT =
  /node-?exporter|promtail|filebeat|metricbeat|auditbeat|packetbeat|fluent-?bit|fluentd|datadog|falco|cilium|calico|flannel|kube-proxy|(^|[-_])csi([-_]|$)|csi-?(driver|node|plugin)|node-problem-detector|kured|nvidia-(device|driver|gpu|dcgm)|device-?plugin|grafana-agent|^alloy$|vector-agent|otel-agent|newrelic-infra|sysdig|twistlock|tetragon|spiderpool|multus|metallb-speaker|^speaker$|kube-router|weave-?net|^canal$/i;

/** Init containers that chown a volume or tune kernel settings, then exit: they need root for that one step. */
const ROOT_HELPER = /permission|chown|sysctl/i;

/** Security-context sections that apply: switched on, not inside a policy object. */
export function securityContexts(model: ValuesModel): ValuesMap[] {
  return sectionsWithKey(model, SECURITY_CONTEXT_KEY).filter((m) => m.active && !inPolicy(m));
}

/** The section lies inside a policy object (a PodSecurityPolicy's `hostNetwork: true` allows, it does not ask). */
export function inPolicy(m: ValuesMap): boolean {
  return m.path.some((p) => POLICY_SECTION.test(p));
}

/**
 * The section belongs to a node agent: a component run as a DaemonSet (`kind: DaemonSet`,
 * `daemonset.enabled: true`, a `daemonset:` section) or one whose key, image or chart names a known agent.
 * Read from the section up to its nearest workload, so an application component nested in an agent's
 * values file is judged by itself.
 */
export function inNodeAgent(m: ValuesMap, chartName: string | undefined): boolean {
  if (chartName && NODE_AGENT.test(chartName)) return true;
  for (let p: ValuesMap | undefined = m; p; p = p.parent) {
    if (p.key && (/daemon-?set/i.test(p.key) || NODE_AGENT.test(p.key))) return true;
    if (scalarText(entryIn(p, 'kind')?.value) === 'DaemonSet') return true;
    const view = p.document.view;
    for (const key of ['daemonset', 'daemonSet']) {
      const section = entryIn(p, key)?.value;
      if (isMap(section) && isTrue(view.get(view.map(section), 'enabled')?.value)) return true;
    }
    const image = imageOfMap(view, p.map);
    if (image && NODE_AGENT.test(imageProduct(image))) return true;
    // The nearest workload decides: a `daemonset:` switch at the top level makes the top-level workload
    // an agent, not a separate component nested below it.
    if (p.component?.at === p && p.component.workload) return false;
  }
  return false;
}

/** The section belongs to an init container that fixes volume permissions or sysctls (`volumePermissions:`, `initChownData:`). */
export function inRootHelper(m: ValuesMap): boolean {
  return m.path.some((p) => ROOT_HELPER.test(p));
}

