import { KindModule } from '../kind';
import { yamlMarks, yamlNesting } from '../nesting';
import { Rule } from '../types';
import { YAML_SYNTAX } from '../yaml/rules/syntax';
import { discoverIn } from '../environments';
import { isSubchartFile } from './chart';
import { HelmContext, matchesHelmName, prepareHelm, prepareHelmEnvironment } from './model';
import { debugEnabled } from './rules/debug-enabled';
import { imageTag } from './rules/image-tag';
import { ingressWithoutTls } from './rules/ingress-without-tls';
import { ipAddressHost } from './rules/ip-address-host';
import { noDisruptionBudget } from './rules/no-disruption-budget';
import { noResources } from './rules/no-resources';
import { noSpread } from './rules/no-spread';
import { persistenceDisabled } from './rules/persistence-disabled';
import { plaintextSecret } from './rules/plaintext-secret';
import { probesDisabled } from './rules/probes-disabled';
import { helmSchema } from './rules/schema';
import { singleReplica } from './rules/single-replica';
import { standaloneArchitecture } from './rules/standalone-architecture';
import { tlsDisabled } from './rules/tls-disabled';
import { restartPolicy } from './rules/restart-policy';
import { recreateStrategy } from './rules/recreate-strategy';
import { backupDisabled } from './rules/backup-disabled';
import { bucketVersioningDisabled } from './rules/bucket-versioning-disabled';
import { metricsDisabled } from './rules/metrics-disabled';
import { evenQuorum } from './rules/even-quorum';
import { exposedInternalPort } from './rules/exposed-internal-port';
import { nodePort } from './rules/node-port';
import { networkPolicyDisabled } from './rules/network-policy-disabled';
import { privilegedContainer } from './rules/privileged-container';
import { runAsRoot } from './rules/run-as-root';
import { hostAccess } from './rules/host-access';
import { pdbBlocksDrain } from './rules/pdb-blocks-drain';
import { controlPlaneScheduling } from './rules/control-plane-scheduling';
import { ingressTlsWithoutCertificate } from './rules/ingress-tls-without-certificate';

export const HELM_RULES: Rule<HelmContext>[] = [
  singleReplica,
  standaloneArchitecture,
  ingressWithoutTls,
  tlsDisabled,
  imageTag,
  noResources,
  probesDisabled,
  noDisruptionBudget,
  noSpread,
  persistenceDisabled,
  plaintextSecret,
  debugEnabled,
  ipAddressHost,
  privilegedContainer,
  runAsRoot,
  hostAccess,
  pdbBlocksDrain,
  controlPlaneScheduling,
  ingressTlsWithoutCertificate,
  exposedInternalPort,
  nodePort,
  networkPolicyDisabled,
  restartPolicy,
  recreateStrategy,
  backupDisabled,
  bucketVersioningDisabled,
  metricsDisabled,
  evenQuorum,
  helmSchema,
];

export const helmModule: KindModule<HelmContext> = {
  kind: 'helm-values',
  label: 'Helm values',
  plural: 'Helm values files',
  icon: 'package',
  environmentNames: true,
  scanGlobs: ['**/*.{yml,yaml}'],
  // A values file is one only next to a Chart.yaml; the schema decides helm/schema.
  dependencyGlobs: ['**/Chart.yaml', '**/values.schema.json'],
  nesting: yamlNesting,
  marks: yamlMarks,
  matchesName: matchesHelmName,
  isDependency: isSubchartFile,
  // No content signal is safe enough: values files share their shape with every other YAML config.
  sniff: () => false,
  prepare: (base) => prepareHelm(base),
  rules: HELM_RULES,
  syntaxRules: [YAML_SYNTAX],
  environments: {
    discover: discoverIn('helm'),
    prepare: prepareHelmEnvironment,
    fileRules: [],
    // values.schema.json is checked on the merged values, as Helm does; findings stay where the value is written.
    valueRules: [helmSchema.meta.id],
    sequencesReplace: true,
  },
};
