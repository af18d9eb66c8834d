// Where rule documentation lives, relative to the product root ('/'-separated). A module of its own,
// free of the registry, so the VS Code client links to the pages without bundling the analysis core.

/** The folder of the rule pages: `<folder>/<namespace>/<rule>.md`. */
export const RULE_DOCS_FOLDER = 'docs/rules';

/** The rule's documentation page. */
export function docsPath(id: string): string {
  return `${RULE_DOCS_FOLDER}/${id}.md`;
}
