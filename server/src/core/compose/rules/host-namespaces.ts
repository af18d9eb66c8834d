import { Rule } from '../../types';
import { Node } from 'yaml';
import { isTrue, scalarText, spanOf } from '../../yaml/nav';
import { ComposeContext, Service, serviceValue } from '../model';

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
      const hostNetwork = hostNetworkAttachment(s);
      if (hostNetwork) {
        report({
          span: spanOf(hostNetwork),
          message: `Service "${s.name}" joins the predefined "host" network, so it shares ${HOST_NAMESPACES[0].what}. A compromise of this container reaches the node; use an overlay network unless it is a node agent that needs this.`,
        });
      }
    }
  },
};

/**
 * Swarm's form of `network_mode: host`: the service joins a network that is the predefined `host`
 * network (`networks: [outside]` with `outside: {external: true, name: host}`). The item or key that
 * names it, if any.
 */
function hostNetworkAttachment(s: Service): Node | undefined {
  const { view, root } = s.document;
  const declared = view.map(view.get(root, 'networks')?.value);
  const isHost = (name: string) => {
    const decl = view.map(view.get(declared, name)?.value);
    if (!decl) return false;
    return isTrue(view.get(decl, 'external')?.value) && (scalarText(view.get(decl, 'name')?.value) ?? name) === 'host';
  };
  const attached = serviceValue(s, 'networks')?.value;
  const seq = view.seq(attached);
  if (seq) return view.items(seq).find((item) => { const n = scalarText(item); return n !== undefined && isHost(n); });
  return view.entries(view.map(attached)).find((e) => isHost(e.key))?.keyNode;
}
