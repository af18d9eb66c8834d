import { RuleMeta } from '../../types';

/** Parse problems of an HAProxy configuration. It has no check of its own: model.ts reports what the parser finds under this id. */
export const HAPROXY_SYNTAX: RuleMeta = {
  id: 'haproxy/syntax',
  description: 'The file is configuration that HAProxy can read (quotes, braces, sections, template leftovers).',
  defaultSeverity: 'error',
  category: 'correctness',
  fixable: false,
};
