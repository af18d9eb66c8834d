// Container image references as compose files and Helm values write them: `nginx`, `nginx:1.27`,
// `registry.example.com:5000/team/app:1.2.3`, `app@sha256:…`.

/** The tag and digest of an image reference (a registry port is not a tag: `registry:5000/app`). */
export function imageReference(ref: string): { tag?: string; digest?: string } {
  const at = ref.indexOf('@');
  const digest = at === -1 ? undefined : ref.slice(at + 1);
  const name = at === -1 ? ref : ref.slice(0, at);
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return { tag: colon === -1 ? undefined : lastSegment.slice(colon + 1), digest };
}

/** The repository of an image reference, without tag or digest, in lower case: `docker.io/library/postgres`, `bitnami/redis`. */
export function imageRepository(ref: string): string {
  const name = ref.split('@')[0];
  const slash = name.lastIndexOf('/');
  const colon = name.indexOf(':', slash + 1);
  return (colon === -1 ? name : name.slice(0, colon)).toLowerCase();
}

/** The last path segment of an image's repository: `postgres` for `docker.io/library/postgres:16`. */
export function imageBaseName(ref: string): string {
  const repo = imageRepository(ref);
  return repo.slice(repo.lastIndexOf('/') + 1);
}

/**
 * A tag naming only a major version (`16`, `v3`, `16-alpine`, `20-alpine3.19`): it moves to each new
 * minor and patch release of that major. Three digits or more are build numbers or dates (`20240101`),
 * and a numbered suffix pins a build (Bitnami's `12-debian-12-r50`, `16-r3`): neither is a major.
 */
export function isMajorOnlyTag(tag: string): boolean {
  const [major, ...variant] = tag.split('-');
  return /^v?[0-9]{1,2}$/.test(major) && variant.every((part) => /^[A-Za-z][A-Za-z0-9.]*$/.test(part) && !/^r[0-9]+$/.test(part));
}

/** Channel names that are re-pointed at every release (`latest`, `stable`, `edge`, `nightly`, `main`, …). */
const CHANNEL_TAG = /^(latest|stable|edge|nightly|mainline|current|lts|main|master|dev|develop|beta|alpha|canary|next|rolling|release|alpine|slim)(-[a-z0-9.]+)*$/i;

/** A reference whose tag follows new releases: no tag (latest), a channel name, or a major version only. */
export function isMovingReference(ref: string): boolean {
  const { tag, digest } = imageReference(ref);
  if (digest) return false;
  return tag === undefined || CHANNEL_TAG.test(tag) || isMajorOnlyTag(tag);
}
