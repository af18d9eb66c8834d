import { isMap, isScalar, isSeq, Node } from 'yaml';
import { Fix, Report, Rule } from '../../types';
import { Entry, isTrue, scalarText, spanOf } from '../../yaml/nav';
import { editableEntry, entriesWithKey } from '../components';
import { HelmContext } from '../model';
import { flipSwitchFix, replaceScalarFix } from '../values';

const VERBOSE_LEVELS = /^(debug|trace)$/i;
const LOG_LEVEL_KEY = /^(log_?level|logLevel|loglevel|LOG_LEVEL)$/i;
const LOG_SECTION = /^(log|logs|logging|logger)$/i;
/** Every key this rule reads; the model tests it once per distinct key. */
const RELEVANT_KEY = /^(debug|level|diagnosticMode)$|log_?level|env/i;

export const debugEnabled: Rule<HelmContext> = {
  meta: {
    id: 'helm/debug-enabled',
    description: 'Debug switches, debug/trace log levels and diagnostic mode are off in production.',
    defaultSeverity: 'information',
    category: 'operability',
    fixable: true,
  },
  check(ctx, report) {
    for (const { at: m, entry: e } of entriesWithKey(ctx.model, RELEVANT_KEY)) {
      if (!m.active || !e.value) continue;
      const view = m.document.view;
      const where = m.path.length ? ` in "${m.path.join('.')}"` : '';
      if (/^debug$/i.test(e.key) && isTrue(e.value)) {
        report({
          span: spanOf(e.value),
          message: `debug is on${where}: debug output is verbose (costly to ship and store) and often includes request data, headers or credentials. Turn it off outside troubleshooting.`,
          fixes: flipSwitchFix(e, 'Turn debug off', false),
        });
      } else if ((LOG_LEVEL_KEY.test(e.key) || (e.key === 'level' && m.key !== undefined && LOG_SECTION.test(m.key))) && isVerbose(e.value)) {
        reportLevel(report, e, e.value, where);
      } else if (isSeq(e.value) && /env/i.test(e.key)) {
        // `extraEnv: [{name: LOG_LEVEL, value: debug}]`
        for (const item of view.items(e.value)) {
          if (!isMap(item)) continue;
          const name = scalarText(view.get(item, 'name')?.value);
          const value = view.get(item, 'value');
          if (name && LOG_LEVEL_KEY.test(name) && value?.value && isVerbose(value.value)) reportLevel(report, value, value.value, where);
        }
      } else if (e.key === 'diagnosticMode') {
        const enabled = view.get(view.map(e.value), 'enabled');
        if (enabled?.value && isTrue(enabled.value)) {
          report({
            span: spanOf(enabled.value),
            message: `diagnosticMode is on${m.path.length ? ` for "${m.path.join('.')}"` : ''}: the containers run a sleep command instead of the application, with probes off. It exists for debugging a broken pod, never for serving.`,
            fixes: flipSwitchFix(enabled, 'Turn diagnostic mode off', false),
          });
        }
      }
    }
  },
};

function isVerbose(node: unknown): boolean {
  const text = scalarText(node);
  return isScalar(node) && text !== undefined && VERBOSE_LEVELS.test(text.trim());
}

function reportLevel(report: (r: Report) => void, entry: Entry, node: Node, where: string): void {
  const level = scalarText(node)!.trim();
  const info = level === level.toUpperCase() ? 'INFO' : level[0] === level[0].toUpperCase() ? 'Info' : 'info';
  const fixes: Fix[] = editableEntry(entry) ? replaceScalarFix(entry, info, `Set the log level to ${info}`) : [];
  report({
    span: spanOf(node),
    message: `The log level is ${level}${where}: ${level.toLowerCase()} logging floods the log pipeline, slows the application and often records request data and credentials. Use info (or warn) in production.`,
    fixes,
  });
}
