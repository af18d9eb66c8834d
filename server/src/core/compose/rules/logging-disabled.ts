import { Rule } from '../../types';
import { keySpan, scalarText } from '../../yaml/nav';
import { ComposeContext, serviceValue } from '../model';

export const loggingDisabled: Rule<ComposeContext> = {
  meta: {
    id: 'compose/logging-disabled',
    description: 'Services keep their logs (`logging.driver` is not `none`).',
    defaultSeverity: 'warning',
    category: 'operability',
    fixable: true,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const logging = serviceValue(s, 'logging');
      const driver = serviceValue(s, 'logging', 'driver');
      if (scalarText(driver?.value)?.trim() !== 'none') continue;
      const { view, edit } = s.document;
      const loggingMap = view.map(logging?.value);
      // Only `driver: none` in the block: removing the whole `logging:` block gives the daemon's
      // default driver. Options written for another driver would be left meaningless: no fix then.
      const removal = !logging?.inherited && loggingMap && loggingMap.items.length === 1 ? edit.removeEntry(s.map, logging!.keyNode) : undefined;
      report({
        // The whole block is what the fix removes, so the finding sits on its key.
        span: keySpan(logging!),
        message: `Service "${s.name}" discards everything it logs (logging.driver: none): after a crash or an incident there is nothing to read, and "docker logs" shows nothing. Use the daemon's default driver or one that ships logs (json-file/local with rotation, syslog, fluentd…).`,
        fixes: removal ? [{ title: 'Remove logging (use the default driver)', preferred: true, changes: [{ start: removal.start, end: removal.end, newText: '' }] }] : [],
      });
    }
  },
};
