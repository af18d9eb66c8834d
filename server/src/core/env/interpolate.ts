// Compose interpolation (`${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
// `${VAR:+alternative}`, `${VAR+alternative}`, `$VAR`, `$$`), evaluated from the variables of the
// project's `.env` file only, never from the process environment: the machine prodready runs on is
// not the one that deploys.
//
// A variable the `.env` file does not define is *unset* as far as the files tell. The forms that say
// what happens then are evaluated by it (`${TAG:-latest}` is `latest`, `${FLAG:+--debug}` is empty):
// that is what the author wrote production gets unless the deploy sets more. The forms that say
// nothing (`${VAR}`, `$VAR`, `${VAR?error}`) make the value unknown, and so does a variable the `.env`
// file names without a value (`KEY` alone: taken from the deploy's environment). Rules must not build
// a finding on an unknown value.

/** Variable → value; undefined for a variable declared with its value left to the deploy environment. */
export type Variables = ReadonlyMap<string, string | undefined>;

export type Interpolation =
  | { known: true; value: string }
  | {
      known: false;
      /** The variables the value depends on and the files do not give. */
      unknown: string[];
      /** `${VAR:?message}` that would stop the deploy, and malformed expressions. */
      errors: string[];
    };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

interface State {
  unknown: Set<string>;
  errors: string[];
}

export function interpolate(text: string, variables: Variables): Interpolation {
  if (!text.includes('$')) return { known: true, value: text };
  const state: State = { unknown: new Set(), errors: [] };
  const value = expand(text, variables, state, 0);
  if (state.unknown.size || state.errors.length) return { known: false, unknown: [...state.unknown], errors: state.errors };
  return { known: true, value };
}

/** Where the `}` closing the `${` at `open` is, skipping nested `${…}`; -1 when there is none. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function expand(text: string, variables: Variables, state: State, depth: number): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar === -1) return out + text.slice(i);
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const close = closingBrace(text, dollar);
      if (close === -1 || depth > 8) {
        state.errors.push(`invalid interpolation: ${text.slice(dollar)}`);
        return out;
      }
      out += braced(text.slice(dollar + 2, close), variables, state, depth);
      i = close + 1;
    } else {
      const name = NAME.exec(text.slice(dollar + 1))?.[0];
      if (!name) {
        // Compose rejects a `$` that starts no expression; `$$` writes a literal one.
        state.errors.push(`invalid interpolation: ${text.slice(dollar, dollar + 2)}`);
        return out;
      }
      out += lookup(name, variables, state);
      i = dollar + 1 + name.length;
    }
  }
  return out;
}

function lookup(name: string, variables: Variables, state: State): string {
  const v = variables.get(name);
  if (v === undefined) state.unknown.add(name);
  return v ?? '';
}

function braced(body: string, variables: Variables, state: State, depth: number): string {
  const name = NAME.exec(body)?.[0];
  if (!name) {
    state.errors.push(`invalid interpolation: \${${body}}`);
    return '';
  }
  const rest = body.slice(name.length);
  if (rest === '') return lookup(name, variables, state);
  const op = /^(:?[-?+])/.exec(rest)?.[1];
  if (!op) {
    state.errors.push(`invalid interpolation: \${${body}}`);
    return '';
  }
  const word = () => expand(rest.slice(op.length), variables, state, depth + 1);
  const declared = variables.has(name);
  const value = variables.get(name);
  // Declared with no value: the deploy environment decides, whichever form this is.
  if (declared && value === undefined) {
    state.unknown.add(name);
    return '';
  }
  const set = value !== undefined;
  const usable = op.startsWith(':') ? set && value !== '' : set;
  switch (op[op.length - 1]) {
    case '-':
      return usable ? value! : word();
    case '+':
      return usable ? word() : '';
    default:
      if (usable) return value!;
      // Unset or empty here means the deploy must provide it, or stops with this message.
      state.unknown.add(name);
      state.errors.push(`${name}: ${word() || 'required variable is not set'}`);
      return '';
  }
}
