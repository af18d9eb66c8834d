import { KindModule } from '../kind';
import { Rule, RuleMeta } from '../types';
import { matchesHaproxyName, sniffHaproxy } from './detect';
import { HAPROXY_SYNTAX_ID, HaproxyContext, prepareHaproxy } from './model';
import { httpOnly } from './rules/httpOnly';
import { noHealthCheck, singleServer } from './rules/servers';
import { statsWithoutAuth } from './rules/stats';
import { tcpPlaintext } from './rules/tcpPlaintext';
import { missingTimeouts } from './rules/timeouts';
import { sslWithoutCertificate, weakTls } from './rules/tls';
import { unknownBackend } from './rules/unknownBackend';

export const HAPROXY_SYNTAX: RuleMeta = {
  id: HAPROXY_SYNTAX_ID,
  description: 'The file is HAProxy configuration HAProxy can read (quotes, braces, sections, template leftovers).',
  defaultSeverity: 'error',
  category: 'correctness',
  fixable: false,
};

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
