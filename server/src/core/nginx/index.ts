import { KindModule } from '../kind';
import { Rule } from '../types';
import { matchesNginxName, sniffNginx } from './detect';
import { NginxContext, prepareNginx } from './model';
import { nginxNesting } from './parse';
import { deprecatedSslOn } from './rules/deprecated-ssl-on';
import { exposedInternalPort } from './rules/exposed-internal-port';
import { httpOnly } from './rules/http-only';
import { ipAddressHost } from './rules/ip-address-host';
import { noHsts } from './rules/no-hsts';
import { passiveHealthCheckDisabled } from './rules/passive-health-check-disabled';
import { serverTokens } from './rules/server-tokens';
import { singleUpstreamServer } from './rules/single-upstream-server';
import { sslWithoutCertificate } from './rules/ssl-without-certificate';
import { staticDnsResolution } from './rules/static-dns-resolution';
import { statusWithoutRestriction } from './rules/status-without-restriction';
import { streamPlaintext } from './rules/stream-plaintext';
import { NGINX_SYNTAX } from './rules/syntax';
import { weakCiphers } from './rules/weak-ciphers';
import { weakTlsProtocols } from './rules/weak-tls-protocols';

export const NGINX_RULES: Rule<NginxContext>[] = [
  httpOnly,
  streamPlaintext,
  sslWithoutCertificate,
  weakTlsProtocols,
  deprecatedSslOn,
  singleUpstreamServer,
  serverTokens,
  noHsts,
  weakCiphers,
  statusWithoutRestriction,
  staticDnsResolution,
  passiveHealthCheckDisabled,
  exposedInternalPort,
  ipAddressHost,
];

export const nginxModule: KindModule<NginxContext> = {
  kind: 'nginx',
  label: 'NGINX configuration',
  plural: 'NGINX configurations',
  icon: 'globe',
  scanGlobs: ['**/*.{conf,nginx}', '**/sites-{available,enabled}/*'],
  nesting: nginxNesting,
  matchesName: (path) => matchesNginxName(path),
  sniff: sniffNginx,
  prepare: (base) => prepareNginx(base),
  rules: NGINX_RULES,
  syntaxRules: [NGINX_SYNTAX],
};
