// How deeply a text nests, measured in one linear pass before any recursive parser or walk sees it.
// The `yaml` parser, our node walks and NGINX's block parser recurse once per level; a few thousand
// levels exhaust the stack, and V8 aborts the whole process (no try/catch helps) when it must compile a
// regular expression right at the limit. Real configurations nest a few dozen levels at most, so a
// file beyond MAX_NESTING is reported and not parsed at all.

/** Deeper than this, a file is not analysed (its syntax rule says so). Real configs stay far below. */
export const MAX_NESTING = 200;

/**
 * YAML: the deepest point of block nesting (indentation levels, with each `- ` or `? ` of a compact
 * entry such as `- - - x` counting as a level) plus flow nesting (`[`/`{` outside quotes and comments).
 * An upper bound of what a parser's recursion will see; exact for the usual shapes.
 */
export function yamlNesting(text: string): number {
  let deepest = 0;
  // Indentation columns of the open block levels, innermost last.
  const indents: number[] = [];
  let flow = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // Start of a line.
    const col = indentation(text, i);
    i += col;
    if (i >= n) break;
    const c = text[i];
    if (c === '\n' || c === '\r' || (c === '#' && flow === 0)) {
      i = skipLine(text, i);
      continue;
    }
    // The parser leaves a flow collection on a line indented no more than the block line it opened on
    // (an error it recovers from), except for the closing bracket of the outermost collection there.
    if (flow > 0 && col <= (indents[indents.length - 1] ?? 0) && !(flow === 1 && (c === ']' || c === '}'))) flow = 0;
    if (flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1] >= col) indents.pop();
      indents.push(col);
    }
    // Compact nested entries on one line: `- - - x`, `- ? x`. Counted inside flow collections too: the
    // parser leaves a flow collection on a line indented too little (or after a quoted scalar that spans
    // lines, which this scan does not follow), and no real flow line starts with such a chain.
    let j = i;
    let compact = 0;
    while (j + 1 < n && (text[j] === '-' || text[j] === '?' || text[j] === ':') && (text[j + 1] === ' ' || text[j + 1] === '\t')) {
      j += 2;
      while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
      if (flow === 0) indents.push(col + (j - i));
      else compact++;
    }
    deepest = Math.max(deepest, indents.length + flow + compact);
    // The rest of the line: flow brackets outside quotes and comments.
    const lineStart = i - col;
    let keys = 0;
    // Inside a flow collection, `{a: b: c: …}`: each key after the first in one entry (no `,` or bracket
    // between) nests the parser's recovery one level deeper, like the block form below.
    let flowKeys = 0;
    let quote = '';
    for (; i < n && text[i] !== '\n'; i++) {
      const ch = text[i];
      if (quote) {
        if (ch === '\\' && quote === '"') i++;
        else if (ch === quote) quote = '';
        continue;
      }
      if (ch === '"' || (ch === "'" && isTokenStart(text, i))) quote = ch;
      else if (ch === ':' && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
        // `a: b: c: …` on one line: the parser's recovery opens a block map per key after the first.
        if (flow > 0) {
          if (flowKeys++ > 0) deepest = Math.max(deepest, indents.length + flow + flowKeys - 1);
        } else if (keys++ > 0) indents.push(i - lineStart);
      } else if (ch === ',') flowKeys = 0;
      else if (ch === '#' && (i === 0 || /[ \t\r\n]/.test(text[i - 1]))) {
        // A comment runs to the end of the line.
        const nl = text.indexOf('\n', i);
        i = nl === -1 ? n : nl;
        break;
      } else if ((ch === '[' || ch === '{') && (flow > 0 || isFlowStart(text, i))) {
        // In block context a bracket inside a plain scalar (`${VAR}`) is text, not a flow collection.
        flow++;
        flowKeys = 0;
        deepest = Math.max(deepest, indents.length + flow);
      } else if ((ch === ']' || ch === '}') && flow > 0) {
        flow--;
        flowKeys = 0;
      }
    }
    deepest = Math.max(deepest, indents.length + flow);
    if (i < n) i++;
  }
  return deepest;
}

/**
 * `{`-blocks (NGINX): the deepest point of braces outside quotes and comments. A block whose body is
 * another language's code (OpenResty's `*_by_lua_block`) counts as one level: `rawBody`, given the
 * statement's start and its `{`, returns the offset of the body's closing `}` (or the text's end), and
 * the braces in between are not NGINX's.
 */
