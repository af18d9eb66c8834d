import { RuleMeta } from '../../types';

/** Parse problems of an NGINX configuration. It has no check of its own: model.ts reports what the parser finds under this id. */
export const NGINX_SYNTAX: RuleMeta = {
  id: 'nginx/syntax',
  description: 'The file is valid NGINX syntax (NGINX refuses to load a configuration with errors; rules still run on what parsed).',
  defaultSeverity: 'error',
  category: 'correctness',
  fixable: false,
};
