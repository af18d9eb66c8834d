// OpenSSL cipher strings (NGINX `ssl_ciphers`, HAProxy `ciphers` and `ssl-default-*-ciphers`), read
// far enough to tell which broken cipher families a string leaves enabled.
//
// The syntax (openssl-ciphers(1)): items separated by `:`, `,` or spaces, evaluated left to right.
// A plain item adds suites, `-X` removes them (a later item may add them back), `!X` removes them for
// good, `+X` only moves them to the end. `A+B` inside an item means "suites that are both A and B".
// Items are suite names (`RC4-SHA`, `TLS_RSA_WITH_RC4_128_SHA`) or classes (`HIGH`, `aNULL`, `3DES`).
//
// Classes only count for what current OpenSSL (1.1.1, 3.x) still puts in them: `ALL` and `MEDIUM` hold
// 3DES, `ALL` and `HIGH` the anonymous suites, and RC4, single DES and export suites are no longer built
// in, so `ALL` does not "enable RC4" there. Naming a broken family or suite explicitly always counts:
// the file asks for it. `DEFAULT` and `@SECLEVEL` are left alone (their content depends on the build).

export type WeakFamily = 'RC4' | '3DES' | 'DES' | 'NULL' | 'EXPORT' | 'MD5' | 'ADH' | 'AECDH';

export const WEAK_FAMILY_NAMES: Readonly<Record<WeakFamily, string>> = {
  RC4: 'RC4',
  '3DES': '3DES',
  DES: 'single DES',
  NULL: 'NULL (unencrypted)',
  EXPORT: 'EXPORT',
  MD5: 'MD5',
  ADH: 'anonymous (ADH)',
  AECDH: 'anonymous (AECDH)',
};

const ALL_FAMILIES: WeakFamily[] = ['RC4', '3DES', 'DES', 'NULL', 'EXPORT', 'MD5', 'ADH', 'AECDH'];

/** What a class name adds when used alone (current OpenSSL builds). */
const ADDS: Record<string, WeakFamily[]> = {
  ALL: ['3DES', 'ADH', 'AECDH'],
  MEDIUM: ['3DES'],
  HIGH: ['ADH', 'AECDH'],
  COMPLEMENTOFALL: ['NULL'],
  ANULL: ['ADH', 'AECDH'],
  ADH: ['ADH'],
  AECDH: ['AECDH'],
  ENULL: ['NULL'],
  NULL: ['NULL'],
  RC4: ['RC4'],
  '3DES': ['3DES'],
  DES: ['DES'],
  MD5: ['MD5'],
  EXP: ['EXPORT'],
  EXPORT: ['EXPORT'],
  EXPORT40: ['EXPORT'],
  EXPORT56: ['EXPORT'],
  LOW: ['DES'],
};

/** What a class name removes after `-` or `!` (including what older OpenSSL releases put in it). */
const REMOVES: Record<string, WeakFamily[]> = {
  ...ADDS,
  ALL: ALL_FAMILIES,
  COMPLEMENTOFALL: ['NULL'],
  MEDIUM: ['3DES', 'RC4'],
  LOW: ['DES', 'EXPORT'],
  HIGH: [],
  SSLV2: ['RC4', 'DES', 'EXPORT', 'MD5'],
};

/** The broken families a single suite name belongs to (OpenSSL or IANA spelling). */
function suiteFamilies(name: string): WeakFamily[] {
  const n = name.toUpperCase();
  const out: WeakFamily[] = [];
  if (n.startsWith('TLS_') || n.startsWith('SSL_')) {
    if (n.includes('_RC4_')) out.push('RC4');
    if (n.includes('_3DES_')) out.push('3DES');
    else if (/_DES(40)?_/.test(n)) out.push('DES');
    if (/_WITH_NULL_/.test(n)) out.push('NULL');
    if (n.includes('_EXPORT')) out.push('EXPORT');
    if (n.endsWith('_MD5')) out.push('MD5');
    if (n.includes('_ANON_')) out.push(n.includes('ECDH') ? 'AECDH' : 'ADH');
    return out;
  }
  const parts = n.split('-');
  if (parts.length < 2) return out;
  if (parts.includes('RC4')) out.push('RC4');
  if (n.includes('DES-CBC3') || parts.includes('3DES')) out.push('3DES');
  else if (parts.includes('DES') || n.includes('DES-CBC-') || parts[0] === 'EXP1024' || /DES40/.test(n)) out.push('DES');
  if (parts.includes('NULL')) out.push('NULL');
  if (parts[0] === 'EXP' || parts[0].startsWith('EXP1024')) out.push('EXPORT');
  if (parts[parts.length - 1] === 'MD5') out.push('MD5');
  if (parts[0] === 'ADH') out.push('ADH');
  if (parts[0] === 'AECDH') out.push('AECDH');
  return out;
}

