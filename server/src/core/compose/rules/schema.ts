import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import schema from '../../../../../schemas/compose.schema.json';
import { Rule } from '../../types';
import { conversionMessage, firstLineOf, limitsFor, schemaReports, yamlToJs } from '../../yaml/schema';
import { ComposeContext } from '../model';

const CONSEQUENCE = 'docker compose and docker stack deploy reject a file that breaks the Compose format, so nothing gets deployed.';

let validator: ValidateFunction | undefined;

/** Compiled on first use and kept: the schema ships with prodready and never changes at run time. */
function composeValidator(): ValidateFunction {
  if (!validator) {
    // The schema is checked against the meta-schema (strict mode) by a unit test, not on every start;
    // messages come from prodready, not ajv. No loadSchema: nothing is ever fetched.
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, validateSchema: false, messages: false, inlineRefs: false, logger: false });
    validator = ajv.compile(schema as object);
  }
  return validator;
}

const INTEGER = /^\s*[+-]?\d+\s*$/;
const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
// The words compose's casts accept for booleans, in any case.
const BOOLEAN = /^\s*(y|yes|true|on|n|no|false|off)\s*$/i;

/**
 * Compose interpolates `${VAR}` and then casts strings at typed fields (`replicas: "3"`,
 * `read_only: "yes"`), before validating. A value with a variable in it cannot be judged here at
 * all, and a string the cast turns into the right type is fine.
 */
export function interpolatedOrCast(e: ErrorObject): boolean {
  const data = e.data;
  if (typeof data !== 'string') return false;
  if (data.includes('$')) return true;
  if (e.keyword !== 'type') return false;
  const types = Array.isArray(e.params.type) ? e.params.type : String(e.params.type).split(',');
  return (
    (types.includes('integer') && INTEGER.test(data)) ||
    (types.includes('number') && NUMBER.test(data)) ||
    (types.includes('boolean') && BOOLEAN.test(data))
  );
}

/** The date of the Compose Specification the bundled schema follows, as its `$comment` records it. */
export const SCHEMA_AS_OF = /Specification as of (\d{4}-\d{2}-\d{2})/.exec((schema as { $comment?: string }).$comment ?? '')?.[1] ?? 'an unknown date';
const MAYBE_NEWER = `It may be newer than prodready's bundled Compose schema (the Compose Specification as of ${SCHEMA_AS_OF}): if your docker compose release documents it, suppress this finding.`;

const definitions = (schema as { definitions: Record<string, { properties?: Record<string, unknown> }> }).definitions;
const DEPLOY_KEYS = new Set(Object.keys(definitions.deploy.properties ?? {}));
const SERVICE_KEYS = new Set(Object.keys(definitions.service.properties ?? {}));

/** Keys that are valid, just one level off: the most common reason for an "unknown key". */
function misplacedKey(parentPath: string[], key: string): string | undefined {
  if (parentPath.length === 2 && parentPath[0] === 'services' && DEPLOY_KEYS.has(key)) return ` ("${key}" belongs under deploy:)`;
  if (parentPath.length === 0 && SERVICE_KEYS.has(key)) return ` ("${key}" is a service setting and belongs under services.<name>:)`;
  return undefined;
}

export const composeSchema: Rule<ComposeContext> = {
  meta: {
    id: 'compose/schema',
    description: 'The file follows the Compose file format: known keys only, and values of the right shape.',
    defaultSeverity: 'error',
    category: 'correctness',
    fixable: true,
  },
  check(ctx, report) {
    const limits = limitsFor(ctx.text);
    for (const d of ctx.documents) {
      // A document with syntax errors is half-read; yaml/syntax says what is wrong with it.
      if (d.doc.errors.length) continue;
      const converted = yamlToJs(d.view, d.root, limits);
      if (!converted.ok) {
        report({ span: firstLineOf(ctx.text, d.root), severity: 'warning', message: conversionMessage(converted.problem, 'Compose schema') });
        continue;
      }
      const validate = composeValidator();
      if (validate(converted.value)) continue;
      const reports = schemaReports(validate.errors, {
        view: d.view,
        root: d.root,
        consequence: CONSEQUENCE,
        lenient: interpolatedOrCast,
        useDescriptions: true,
        misplacedKey,
        maybeNewer: MAYBE_NEWER,
      });
      reports.forEach(report);
    }
  },
};
