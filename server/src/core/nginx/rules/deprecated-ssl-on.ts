import { Fix, Rule, TextChange } from '../../types';
import { childrenNamed, Node, NginxContext } from '../model';

export const deprecatedSslOn: Rule<NginxContext> = {
  meta: {
    id: 'nginx/deprecated-ssl-on',
    description: 'TLS is enabled with the `ssl` parameter of `listen`, not the removed `ssl on;` directive.',
    defaultSeverity: 'warning',
    category: 'correctness',
    fixable: true,
  },
  check(ctx, report) {
    for (const node of ctx.localNodes) {
      if (node.name !== 'ssl' || node.args.length !== 1 || node.args[0].toLowerCase() !== 'on') continue;
      const fix = node.scope.kind === 'server' ? moveToListen(ctx, node) : undefined;
      report({
        span: { start: node.directive.start, end: node.directive.end },
        message:
          `"ssl on" is the old way to enable TLS: deprecated since NGINX 1.15 and no longer accepted since 1.25.1, so an NGINX upgrade turns it into a startup failure. ` +
          `Put the ssl parameter on the listen directives instead.`,
        fixes: fix ? [fix] : [],
      });
    }
  },
};

/** Removes `ssl on;` and adds `ssl` to each of the server's listen directives that lacks it (what `ssl on` meant). */
function moveToListen(ctx: NginxContext, node: Node): Fix | undefined {
  const listens = childrenNamed(node.scope, 'listen');
  if (listens.length === 0 || listens.some((l) => !l.local || l.directive.args.length === 0)) return undefined;
  const remove = ctx.edit.removeDirective(node.directive);
  if (!remove) return undefined;
  const changes: TextChange[] = [remove];
  for (const l of listens) {
    if (l.args.includes('ssl')) continue;
    const address = l.directive.args[0];
    changes.push({ start: address.end, end: address.end, newText: ' ssl' });
  }
  return { title: 'Replace "ssl on" with the ssl parameter on listen', changes, preferred: true };
}
