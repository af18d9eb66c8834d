import { isMap, isScalar, Node } from 'yaml';
import { imageReference } from '../../images';
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
    description: 'Images are pinned to a release tag or digest, not a moving tag such as `latest`, `main` or `nightly`.',
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
        if (MOVING_TAGS.has(tagText.trim().toLowerCase())) {
          report({ span: spanOf(tag.value), message: movingTagMessage(tagText, scalarText(view.get(image, 'repository')?.value)) });
        }
        continue;
      }
      // No tag key: the tag may be written into the repository (`repository: nginx:latest`).
      const repo = view.get(image, 'repository') ?? view.get(image, 'name');
      if (repo?.value && isScalar(repo.value)) checkReference(repo.value, report);
    }
  },
};

function checkReference(node: Node, report: (r: { span: { start: number; end: number }; message: string }) => void): void {
  const ref = scalarText(node);
  if (!ref || isTemplate(ref) || /\s/.test(ref.trim())) return;
  const { tag, digest } = imageReference(ref.trim());
  if (digest || tag === undefined || !MOVING_TAGS.has(tag.toLowerCase())) return;
  report({ span: spanOf(node), message: movingTagMessage(tag, ref.slice(0, ref.length - tag.length - 1)) });
}

function movingTagMessage(tag: string, repository: string | undefined): string {
  const what = repository ? `${repository}:${tag}` : `tag "${tag}"`;
  return `Image ${what} uses a moving tag: each node pulls whatever "${tag}" points to when a pod starts, so replicas can run different code, a reschedule can silently upgrade, and a rollback has nothing to go back to. Pin a release tag or a digest (or leave the tag empty to use the chart's appVersion).`;
}