export function braceNesting(text: string, rawBody?: (statementStart: number, open: number) => number | undefined): number {
  let depth = 0;
  let deepest = 0;
  let quote = '';
  // Where the current statement (directive or block header) starts: after the last `;`, `{` or `}`.
  let statement = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') i = skipLine(text, i) - 1;
    else if (ch === '{') {
      deepest = Math.max(deepest, depth + 1);
      const close = rawBody?.(statement, i);
      if (close === undefined) depth++;
      else i = close;
      statement = i + 1;
    } else if (ch === '}') {
      if (depth > 0) depth--;
      statement = i + 1;
    } else if (ch === ';') statement = i + 1;
  }
  return deepest;
}

/** The spaces and tabs at `i` (the start of a line): how many. */
function indentation(text: string, i: number): number {
  let j = i;
  while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
  return j - i;
}

function skipLine(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl === -1 ? text.length : nl + 1;
}

/** In block context, `[` and `{` open a flow collection only where a token starts (`${VAR}` is plain text). */
function isFlowStart(text: string, i: number): boolean {
  const prev = i > 0 ? text[i - 1] : '\n';
  return prev === ' ' || prev === '\t' || prev === '\n' || prev === '\r' || prev === ':' || prev === '-' || prev === ',';
}

/** A single quote opens a YAML string only at the start of a token (`it's` is plain text). */
function isTokenStart(text: string, i: number): boolean {
  const prev = i > 0 ? text[i - 1] : '\n';
  return prev === ' ' || prev === '\t' || prev === '\n' || prev === '[' || prev === '{' || prev === ',' || prev === ':';
}

/**
 * Beyond this many node marks (see yamlMarks) a YAML file is not parsed. The `yaml` parser spends far
 * more per mark than per ordinary byte when they come in droves (each extra anchor or alias on a node is
 * a syntax error with its own object, each stray bracket another): a 1 MB line of `&a ` took 17 s and
 * 570 MB, 500 KB of `{} ` 25 s. Measured on the 2-core CI machine, 100,000 marks of the costliest kinds
 * parse in about 3 s; real files have at most a few thousand (the largest in the corpus under 1,000;
 * see docs/rules/yaml/syntax.md).
 */
export const MAX_YAML_MARKS = 100_000;

/**
 * YAML: the anchors, aliases and tags (`&a`, `*a`, `!t` where a token starts) and flow brackets outside
 * comments, quoted scalars on one line and block scalars (`|`, `>`: embedded JSON costs the parser
 * nothing). One linear pass; an upper bound for the unusual shapes it does not follow.
 */
export function yamlMarks(text: string): number {
  let marks = 0;
  // Indentation of the line that opened a block scalar, while its content lines are skipped.
  let blockScalarParent = -1;
  for (let lineStart = 0, next = 0; lineStart < text.length; lineStart = next) {
    next = skipLine(text, lineStart);
    const col = indentation(text, lineStart);
    let i = lineStart + col;
    const blank = i >= next || text[i] === '\n' || text[i] === '\r';
    if (blockScalarParent >= 0 && (blank || col > blockScalarParent)) continue;
    blockScalarParent = -1;
    let quote = '';
    // The last token of the line outside a comment: [lastStart, lastEnd).
    let lastStart = i;
    let lastEnd = i;
    for (; i < next && text[i] !== '\n'; i++) {
      const ch = text[i];
      if (quote) {
        if (ch === '\\' && quote === '"') i++;
        else if (ch === quote) quote = '';
        lastEnd = i + 1;
        continue;
      }
      if (ch === ' ' || ch === '\t' || ch === '\r') continue;
      if (ch === '#' && /[ \t\r\n]/.test(text[i - 1] ?? ' ')) break;
      const start = isTokenStart(text, i);
      if (start) lastStart = i;
      lastEnd = i + 1;
      if (ch === '"' || (ch === "'" && start)) quote = ch;
      else if ((ch === '&' || ch === '*' || ch === '!') && start) marks++;
      else if (ch === '[' || ch === ']' || ch === '{' || ch === '}') marks++;
    }
    // `key: |`, `- >-`, `|2+`: the following more-indented lines are the scalar's content.
    if (/^[|>][-+0-9]{0,2}$/.test(text.slice(lastStart, lastEnd))) blockScalarParent = col;
  }
  return marks;
}
