import { RuleMeta } from '../../types';

/**
 * Parse problems of a YAML file, whichever kind reads it (compose and Helm values both register it).
 * It has no check of its own: parse.ts reports what the parser finds under this id.
 */
export const YAML_SYNTAX: RuleMeta = {
  id: 'yaml/syntax',
  description: 'The file is valid YAML (errors stop tools from reading it; rules still run on what parsed).',
  defaultSeverity: 'error',
  category: 'correctness',
  fixable: false,
};
