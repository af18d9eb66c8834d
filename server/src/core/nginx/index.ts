// Placeholder until the nginx kind lands: recognises nothing, checks nothing.
import { BaseContext, KindModule } from '../kind';

export const nginxModule: KindModule<BaseContext> = {
  kind: 'nginx',
  matchesName: () => false,
  sniff: () => false,
  prepare: (base) => ({ ctx: base, syntax: [] }),
  rules: [],
  syntaxRules: [],
};