/** The families an item (without its prefix) adds: a class alone, a suite name, or the families named in an `A+B` combination. */
function itemAdds(item: string): WeakFamily[] {
  const parts = item.split('+').filter(Boolean);
  if (parts.length === 1) return ADDS[parts[0].toUpperCase()] ?? suiteFamilies(parts[0]);
  // In a combination, broad classes (HIGH, ALL…) only narrow; the families named explicitly are what it asks for.
  const named = new Set<WeakFamily>();
  for (const p of parts) {
    const u = p.toUpperCase();
    if (u === 'ALL' || u === 'HIGH' || u === 'MEDIUM' || u === 'COMPLEMENTOFALL') continue;
    for (const f of ADDS[u] ?? suiteFamilies(p)) named.add(f);
  }
  return [...named];
}

function itemRemoves(item: string): WeakFamily[] {
  if (item.includes('+')) return []; // removes only the intersection: not a whole family
  return REMOVES[item.toUpperCase()] ?? [];
}

export interface CipherItem {
  /** Offsets of the item inside the cipher string. */
  start: number;
  end: number;
  text: string;
}

export interface WeakCiphers {
  /** Families the string leaves enabled, with the item that added each (first one). */
  enabled: Map<WeakFamily, CipherItem>;
}

/** The broken families an OpenSSL cipher string leaves enabled. */
export function weakCipherFamilies(cipherString: string): WeakCiphers {
  const added = new Map<WeakFamily, CipherItem>();
  const killed = new Set<WeakFamily>();
  const re = /[^:,\s]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(cipherString))) {
    const raw = m[0];
    const prefix = raw[0];
    if (prefix === '@' || prefix === '+') continue;
    if (prefix === '!' || prefix === '-') {
      for (const f of itemRemoves(raw.slice(1))) {
        added.delete(f);
        if (prefix === '!') killed.add(f);
      }
      continue;
    }
    for (const f of itemAdds(raw)) if (!killed.has(f) && !added.has(f)) added.set(f, { start: m.index, end: m.index + raw.length, text: raw });
  }
  return { enabled: added };
}

/** Mozilla's "intermediate" TLS 1.2 suites: forward secrecy and AEAD only, understood by every client of the last decade. */
export const MODERN_CIPHERS =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384';

/** "RC4, 3DES and anonymous (ADH)": the families for a message, anonymous kinds merged. */
export function describeFamilies(families: WeakFamily[]): string {
  const names: string[] = [];
  for (const f of families) {
    const name = f === 'ADH' || f === 'AECDH' ? 'anonymous (unauthenticated)' : WEAK_FAMILY_NAMES[f];
    if (!names.includes(name)) names.push(name);
  }
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The message both kinds give: what the list enables, why it matters, what to do. */
export function weakCiphersMessage(subject: string, found: WeakCiphers, clientSide: boolean): string {
  const families = [...found.enabled.keys()];
  const items = [...new Set([...found.enabled.values()].map((i) => i.text))].slice(0, 3).join(', ');
  return (
    `${subject} enables ${describeFamilies(families)} cipher suites (through ${items}): they are broken or give no authentication or no encryption at all, ` +
    `so ${clientSide ? 'a client' : 'a connection to the server behind it'} can end up on a suite an attacker can read or impersonate, and TLS scanners and audits fail the host. ` +
    `Exclude them (!aNULL, !eNULL, !RC4, !3DES, !MD5, !EXP) or use a modern list of ECDHE suites with AES-GCM or ChaCha20.`
  );
}
