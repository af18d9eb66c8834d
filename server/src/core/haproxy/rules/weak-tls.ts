import { Fix, Rule, TextChange } from '../../types';
import { removeWord, replaceWord } from '../edit';
import { Bind, bindsOf, describeProxy, HaproxyContext, isFrontendSide } from '../model';
import { HaDirective, HaToken } from '../parse';

const WEAK_VERSIONS = new Set(['SSLv3', 'TLSv1.0', 'TLSv1.1']);
const FORCED_WEAK = new Set(['force-sslv3', 'force-tlsv10', 'force-tlsv11']);
/** The pre-`ssl-min-ver` way of switching old protocol versions off, one flag per version. */
const LEGACY_VERSION_FLAGS = new Set(['no-sslv3', 'no-tlsv10', 'no-tlsv11']);
export const MIN_VERSION = 'ssl-min-ver TLSv1.2';
const SINCE_2_2 =
  "Since HAProxy 2.2 a bind's minimum version defaults to TLS 1.2 and these flags don't lower it, so TLS 1.0/1.1 are refused there; on older releases they stay allowed and clients can be downgraded to them.";

/** Lines whose options choose TLS versions; `bindSide` ones protect what clients connect to. */
const VERSION_KEYWORDS = new Map<string, { bindSide: boolean }>([
  ['bind', { bindSide: true }],
  ['ssl-default-bind-options', { bindSide: true }],
  ['server', { bindSide: false }],
  ['default-server', { bindSide: false }],
  ['server-template', { bindSide: false }],
  ['ssl-default-server-options', { bindSide: false }],
]);

/** Old versions are off: a minimum version at TLS 1.2 or above, or TLS 1.0 and 1.1 both switched off. */
function excludesOldVersions(words: HaToken[]): boolean {
  const values = words.map((w) => w.value);
  const min = values.indexOf('ssl-min-ver');
  if (min !== -1 && words[min + 1] && !WEAK_VERSIONS.has(words[min + 1].value)) return true;
  return values.includes('no-tlsv10') && values.includes('no-tlsv11');
}

/** Replaces the first legacy flag by `ssl-min-ver TLSv1.2` and drops the other legacy flags. */
function minVersionFix(d: HaDirective): Fix | undefined {
  const flags = d.args.filter((a) => LEGACY_VERSION_FLAGS.has(a.value));
  if (flags.length === 0) return undefined;
  const changes: TextChange[] = [replaceWord(flags[0], MIN_VERSION), ...flags.slice(1).map((f) => removeWord(d, f))];
  return { title: `Require TLS 1.2 or later (${MIN_VERSION})`, preferred: true, changes };
}

