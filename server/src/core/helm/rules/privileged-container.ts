import { isScalar } from 'yaml';
import { Rule } from '../../types';
import { isTrue, scalarText, spanOf } from '../../yaml/nav';
import { entryIn } from '../components';
import { HelmContext } from '../model';
import { inNodeAgent, securityContexts } from '../podSecurity';
import { flipSwitchFix } from '../values';

/** Capabilities that amount to root on the node, or to control over its network. */
const DANGEROUS_CAPABILITIES: Record<string, string> = {
  ALL: 'every capability, which is root on the node in all but name',
  SYS_ADMIN: 'mounts, namespaces and most of the kernel administration a privileged container has',
  NET_ADMIN: "control over the pod's network stack (routes, firewall rules, interfaces) and, with host networking, the node's",
};

export const privilegedContainer: Rule<HelmContext> = {
  meta: {
    id: 'helm/privileged-container',
    description: 'Containers run unprivileged: no `privileged: true`, no `allowPrivilegeEscalation: true`, no `ALL`/`SYS_ADMIN`/`NET_ADMIN` capabilities.',
    defaultSeverity: 'warning',
    category: 'secrets',
    fixable: true,
  },
  check(ctx, report) {
    for (const m of securityContexts(ctx.model)) {
      if (inNodeAgent(m, ctx.chart.name)) continue;
      const where = `"${m.path.join('.')}"`;
      const privileged = entryIn(m, 'privileged');
      if (privileged?.value && isTrue(privileged.value)) {
        report({
          span: spanOf(privileged.value),
          message: `${where} runs the container privileged: it sees every device of the node and can load kernel modules or mount the host's disks, so whoever breaks into it owns the node and every pod on it. Set privileged: false and grant only the capability the process needs.`,
          fixes: flipSwitchFix(privileged, 'Set privileged: false', false),
        });
      }
      const escalation = entryIn(m, 'allowPrivilegeEscalation');
      if (escalation?.value && isTrue(escalation.value)) {
        report({
          span: spanOf(escalation.value),
          message: `${where} allows privilege escalation: a setuid binary or a kernel bug in the image can make the process gain more privileges than it started with. Set allowPrivilegeEscalation: false.`,
          fixes: flipSwitchFix(escalation, 'Set allowPrivilegeEscalation: false', false),
        });
      }
      const view = m.document.view;
      const add = view.seq(view.get(view.map(entryIn(m, 'capabilities')?.value), 'add')?.value);
      for (const item of view.items(add)) {
        if (!isScalar(item)) continue;
        const name = scalarText(item)?.trim().toUpperCase().replace(/^CAP_/, '');
        if (!name || !DANGEROUS_CAPABILITIES[name]) continue;
        report({
          span: spanOf(item),
          message: `${where} adds the capability ${name}: ${DANGEROUS_CAPABILITIES[name]}. A compromised container keeps it. Drop it and add only the narrow capability the process needs (NET_BIND_SERVICE to bind a low port, for example).`,
        });
      }
    }
  },
};
