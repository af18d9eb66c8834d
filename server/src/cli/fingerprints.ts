// Fingerprints of findings that survive lines inserted above them, shared by baselines (which findings
// were accepted) and SARIF (`partialFingerprints`, which code scanning uses to follow a finding).

import { createHash } from 'node:crypto';
import { LineIndex } from '../core/text';
import { Finding } from '../core/types';

/**
 * Each finding with its fingerprint: the rule, the file, the text of the finding's line (trimmed) and of
 * its span, and which occurrence of that same combination it is, counted in the file's order.
 */
export function fingerprints(rel: string, text: string, findings: readonly Finding[]): Map<Finding, string> {
  const lines = new LineIndex(text);
  const seen = new Map<string, number>();
  const out = new Map<Finding, string>();
  for (const f of [...findings].sort((a, b) => a.span.start - b.span.start)) {
    const line = lines.lineAt(f.span.start);
    const lineText = text.slice(lines.lineStart(line), lines.lineStart(line + 1)).trim();
    const base = `${f.ruleId}\u0000${rel}\u0000${lineText}\u0000${text.slice(f.span.start, f.span.end)}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    out.set(f, createHash('sha256').update(`${base}\u0000${n}`).digest('hex').slice(0, 32));
  }
  return out;
}
