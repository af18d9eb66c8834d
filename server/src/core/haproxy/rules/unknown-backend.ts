import { editDistance } from '../../text';
import { Fix, Rule } from '../../types';
import { replaceWord } from '../edit';
import { HaproxyContext, own } from '../model';

/** "Did you mean" compares against every backend name; past this many findings it is not worth the time. */
const MAX_SUGGESTIONS = 50;

/** The one backend name within a small typo distance (a quarter of the length), if exactly one is closest. */
function suggest(name: string, names: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 4));
  let best: string | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const candidate of names) {
    if (Math.abs(candidate.length - name.length) > limit) continue;
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance) tie = true;
  }
  return best !== undefined && bestDistance <= limit && !tie ? best : undefined;
}

export const unknownBackend: Rule<HaproxyContext> = {
  meta: {
    id: 'haproxy/unknown-backend',
    description: '`default_backend` and `use_backend` name a backend (or listen section) defined in the file.',
    defaultSeverity: 'error',
    category: 'correctness',
    fixable: true,
  },
  check(ctx, report) {
    // A file without any backend is one part of a configuration split over several files (haproxy -f a -f b).
    if (ctx.backends.size === 0) return;
    let suggestions = 0;
    for (const p of ctx.proxies) {
      if (p.kind === 'backend') continue;
      for (const d of [...own(p, 'default_backend'), ...own(p, 'use_backend')]) {
        const name = d.args[0];
        // Names built at run time: log-format expressions and environment variables.
        if (!name || name.env || name.value.includes('%[') || name.value.includes('$')) continue;
        if (ctx.backends.has(name.value)) continue;
        const guess = suggestions++ < MAX_SUGGESTIONS && ctx.backends.size <= 5000 ? suggest(name.value, ctx.backends.keys()) : undefined;
        const fixes: Fix[] = guess ? [{ title: `Change to "${guess}"`, changes: [replaceWord(name, guess)] }] : [];
        report({
          span: { start: name.start, end: name.end },
          message: `No backend or listen section is named "${name.value}"${guess ? ` (did you mean "${guess}"?)` : ''}: HAProxy refuses to load the configuration, so a reload with this change fails.`,
          fixes,
        });
      }
    }
  },
};
