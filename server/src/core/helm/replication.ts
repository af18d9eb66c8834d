// How many pods a component runs: its replica count, its autoscaler's lower bound, and whether a
// replica count applies to it at all.

import { Entry, isFalse, isTrue, scalarText } from '../yaml/nav';
import { Component, componentEntry } from './components';
import { intValue } from './values';

/** The replica count a component asks for: `replicaCount:` or `replicas:` written as a number. */
export function replicasOf(c: Component): { entry: Entry; count: number } | undefined {
  if (replicasUnused(c)) return undefined;
  for (const key of ['replicaCount', 'replicas']) {
    const entry = componentEntry(c, key);
    const count = intValue(entry?.value);
    if (entry && count !== undefined) return { entry, count };
  }
  return undefined;
}

/**
 * The replica count does not apply: the component runs as a DaemonSet (`kind: DaemonSet`,
 * `daemonset.enabled: true`) or its Deployment is switched off (filebeat's `deployment.enabled: false`).
 */
export function replicasUnused(c: Component): boolean {
  const view = c.at.document.view;
  if (scalarText(componentEntry(c, 'kind')?.value) === 'DaemonSet') return true;
  const switched = (key: string) => {
    const map = view.map(componentEntry(c, key)?.value);
    const enabled = map ? view.get(map, 'enabled')?.value : undefined;
    return enabled === undefined ? undefined : isTrue(enabled) ? true : isFalse(enabled) ? false : undefined;
  };
  if (switched('daemonset') === true || switched('daemonSet') === true) return true;
  return switched('deployment') === false && switched('statefulset') !== true && switched('statefulSet') !== true;
}

/** `autoscaling: {enabled: true, minReplicas: n}` (or `hpa:`), when switched on. */
export function autoscalingOf(c: Component): { entry: Entry; minReplicas?: Entry; min?: number } | undefined {
  const view = c.at.document.view;
  if (replicasUnused(c)) return undefined;
  for (const key of ['autoscaling', 'hpa']) {
    const entry = componentEntry(c, key);
    const map = view.map(entry?.value);
    if (!entry || !map || !isTrue(view.get(map, 'enabled')?.value)) continue;
    const minReplicas = view.get(map, 'minReplicas');
    return { entry, minReplicas, min: intValue(minReplicas?.value) };
  }
  return undefined;
}

/** How many pods a component runs at least, when the values say so. */
export function minimumPods(c: Component): number | undefined {
  const hpa = autoscalingOf(c);
  if (hpa) return hpa.min;
  return replicasOf(c)?.count;
}
