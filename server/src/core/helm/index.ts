// Placeholder until the helm kind lands: recognises nothing, checks nothing.
import { BaseContext, KindModule } from '../kind';

export const helmModule: KindModule<BaseContext> = {
  kind: 'helm-values',
  matchesName: () => false,
  sniff: () => false,
  prepare: (base) => ({ ctx: base, syntax: [] }),
  rules: [],
  syntaxRules: [],
};
