// Placeholder until the haproxy kind lands: recognises nothing, checks nothing.
import { BaseContext, KindModule } from '../kind';

export const haproxyModule: KindModule<BaseContext> = {
  kind: 'haproxy',
  matchesName: () => false,
  sniff: () => false,
  prepare: (base) => ({ ctx: base, syntax: [] }),
  rules: [],
  syntaxRules: [],
};
