import { Rule } from '../../types';
import { isFalse, spanOf } from '../../yaml/nav';
import { dataStoreOf, entryIn, sectionsWithKey } from '../components';
import { HelmContext } from '../model';

/** A data store chart's own backup job: Bitnami's `backup:` (PostgreSQL, MongoDB), etcd's `disasterRecovery:`. */
const BACKUP_KEY = /^(backup|backups|disasterRecovery)$/;

export const backupDisabled: Rule<HelmContext> = {
  meta: {
    id: 'helm/backup-disabled',
    description: "Data stores keep their chart's backup job switched on (`backup.enabled`, `disasterRecovery.enabled`).",
    defaultSeverity: 'warning',
    category: 'data',
    fixable: false,
  },
  check(ctx, report) {
    for (const m of sectionsWithKey(ctx.model, BACKUP_KEY)) {
      const store = m.parent && dataStoreOf(m.parent);
      if (!m.parent?.active || !store) continue;
      const enabled = entryIn(m, 'enabled');
      if (!enabled?.value || !isFalse(enabled.value)) continue;
      report({
        span: spanOf(enabled.value),
        message: `"${m.path.join('.')}" switches the chart's backup job off for a data store (${store}): replicas copy mistakes and deletions as faithfully as data, so without backups a bad migration, a deleted table or a corrupted volume cannot be undone. Enable it with a schedule and a storage target, or point to the backup that covers this store (Velero, volume snapshots) in a comment and suppress the finding.`,
      });
    }
  },
};

