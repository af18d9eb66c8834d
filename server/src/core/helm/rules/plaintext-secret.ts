import { isMap, isScalar, isSeq, Node } from 'yaml';
import { Rule } from '../../types';
import { scalarText, spanOf } from '../../yaml/nav';
import { entriesWithKey, ValuesMap } from '../components';
import { keyWords } from '../keys';
import { HelmContext } from '../model';
import { isTemplate } from '../values';

/** Words that end a key holding a secret value itself. */
const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'passcode', 'token', 'bindpw', 'apikey']);
/** `<x>Secret` holds a secret value only for these x; `tlsSecret`, `envFromSecret`, `imagePullSecret` name Secret objects. */
const SECRET_VALUE_PREFIX = new Set(['jwt', 'client', 'cookie', 'session', 'shared', 'signing', 'encryption', 'hmac', 'webhook', 'github', 'gitlab', 'bitbucket', 'oauth', 'oidc', 'csrf', 'app', 'api', 'master', 'erlang']);
/** `<x>Key` holds a secret value for these x (`apiKey`, `secretKey`, `accessKey`); `passwordKey` names a key in a Secret. */
const KEY_VALUE_PREFIX = new Set(['api', 'access', 'secret', 'private', 'master', 'encryption', 'license', 'signing', 'auth', 'erlang']);

/** Cheap pre-check: every secret key contains one of these. */
const MAYBE_SECRET = /pass|pwd|pw$|token|secret|key|cookie/i;
/** The keys this rule reads: secret-looking ones and environment lists. */
const RELEVANT_KEY = /pass|pwd|pw$|token|secret|key|cookie|env/i;

/** Whether a values key holds a secret value (rather than the name of a Secret, a path, a switch…). */
export function isSecretKey(key: string): boolean {
  if (!MAYBE_SECRET.test(key)) return false;
  const words = keyWords(key);
  // `existing…` names a Secret; etcd's `initialClusterToken` only tells clusters apart, it grants nothing.
  if (words.length === 0 || words[0] === 'existing' || words.includes('initial')) return false;
  const last = words[words.length - 1];
  const before = words[words.length - 2];
  if (SECRET_WORDS.has(last)) return true;
  if (last === 'cookie') return before === 'erlang';
  if (last === 'secret') return words.length === 1 ? false : SECRET_VALUE_PREFIX.has(before);
  if (last === 'key' && before !== undefined) return KEY_VALUE_PREFIX.has(before) && !words.slice(0, -2).some((w) => w === 'password' || w === 'token');
  return false;
}

/** A literal secret: not empty, not a template, not a reference resolved elsewhere (helm-secrets, vals, sops). */
export function isLiteralSecret(node: unknown): boolean {
  if (!isScalar(node) || typeof node.value === 'boolean' || node.value === null) return false;
  const text = scalarText(node)?.trim();
  if (!text || isTemplate(text)) return false;
  if (/^(\$\{|\$\(|ref\+|vault:|ENC\[|secretref|sm:\/\/|arn:aws:secretsmanager|awssm|gcpsm|azkv)/i.test(text)) return false;
  // A path to a mounted secret file, or a placeholder that tells the reader to fill it in.
  if (text.startsWith('/') || /^<[^>]*>$/.test(text)) return false;
  return true;
}

export const plaintextSecret: Rule<HelmContext> = {
  meta: {
    id: 'helm/plaintext-secret',
    description: 'Passwords, tokens and keys are not written as literal values; they come from an existing Secret.',
    defaultSeverity: 'warning',
    category: 'secrets',
    fixable: false,
  },
  check(ctx, report) {
    for (const { at: m, entry: e } of entriesWithKey(ctx.model, RELEVANT_KEY)) {
      // A switched-off section (Vault's dev mode and its well-known dev token) is never deployed;
      // a merged value is reported where it is written, once.
      if (!m.active || e.inherited) continue;
      const view = m.document.view;
      // Next to `secretName:`, `secretKey: license` is the key inside that Secret, not a credential.
      if (/Key$/.test(e.key) && m.entries.some((x) => /^(secretName|existingSecret[A-Za-z]*)$/.test(x.key))) continue;
      if (isSecretKey(e.key) && isLiteralSecret(e.value)) {
        report({ span: spanOf(e.value), message: message(e.key, m) });
      }
      // `env: [{name: DB_PASSWORD, value: …}]`
      if (isSeq(e.value) && /env/i.test(e.key)) {
        for (const item of view.items(e.value)) {
          if (!isMap(item)) continue;
          const name = scalarText(view.get(item, 'name')?.value);
          const value = view.get(item, 'value')?.value;
          if (name && isSecretKey(name) && isLiteralSecret(value)) report({ span: spanOf(value as Node), message: message(name, m) });
        }
      }
    }
  },
};

function message(key: string, m: ValuesMap): string {
  const offered = existingSecretKey(m);
  const instead = offered
    ? `Put it in a Kubernetes Secret (created by your secret manager, e.g. External Secrets or Sealed Secrets) and reference it with ${offered}.`
    : `Keep it in a Kubernetes Secret managed outside the values (External Secrets, Sealed Secrets, helm-secrets) and reference that Secret instead.`;
  return `${key} is a literal secret in the values: it ends up in version control, in CI logs and in the Helm release record, which anyone who can read Secrets in the namespace can decode (helm get values). ${instead}`;
}

/** `existingSecret` (or `existingSecretName`…) offered next to the value or one or two levels up. */
function existingSecretKey(m: ValuesMap): string | undefined {
  for (let p: ValuesMap | undefined = m, hops = 0; p && hops < 3; p = p.parent, hops++) {
    const found = p.entries.find((e) => /^existing[A-Za-z]*Secret(Name)?$/.test(e.key));
    if (found) return [...p.path, found.key].join('.');
  }
  return undefined;
}
