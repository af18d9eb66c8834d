import { Rule } from '../../types';
import { spanOf } from '../../yaml/nav';
import { environmentOf } from '../environment';
import { ComposeContext } from '../model';

const SECRET_NAME = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CLIENT_?KEY|CREDENTIALS?|AUTH_?KEY)/i;
// Names that mention a secret but hold something else: a path to it, its length, its lifetime.
const NOT_A_SECRET = /(_FILE|_PATH|_DIR|_LENGTH|_LEN|_TTL|_EXPIRY|_EXPIRES|_EXPIRATION|_LIFETIME|_TIMEOUT|_HEADER|_NAME|_ENABLED|_REQUIRED|_POLICY|_ID)$/i;
// Identifiers that merely contain the word: etcd's initial cluster token names a cluster, it grants nothing.
const KNOWN_NON_SECRETS = new Set(['ETCD_INITIAL_CLUSTER_TOKEN']);

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_A_SECRET.test(name) && !KNOWN_NON_SECRETS.has(name.toUpperCase());
}

/** A literal value: not empty, not an interpolation of the deploy environment, not a boolean switch. */
export function isLiteralSecretValue(value: string): boolean {
  const v = value.trim();
  if (v === '' || v.includes('${') || /^\$[A-Za-z_]/.test(v)) return false;
  if (/^(true|false|yes|no|on|off|null)$/i.test(v)) return false;
  return !v.startsWith('/run/secrets/');
}

export const secretInEnvironment: Rule<ComposeContext> = {
  meta: {
    id: 'compose/secret-in-environment',
    description: 'Passwords, tokens and keys are not written as literal values in `environment:`.',
    defaultSeverity: 'warning',
    category: 'secrets',
    fixable: false,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const found = environmentOf(s)
        .filter((v) => looksSecret(v.name) && isLiteralSecretValue(v.value))
        .map((v) => ({ name: v.name, span: spanOf(v.node) }));
      for (const f of found) {
        report({
          span: f.span,
          message: `${f.name} in service "${s.name}" is a literal secret: anyone who can run \`docker inspect\` on a node reads it, and it sits in version control. Use a Docker secret (mounted under /run/secrets) with the image's ${f.name}_FILE variable where it has one.`,
        });
      }
    }
  },
};
