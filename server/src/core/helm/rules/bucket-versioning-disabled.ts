import { isMap } from 'yaml';
import { Rule } from '../../types';
import { isFalse, isTrue, scalarText, spanOf } from '../../yaml/nav';
import { entriesWithKey, entryIn } from '../components';
import { HelmContext } from '../model';
import { flipSwitchFix, replaceScalarFix } from '../values';

export const bucketVersioningDisabled: Rule<HelmContext> = {
  meta: {
    id: 'helm/bucket-versioning-disabled',
    description: 'Object-store buckets the chart provisions keep versioning on.',
    defaultSeverity: 'information',
    category: 'data',
    fixable: true,
  },
  check(ctx, report) {
    for (const { at: m, entry } of entriesWithKey(ctx.model, 'versioning')) {
      // A bucket item (`provisioning.buckets: [{name, versioning}]`) or a bucket section (`bucket: {versioning}`).
      if (!m.active || !entry.value || !m.path.some((p) => /bucket/i.test(p))) continue;
      // Object locking turns versioning on whatever this says.
      if (isTrue(entryIn(m, 'withLock')?.value) || isTrue(entryIn(m, 'objectLocking')?.value)) continue;
      const view = m.document.view;
      const switchEntry = isMap(entry.value) ? view.get(view.map(entry.value), 'enabled') : entry;
      const text = scalarText(switchEntry?.value)?.trim();
      if (!switchEntry?.value || !text) continue;
      const suspended = /^(suspended|disabled)$/i.test(text);
      if (!suspended && !isFalse(switchEntry.value)) continue;
      const name = scalarText(entryIn(m, 'name')?.value);
      report({
        span: spanOf(switchEntry.value),
        message: `Bucket ${name ? `"${name}"` : `"${m.path.join('.')}"`} has versioning off: an object overwritten or deleted by mistake (or by a compromised client) is gone for good. Turn versioning on, with a lifecycle rule that expires old versions.`,
        fixes: suspended ? replaceScalarFix(switchEntry, text === 'Suspended' ? 'Versioned' : 'Enabled', 'Turn versioning on') : flipSwitchFix(switchEntry, 'Turn versioning on', true),
      });
    }
  },
};
