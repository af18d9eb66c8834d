import { Rule } from '../../types';
import { scalarText, spanOf } from '../../yaml/nav';
import { ComposeContext, serviceValue } from '../model';

/** What each shared host namespace hands the container. */
const HOST_NAMESPACES: { key: string; what: string }[] = [
  { key: 'network_mode', what: "the host's network stack: it listens on the host's interfaces with no port mapping or network isolation, and reaches every service bound to localhost" },
  { key: 'pid', what: "the host's process table: it sees, and with enough privilege signals or traces, every process on the node" },
  { key: 'ipc', what: "the host's shared memory and semaphores, which other processes on the node trust to be private" },
  { key: 'userns_mode', what: 'the host\'s user namespace (user-namespace remapping switched off): root in the container is root on the node' },
];

export const hostNamespaces: Rule<ComposeContext> = {
  meta: {
    id: 'compose/host-namespaces',
    description: "Services do not share the host's network, process, IPC or user namespace (`network_mode`, `pid`, `ipc`, `userns_mode: host`).",
    defaultSeverity: 'warning',
    category: 'secrets',
    fixable: false,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      for (const { key, what } of HOST_NAMESPACES) {
        const entry = serviceValue(s, key);
        if (scalarText(entry?.value)?.trim() !== 'host') continue;
        report({
          span: spanOf(entry!.value),
          message: `Service "${s.name}" has ${key}: host, so it shares ${what}. A compromise of this container reaches the node; keep the container's own namespace unless it is a node agent that needs this.`,
        });
      }
    }
  },
};
