// How the server names files: the core reads '/'-separated paths, the protocol speaks URIs, and one
// file can be spelled as several URIs (VS Code escapes more characters than Node does).

/** The path part of a URI ('/'-separated, decoded), which is what the core's detection reads. */
export function uriPath(uri: string): string {
  try {
    const u = new URL(uri);
    return decodeURIComponent(u.pathname);
  } catch {
    return uri;
  }
}

/** The identity of a file across URI spellings: the decoded path for file: URIs, the URI otherwise. */
export function keyOf(uri: string): string {
  return uri.startsWith('file:') ? uriPath(uri) : uri;
}
