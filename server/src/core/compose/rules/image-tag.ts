import { imageReference, isMajorOnlyTag } from '../../images';
import { Rule } from '../../types';
import { spanOf } from '../../yaml/nav';
import { ComposeContext, serviceValue } from '../model';

export const imageTag: Rule<ComposeContext> = {
  meta: {
    id: 'compose/image-tag',
    description: 'Images are pinned to a version tag or digest, not `latest` or no tag at all (a major-version-only tag is noted).',
    defaultSeverity: 'warning',
    category: 'operability',
    fixable: false,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const entry = serviceValue(s, 'image');
      const image = entry?.value && 'value' in entry.value ? entry.value.value : undefined;
      if (typeof image !== 'string' || image === '' || image.includes('$')) continue;
      const { tag, digest } = imageReference(image);
      if (digest) continue;
      if (tag === undefined) {
        report({
          span: spanOf(entry!.value),
          message: `Image "${image}" has no tag, so every deploy pulls whatever "latest" is then: pin a version (e.g. ${image}:1.2.3) or a digest.`,
        });
      } else if (tag === 'latest') {
        report({
          span: spanOf(entry!.value),
          message: `Image "${image}" uses the moving "latest" tag: what runs depends on when each host pulled, and there is no known-good version to roll back to. Pin a version or a digest.`,
        });
      } else if (isMajorOnlyTag(tag)) {
        report({
          span: spanOf(entry!.value),
          severity: 'information',
          message: `Image "${image}" names only a major version: the tag moves to each new minor and patch release, so two hosts (or two deploys) can run different versions. Pin the full version (or a digest) and upgrade deliberately.`,
        });
      }
    }
  },
};
