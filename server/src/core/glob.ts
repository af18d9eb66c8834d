// The small glob dialect of `prodready.files` and `prodready.exclude`: `**` (any folders), `*` and `?`
// (within one path segment), `{a,b}` alternatives. A pattern without '/' matches the file name anywhere.

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  let src = '';
  let inBraces = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          src += '(?:.*/)?';
        } else src += '.*';
      } else src += '[^/]*';
    } else if (c === '?') src += '[^/]';
    else if (c === '{') {
      inBraces = true;
      src += '(?:';
    } else if (c === '}' && inBraces) {
      inBraces = false;
      src += ')';
    } else if (c === ',' && inBraces) src += '|';
    else src += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  const anchored = glob.includes('/') ? (glob.startsWith('/') || glob.startsWith('**') ? `^${src}$` : `(?:^|/)${src}$`) : `(?:^|/)${src}$`;
  const re = new RegExp(anchored);
  cache.set(glob, re);
  return re;
}

export function matchesGlob(path: string, glob: string): boolean {
  return globToRegExp(glob).test(path);
}
