import { imageBaseName, isMovingReference } from '../../images';
import { Rule } from '../../types';
import { scalarText, spanOf } from '../../yaml/nav';
import { ComposeContext, imageName, Service, serviceValue } from '../model';
import { commandText, environmentOf } from '../environment';

/** Updaters that pull new images and recreate running containers or services by themselves. */
const UPDATERS = new Set(['watchtower', 'ouroboros', 'shepherd']);

/** The updater only reports new images (`--monitor-only`, ouroboros' `--dry-run`). */
function onlyNotifies(s: Service): boolean {
  if (/(^|\s)--(monitor-only|dry-run)(\s|=true|$)/.test(commandText(s))) return true;
  return environmentOf(s).some((v) => /^(WATCHTOWER_MONITOR_ONLY|DRY_RUN)$/i.test(v.name) && /^(true|1|yes)$/i.test(v.value.trim()));
}

export const autoUpdate: Rule<ComposeContext> = {
  meta: {
    id: 'compose/auto-update',
    description: 'Nothing replaces running images behind the deploy: no auto-updater service (Watchtower, Ouroboros, Shepherd), no `pull_policy: always` on a moving tag.',
    defaultSeverity: 'warning',
    category: 'operability',
    fixable: false,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const image = imageName(s);
      if (image && !image.includes('$') && UPDATERS.has(imageBaseName(image)) && !onlyNotifies(s)) {
        report({
          span: spanOf(serviceValue(s, 'image')!.value),
          message: `Service "${s.name}" runs ${imageBaseName(image)}, which pulls new images and restarts services with them on its own: an untested version reaches production at a random moment, with no rollout or rollback you control. Deploy new versions through your pipeline (or run it in monitor-only mode to be notified).`,
        });
      }
      // Swarm ignores pull_policy: docker stack deploy resolves tags itself.
      const policy = serviceValue(s, 'pull_policy');
      if (ctx.swarm || scalarText(policy?.value)?.trim() !== 'always' || !image || image.includes('$') || !isMovingReference(image)) continue;
      report({
        span: spanOf(policy!.value),
        message: `Service "${s.name}" pulls "${image}" on every start (pull_policy: always), and that tag moves: any restart or redeploy silently upgrades it to whatever was published last. Pin a version or a digest, or drop pull_policy: always.`,
      });
    }
  },
};
