import { isScalar } from 'yaml';
import { Rule } from '../../types';
import { isTrue, scalarText, spanOf } from '../../yaml/nav';
import { ComposeContext, serviceValue } from '../model';

/** Capabilities that each amount to control of the host (or its whole network stack). */
const HOST_CAPABILITIES = new Set(['ALL', 'SYS_ADMIN', 'NET_ADMIN']);
/** `seccomp:unconfined`, `apparmor=unconfined`: the kernel filters that contain a container, switched off. */
const UNCONFINED = /^(seccomp|apparmor)[:=]unconfined$/i;

export const privileged: Rule<ComposeContext> = {
  meta: {
    id: 'compose/privileged',
    description: 'Services do not run privileged, add host-level capabilities (`ALL`, `SYS_ADMIN`, `NET_ADMIN`) or turn off seccomp/AppArmor.',
    defaultSeverity: 'warning',
    category: 'secrets',
    fixable: false,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const flag = serviceValue(s, 'privileged');
      if (flag && isTrue(flag.value)) {
        report({
          span: spanOf(flag.value),
          message: `Service "${s.name}" runs privileged: it gets every capability and every host device, so a compromise of it is a compromise of the node. Grant only the capabilities it needs with cap_add.`,
        });
      }
      for (const item of s.document.view.items(s.document.view.seq(serviceValue(s, 'cap_add')?.value))) {
        const cap = scalarText(item)?.toUpperCase().replace(/^CAP_/, '');
        if (!cap || !HOST_CAPABILITIES.has(cap)) continue;
        report({
          span: spanOf(item),
          message: `Service "${s.name}" adds the ${cap} capability, which ${cap === 'NET_ADMIN' ? 'lets it reconfigure the network of everything it shares a namespace with' : 'is as good as root on the node'}. Drop it, or add the narrow capability the service actually needs.`,
        });
      }
      for (const item of s.document.view.items(s.document.view.seq(serviceValue(s, 'security_opt')?.value))) {
        const opt = isScalar(item) ? scalarText(item) : undefined;
        if (!opt || !UNCONFINED.test(opt.replace(/\s+/g, ''))) continue;
        report({
          span: spanOf(item),
          message: `Service "${s.name}" turns off ${opt.split(/[:=]/)[0].toLowerCase()} (${opt}): the kernel no longer filters what it may do, so one exploited bug reaches the host. Use the default profile, or a custom profile that allows just what it needs.`,
        });
      }
    }
  },
};
