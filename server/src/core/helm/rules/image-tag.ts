import { isMap, isScalar, Node } from 'yaml';
import { imageReference, isMajorOnlyTag } from '../../images';
import { Rule } from '../../types';
import { scalarText, spanOf } from '../../yaml/nav';
import { entriesWithKey } from '../components';
import { HelmContext } from '../model';
import { isMeaningful, isTemplate } from '../values';

/** Tags that name a moving target (a branch or a channel), not a release. */
const MOVING_TAGS = new Set(['latest', 'master', 'main', 'dev', 'develop', 'edge', 'nightly']);

/** `image`, `initImage`, `kubectlImage`… */
const IMAGE_KEY = /^(image|[a-z][A-Za-z]*Image)$/;

export const imageTag: Rule<HelmContext> = {
  meta: {
    id: 'helm/image-tag',
    description: 'Images are pinned to a release tag or digest, not a moving tag such as `latest`, `main` or `nightly` (a major-only tag such as `16` is a note).',
    defaultSeverity: 'warning',
    category: 'operability',
    fixable: false,
  },
  check(ctx, report) {
    for (const { at: m, entry: e } of entriesWithKey(ctx.model, IMAGE_KEY)) {
      if (!m.active || !e.value) continue;
      const view = m.document.view;
      if (isScalar(e.value)) {
        checkReference(e.value, report);
        continue;
      }
      if (!isMap(e.value)) continue;
      const image = e.value;
      // A digest pins the image whatever the tag says.
      if (['digest', 'sha', 'sha256'].some((k) => isMeaningful(view.get(image, k)?.value))) continue;
      const tag = view.get(image, 'tag');
      const tagText = scalarText(tag?.value);
      if (tag?.value && tagText !== undefined) {
        const repository = scalarText(view.get(image, 'repository')?.value);
        if (MOVING_TAGS.has(tagText.trim().toLowerCase())) report({ span: spanOf(tag.value), message: movingTagMessage(tagText, repository) });
        else if (isMajorOnlyTag(tagText.trim())) report({ span: spanOf(tag.value), message: majorOnlyMessage(tagText.trim(), repository), severity: 'information' });
        continue;
      }
      // No tag key: the tag may be written into the repository (`repository: nginx:latest`).
      const repo = view.get(image, 'repository') ?? view.get(image, 'name');
      if (repo?.value && isScalar(repo.value)) checkReference(repo.value, report);
    }
  },
};

function checkReference(node: Node, report: (r: { span: { start: number; end: number }; message: string; severity?: 'information' }) => void): void {
  const ref = scalarText(node);
  if (!ref || isTemplate(ref) || /\s/.test(ref.trim())) return;
  const { tag, digest } = imageReference(ref.trim());
  if (digest || tag === undefined) return;
  const repository = ref.trim().slice(0, ref.trim().length - tag.length - 1);
  if (MOVING_TAGS.has(tag.toLowerCase())) report({ span: spanOf(node), message: movingTagMessage(tag, repository) });
  else if (isMajorOnlyTag(tag)) report({ span: spanOf(node), message: majorOnlyMessage(tag, repository), severity: 'information' });
}

function majorOnlyMessage(tag: string, repository: string | undefined): string {
  const what = repository ? `${repository}:${tag}` : `tag "${tag}"`;
  return `Image ${what} names only a major version: "${tag}" moves to every new minor and patch release, so a pod rescheduled next month runs different code from its replicas and a rollback has no fixed version to return to. Pin a full release version or a digest.`;
}

function movingTagMessage(tag: string, repository: string | undefined): string {
  const what = repository ? `${repository}:${tag}` : `tag "${tag}"`;
  return `Image ${what} uses a moving tag: each node pulls whatever "${tag}" points to when a pod starts, so replicas can run different code, a reschedule can silently upgrade, and a rollback has nothing to go back to. Pin a release tag or a digest (or leave the tag empty to use the chart's appVersion).`;
}
