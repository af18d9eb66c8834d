import { Rule } from '../../types';
import { childrenNamed, NginxContext } from '../model';

const WHY = 'NGINX then names its exact version in every Server header and on its error pages, telling attackers which known vulnerabilities to try.';

export const serverTokens: Rule<NginxContext> = {
  meta: {
    id: 'nginx/server-tokens',
    description: 'The http block sets `server_tokens off`, so responses do not reveal the NGINX version.',
    defaultSeverity: 'information',
    category: 'operability',
    fixable: true,
  },
  check(ctx, report) {
    for (const node of ctx.localNodes) {
      if (node.name !== 'server_tokens') continue;
      const value = node.directive.args[0];
      if (!value || value.templated || (value.value !== 'on' && value.value !== 'build')) continue;
      const change = ctx.edit.replace(value, 'off');
      report({
        span: { start: node.directive.start, end: node.directive.end },
        message: `server_tokens is ${value.value}: ${WHY} Set it to off.`,
        fixes: change ? [{ title: 'Set server_tokens off', changes: [change], preferred: true }] : [],
      });
    }
    for (const http of ctx.httpBlocks) {
      const owner = http.owner!;
      if (!owner.local || childrenNamed(http, 'server_tokens').length || http.unresolved.length) continue;
      const change = ctx.edit.insertIntoBlock(owner.directive, ['server_tokens off;']);
      report({
        span: { start: owner.directive.start, end: owner.directive.name.end },
        message: `This http block does not set server_tokens, and it is on by default: ${WHY} Add "server_tokens off;".`,
        fixes: change ? [{ title: 'Add "server_tokens off;" to the http block', changes: [change], preferred: true }] : [],
      });
    }
  },
};
