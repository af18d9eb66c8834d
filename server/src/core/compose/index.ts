import { KindModule } from '../kind';
import { Rule } from '../types';
import { YAML_SYNTAX } from '../yaml/rules/syntax';
import { ComposeContext, matchesComposeName, prepareCompose, sniffCompose, SWARM_STACK } from './model';
import { bindMount } from './rules/bindMount';
import { ignoredBySwarm, managerPlacement, noHealthcheck, noResourceLimits, noUpdateConfig, restartPolicy, singleReplica } from './rules/deploy';
import { dockerSocket } from './rules/dockerSocket';
import { imageTag } from './rules/imageTag';
import { exposedInternalPort, httpOnly, plaintextMqtt } from './rules/ports';
import { composeSchema } from './rules/schema';
import { secretInEnvironment } from './rules/secretInEnvironment';

export const COMPOSE_RULES: Rule<ComposeContext>[] = [
  bindMount,
  dockerSocket,
  managerPlacement,
  singleReplica,
  httpOnly,
  plaintextMqtt,
  exposedInternalPort,
  imageTag,
  secretInEnvironment,
  restartPolicy,
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
  matchesName: (path) => matchesComposeName(path),
  sniff: sniffCompose,
  prepare: prepareCompose,
  rules: COMPOSE_RULES,
  syntaxRules: [YAML_SYNTAX],
  variantOf: (ctx) => (ctx.swarm ? SWARM_STACK : undefined),
};
