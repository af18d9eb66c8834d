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
