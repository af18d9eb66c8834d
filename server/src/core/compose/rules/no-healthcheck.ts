import { isScalar, YAMLMap } from 'yaml';
import { Rule } from '../../types';
import { isTrue, keySpan, scalarText, spanOf } from '../../yaml/nav';
import { ComposeContext, Service, serviceValue } from '../model';

export const noHealthcheck: Rule<ComposeContext> = {
  meta: {
    id: 'compose/no-healthcheck',
    description: 'Services define a healthcheck, so the orchestrator routes only to healthy tasks.',
    defaultSeverity: 'information',
    category: 'availability',
    fixable: false,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const hc = serviceValue(s, 'healthcheck');
      const hcMap = s.document.view.map(hc?.value);
      const empty = hc !== undefined && (!hcMap || hcMap.items.length === 0);
      const disabled = !!hcMap && (isTrue(s.document.view.get(hcMap, 'disable')?.value) || /^\[?\s*"?NONE"?\s*\]?$/.test(flatTest(s, hcMap)));
      if (hc && !disabled && !empty) continue;
      report({
        span: hc ? keySpan(hc) : spanOf(s.keyNode),
        message: disabled
          ? `Service "${s.name}" disables its healthcheck: a hung task keeps receiving traffic and updates cannot tell a bad version from a good one.`
          : `Service "${s.name}" has no healthcheck here. Unless its image defines one, a hung task keeps receiving traffic and rolling updates cannot detect a bad version.`,
      });
    }
  },
};

function flatTest(s: Service, hc: YAMLMap): string {
  const test = s.document.view.get(hc, 'test')?.value;
  if (!test) return '';
  if (isScalar(test)) return String(test.value);
  const seq = s.document.view.seq(test);
  return seq ? seq.items.map((i) => scalarText(i) ?? '').join(',') : '';
}
