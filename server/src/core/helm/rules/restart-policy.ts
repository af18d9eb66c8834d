import { Rule } from '../../types';
import { scalarText, spanOf } from '../../yaml/nav';
import { Component, componentEntry, describeComponent } from '../components';
import { HelmContext } from '../model';
import { replaceScalarFix } from '../values';

/** Sections that run to completion (jobs, hooks, backups, tests), where Never / OnFailure is right. */
const RUNS_TO_COMPLETION = /job|cron|backup|hook|migrat|test|snapshot|cleanup|init|upgrade|bootstrap|setup|provision|disasterRecovery|restore/i;

/** What only a long-running workload has: a pod count, a rollout strategy, probes, a service. */
const LONG_RUNNING_KEYS = ['replicaCount', 'replicas', 'autoscaling', 'hpa', 'strategy', 'updateStrategy', 'deploymentStrategy', 'livenessProbe', 'readinessProbe', 'service'];

export const restartPolicy: Rule<HelmContext> = {
  meta: {
    id: 'helm/restart-policy',
    description: 'Long-running components keep `restartPolicy: Always`, not `Never` or `OnFailure`.',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: true,
  },
  check(ctx, report) {
    for (const c of ctx.model.components) {
      if (!c.workload || !c.at.active || !longRunning(c)) continue;
      const policy = componentEntry(c, 'restartPolicy');
      const text = scalarText(policy?.value)?.trim();
      if (!policy?.value || (text !== 'Never' && text !== 'OnFailure')) continue;
      report({
        span: spanOf(policy.value),
        message: `${describeComponent(c)} is a long-running service with restartPolicy: ${text}: ${text === 'Never' ? 'a container that exits is never restarted' : 'a container that exits cleanly is not restarted'}, and a Deployment or StatefulSet rejects anything but Always outright, so the release fails to install or the service stays down after its first exit. Use restartPolicy: Always.`,
        fixes: replaceScalarFix(policy, 'Always', 'Set restartPolicy to Always'),
      });
    }
  },
};

function longRunning(c: Component): boolean {
  if (c.at.path.some((p) => RUNS_TO_COMPLETION.test(p))) return false;
  const kind = scalarText(componentEntry(c, 'kind')?.value);
  if (kind === 'Job' || kind === 'CronJob') return false;
  return LONG_RUNNING_KEYS.some((key) => componentEntry(c, key) !== undefined);
}
