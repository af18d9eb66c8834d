import { KindModule } from '../kind';
import { Rule } from '../types';
import { matchesHaproxyName, sniffHaproxy } from './detect';
import { HaproxyContext, prepareHaproxy } from './model';
import { exposedInternalPort } from './rules/exposed-internal-port';
import { httpOnly } from './rules/http-only';
import { missingTimeouts } from './rules/missing-timeouts';
import { noHealthCheck } from './rules/no-health-check';
import { noHsts } from './rules/no-hsts';
import { noHttpRequestTimeout } from './rules/no-http-request-timeout';
import { noLogging } from './rules/no-logging';
import { noMaxconn } from './rules/no-maxconn';
import { singleServer } from './rules/single-server';
import { sslWithoutCertificate } from './rules/ssl-without-certificate';
import { statsWithoutAuth } from './rules/stats-without-auth';
import { HAPROXY_SYNTAX } from './rules/syntax';
import { tcpPlaintext } from './rules/tcp-plaintext';
import { unknownBackend } from './rules/unknown-backend';
import { weakCiphers } from './rules/weak-ciphers';
import { weakTls } from './rules/weak-tls';

export const HAPROXY_RULES: Rule<HaproxyContext>[] = [
  httpOnly,
  tcpPlaintext,
  sslWithoutCertificate,
  weakTls,
  singleServer,
  noHealthCheck,
  missingTimeouts,
  statsWithoutAuth,
  unknownBackend,
  weakCiphers,
  noHsts,
  noHttpRequestTimeout,
  exposedInternalPort,
  noMaxconn,
  noLogging,
];

export const haproxyModule: KindModule<HaproxyContext> = {
  kind: 'haproxy',
  label: 'HAProxy configuration',
  plural: 'HAProxy configurations',
  icon: 'type-hierarchy',
  scanGlobs: ['**/*.{cfg,haproxy}'],
  matchesName: (path) => matchesHaproxyName(path),
  sniff: sniffHaproxy,
  prepare: (base) => prepareHaproxy(base),
  rules: HAPROXY_RULES,
  syntaxRules: [HAPROXY_SYNTAX],
};
