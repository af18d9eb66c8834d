import { isScalar, Node } from 'yaml';
import { Fix, Report, Rule } from '../../types';
import { keySpan, scalarText, spanOf } from '../../yaml/nav';
import { ComposeContext, Service, serviceValue } from '../model';

/** What `docker compose` restarts a crashed service with when the file says nothing: nothing. */
const RESTART_FIX = 'unless-stopped';

/**
 * Services run to completion on purpose: another service waits for them with
 * `depends_on: {x: {condition: service_completed_successfully}}` (migrations, seeders, init jobs).
 */
function oneShotServices(ctx: ComposeContext): Set<string> {
  const names = new Set<string>();
  for (const s of ctx.services) {
    const view = s.document.view;
    for (const dep of view.entries(view.map(serviceValue(s, 'depends_on')?.value))) {
      if (scalarText(view.get(view.map(dep.value), 'condition')?.value) === 'service_completed_successfully') names.add(dep.key);
    }
  }
  return names;
}

export const restartPolicy: Rule<ComposeContext> = {
  meta: {
    id: 'compose/restart-policy',
    description: 'Failed services are restarted: a `restart:` policy other than `"no"` (compose) or a `restart_policy.condition` other than `none` (Swarm, which ignores `restart:`).',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: true,
  },
  check(ctx, report) {
    const oneShot = ctx.swarm ? new Set<string>() : oneShotServices(ctx);
    for (const s of ctx.services) {
      const condition = serviceValue(s, 'deploy', 'restart_policy', 'condition');
      if (scalarText(condition?.value) === 'none' && isScalar(condition?.value) && !oneShot.has(s.name)) {
        const v = condition!.value!;
        report({
          span: spanOf(v),
          message: `Service "${s.name}" is never restarted when its task fails or its node goes down: it stays down until someone notices. Use condition: any (the default) or on-failure.`,
          fixes: condition!.inherited ? [] : [{ title: 'Set restart condition to any', preferred: true, changes: [{ start: v.range![0], end: v.range![1], newText: 'any' }] }],
        });
      }
      const restart = s.document.view.get(s.map, 'restart');
      if (ctx.swarm) {
        if (restart) {
          report({
            span: keySpan(restart),
            severity: 'information',
            message: `"restart:" is ignored by docker stack deploy; Swarm uses deploy.restart_policy (which restarts on any exit by default).`,
          });
        }
        continue;
      }
      if (oneShot.has(s.name)) continue;
      checkComposeRestart(s, restart?.value, restart?.inherited ?? false, condition !== undefined, report);
    }
  },
};

function checkComposeRestart(s: Service, value: Node | undefined, inherited: boolean, hasRestartPolicy: boolean, report: (r: Report) => void): void {
  const text = scalarText(value)?.trim();
  if (text === 'no' || text === 'false') {
    report({
      span: spanOf(value),
      message: `Service "${s.name}" has restart: "no": after a crash, or after the host reboots, it stays down until someone starts it by hand. Use ${RESTART_FIX} (or on-failure for a service that may exit on purpose).`,
      fixes: inherited ? [] : [replaceRestart(value!, RESTART_FIX), replaceRestart(value!, 'on-failure', false)],
    });
    return;
  }
  // docker compose honours deploy.restart_policy when restart: is not set; extends: may bring one; a
  // service under a profile is started on demand (a CLI, a debug tool), not kept running.
  if (value !== undefined || hasRestartPolicy || serviceValue(s, 'extends') || serviceValue(s, 'profiles')) return;
  const change = s.document.edit.ensurePath(s.map, ['restart'], RESTART_FIX);
  report({
    span: spanOf(s.keyNode),
    severity: 'information',
    message: `Service "${s.name}" has no restart policy, and docker compose's default is "no": after a crash, or after the host reboots, it stays down. Set restart: ${RESTART_FIX} (or on-failure for a service that may exit on purpose).`,
    fixes: change ? [{ title: `Add restart: ${RESTART_FIX}`, preferred: true, changes: [change] }] : [],
  });
}

function replaceRestart(value: Node, policy: string, preferred = true): Fix {
  return { title: `Set restart to ${policy}`, preferred, changes: [{ start: value.range![0], end: value.range![1], newText: policy }] };
}
