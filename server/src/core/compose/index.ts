import { KindModule } from '../kind';
import { yamlMarks, yamlNesting } from '../nesting';
import { Rule } from '../types';
import { YAML_SYNTAX } from '../yaml/rules/syntax';
import { discoverIn } from '../environments';
import { ComposeContext, matchesComposeName, prepareCompose, prepareComposeEnvironment, sniffCompose, SWARM_STACK } from './model';
import { bindMount } from './rules/bind-mount';
import { dockerSocket } from './rules/docker-socket';
import { privileged } from './rules/privileged';
import { exposedInternalPort } from './rules/exposed-internal-port';
import { httpOnly } from './rules/http-only';
import { ignoredBySwarm } from './rules/ignored-by-swarm';
import { imageTag } from './rules/image-tag';
import { managerPlacement } from './rules/manager-placement';
import { noHealthcheck } from './rules/no-healthcheck';
import { noResourceLimits } from './rules/no-resource-limits';
import { noUpdateConfig } from './rules/no-update-config';
import { plaintextMqtt } from './rules/plaintext-mqtt';
import { restartPolicy } from './rules/restart-policy';
import { composeSchema } from './rules/schema';
import { secretInEnvironment } from './rules/secret-in-environment';
import { singleReplica } from './rules/single-replica';
import { autoUpdate } from './rules/auto-update';
import { dataWithoutVolume } from './rules/data-without-volume';
import { evenQuorum } from './rules/even-quorum';
import { hostNamespaces } from './rules/host-namespaces';
import { ipAddressHost } from './rules/ip-address-host';
import { loggingDisabled } from './rules/logging-disabled';
import { noZoneSpread } from './rules/no-zone-spread';
import { singleNodePlacement } from './rules/single-node-placement';

export const COMPOSE_RULES: Rule<ComposeContext>[] = [
  bindMount,
  dockerSocket,
  privileged,
  hostNamespaces,
  managerPlacement,
  singleReplica,
  singleNodePlacement,
  noZoneSpread,
  evenQuorum,
  dataWithoutVolume,
  httpOnly,
  plaintextMqtt,
  exposedInternalPort,
  imageTag,
  autoUpdate,
  ipAddressHost,
  secretInEnvironment,
  restartPolicy,
  loggingDisabled,
  ignoredBySwarm,
  noHealthcheck,
  noResourceLimits,
  noUpdateConfig,
  composeSchema,
];

export const composeModule: KindModule<ComposeContext> = {
  kind: 'compose',
  label: 'Docker Compose file',
  plural: 'compose files',
  icon: 'layers',
  variants: [{ id: SWARM_STACK, label: 'Docker stack file (Swarm)', plural: 'Swarm stacks' }],
  environmentNames: true,
  scanGlobs: ['**/*.{yml,yaml}'],
  nesting: yamlNesting,
  marks: yamlMarks,
  matchesName: (path) => matchesComposeName(path),
  sniff: sniffCompose,
  prepare: prepareCompose,
  rules: COMPOSE_RULES,
  syntaxRules: [YAML_SYNTAX],
  variantOf: (ctx) => (ctx.swarm ? SWARM_STACK : undefined),
  environments: {
    discover: discoverIn('compose'),
    prepare: prepareComposeEnvironment,
    fileRules: [composeSchema.meta.id],
    sequencesReplace: false,
  },
};