export const weakTls: Rule<HaproxyContext> = {
  meta: {
    id: 'haproxy/weak-tls',
    description: 'TLS 1.0, TLS 1.1 and SSLv3 are not allowed, and `no-sslv3` is not relied on alone.',
    defaultSeverity: 'warning',
    category: 'encryption',
    fixable: true,
  },
  check(ctx, report) {
    const lines: HaDirective[] = [];
    // A loop, not push(...directives): a section of hundreds of thousands of lines would overflow the
    // stack with that many arguments.
    for (const d of ctx.global?.directives ?? []) lines.push(d);
    for (const p of ctx.proxies) for (const d of p.section.directives) lines.push(d);

    // Explicitly weak settings, wherever they are.
    for (const d of lines) {
      const kw = VERSION_KEYWORDS.get(d.keyword);
      if (!kw) continue;
      d.args.forEach((a, i) => {
        const next = d.args[i + 1];
        if ((a.value === 'ssl-min-ver' || a.value === 'ssl-max-ver') && next && WEAK_VERSIONS.has(next.value)) {
          const min = a.value === 'ssl-min-ver';
          report({
            span: { start: a.start, end: next.end },
            message: min
              ? `"ssl-min-ver ${next.value}" lets ${kw.bindSide ? 'clients' : 'connections to this server'} fall back to ${next.value}, which has known practical attacks and fails PCI DSS and most security audits. Require TLSv1.2 or later.`
              : `"ssl-max-ver ${next.value}" caps ${kw.bindSide ? 'client connections' : 'connections to this server'} at ${next.value}, so TLS 1.2 and 1.3 are never used and every connection runs on a protocol with known attacks.`,
            // A backend server may only speak an old protocol; changing that side is not a mechanical fix.
            fixes: min && kw.bindSide ? [{ title: 'Require TLS 1.2 or later', preferred: true, changes: [replaceWord(next, 'TLSv1.2')] }] : [],
          });
        } else if (FORCED_WEAK.has(a.value)) {
          report({
            span: { start: a.start, end: a.end },
            message: `"${a.value}" pins ${kw.bindSide ? 'client connections' : 'connections to this server'} to an obsolete protocol version with known attacks, and refuses anything newer. Use "${MIN_VERSION}" instead.`,
            fixes: kw.bindSide ? [{ title: `Replace with ${MIN_VERSION}`, preferred: true, changes: [replaceWord(a, MIN_VERSION)] }] : [],
          });
        }
      });
    }

    // `no-sslv3` (and friends) alone lets TLS 1.0/1.1 through on releases before 2.2, unless global defaults exclude them.
    const globalOptions = ctx.global ? ctx.global.directives.filter((d) => d.keyword === 'ssl-default-bind-options') : [];
    const globalWords = globalOptions.flatMap((d) => d.args);
    const globalSafe = excludesOldVersions(globalWords);
    const onlyLegacyFlags = (words: HaToken[]) =>
      words.some((w) => LEGACY_VERSION_FLAGS.has(w.value)) &&
      !excludesOldVersions(words) &&
      !words.some((w) => w.value === 'ssl-min-ver' || FORCED_WEAK.has(w.value));

    const tlsBinds: { bind: Bind; p: string }[] = [];
    for (const p of ctx.proxies) {
      if (!isFrontendSide(p)) continue;
      for (const b of bindsOf(p)) if (b.ssl) tlsBinds.push({ bind: b, p: describeProxy(p) });
    }
    if (!globalSafe) {
      for (const { bind, p } of tlsBinds) {
        const words = bind.directive.args;
        if (!onlyLegacyFlags(words)) continue;
        const first = words.find((w) => LEGACY_VERSION_FLAGS.has(w.value))!;
        const fix = minVersionFix(bind.directive);
        // Since HAProxy 2.2 a bind's minimum is TLS 1.2 unless something lowers it, and the per-version
        // flags never lower it: the downgrade is real only on older releases, hence information.
        report({
          span: { start: first.start, end: first.end },
          severity: 'information',
          message: `This TLS bind of ${p} only switches off old versions one by one ("${words.filter((w) => LEGACY_VERSION_FLAGS.has(w.value)).map((w) => w.value).join(' ')}"). ${SINCE_2_2} Saying "${MIN_VERSION}" makes the minimum explicit on every release.`,
          fixes: fix ? [fix] : [],
        });
      }
    }
    const relying = tlsBinds.some(
      ({ bind }) => !excludesOldVersions(bind.directive.args) && !bind.directive.args.some((w) => w.value === 'ssl-min-ver' || FORCED_WEAK.has(w.value)),
    );
    for (const d of globalOptions) {
      if (globalSafe || !relying || !onlyLegacyFlags(d.args)) continue;
      const first = d.args.find((w) => LEGACY_VERSION_FLAGS.has(w.value))!;
      const fix = minVersionFix(d);
      report({
        span: { start: first.start, end: first.end },
        severity: 'information',
        message: `The global TLS defaults switch off old versions one by one, which on their own do not exclude ${d.args.some((w) => w.value === 'no-tlsv10') ? 'TLS 1.1' : 'TLS 1.0 and 1.1'}, and every TLS bind without its own minimum inherits them. ${SINCE_2_2} Saying "${MIN_VERSION}" makes the minimum explicit on every release.`,
        fixes: fix ? [fix] : [],
      });
    }
  },
};
