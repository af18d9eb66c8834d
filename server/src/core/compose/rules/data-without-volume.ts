import { Fix, Rule } from '../../types';
import { spanOf } from '../../yaml/nav';
import { ComposeContext, Service, serviceValue } from '../model';
import { covers, DataPath, dataPathOf } from '../stores';
import { mountsOf } from '../volumes';

export const dataWithoutVolume: Rule<ComposeContext> = {
  meta: {
    id: 'compose/data-without-volume',
    description: 'Data stores (PostgreSQL, MySQL, MongoDB, Elasticsearch…) mount a named volume or a host folder at their data path.',
    defaultSeverity: 'warning',
    category: 'data',
    fixable: true,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const data = dataPathOf(s);
      // volumes_from and extends bring mounts this file does not show.
      if (!data || serviceValue(s, 'volumes_from') || serviceValue(s, 'extends')) continue;
      const mounts = mountsOf(s).mounts.filter((m) => m.target && data.paths.some((p) => covers(m.target!, p)));
      // A mount at the path behind a variable, or a tmpfs written there on purpose, is the author's call.
      if (mounts.some((m) => m.type !== 'anonymous' || m.target!.includes('$') || m.source?.includes('$'))) continue;
      const anonymous = mounts[0];
      report({
        span: spanOf(anonymous?.node ?? serviceValue(s, 'image')?.value ?? s.keyNode),
        message: `Service "${s.name}" runs ${data.label} with ${anonymous ? 'an anonymous volume' : 'no volume'} at its data path ${data.paths[0]}: the data lives in a volume nobody names (or in the container), so "docker compose down", a recreated container or a rescheduled Swarm task starts with an empty database. Mount a named volume there.`,
        fixes: anonymous ? [] : volumeFix(ctx, s, data),
      });
    }
  },
};

/** Adds `- <service>-data:<path>` to the service and declares the volume at the top level. */
function volumeFix(ctx: ComposeContext, s: Service, data: DataPath): Fix[] {
  const { view, edit, root } = s.document;
  const name = `${s.name}-data`;
  const topLevel = view.get(root, 'volumes');
  const declared = view.map(topLevel?.value);
  if (declared && view.get(declared, name)) return [];
  const mount = edit.ensurePath(s.map, ['volumes'], [`${name}:${data.paths[0]}`]);
  const declare = edit.ensurePath(root, ['volumes', name], '');
  if (!mount || !declare || ctx.services.some((o) => o.name === name)) return [];
  return [{ title: `Mount a named volume "${name}" at ${data.paths[0]}`, preferred: true, changes: [mount, declare] }];
}
