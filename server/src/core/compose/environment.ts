// Environment variables of a service, in both Compose syntaxes:
//   map:  environment: { DB_HOST: db, DEBUG: "false" }
//   list: environment: [ "DB_HOST=db", "DEBUG=false" ]

import { isMap, isScalar, isSeq, Node } from 'yaml';
import { scalarText } from '../yaml/nav';
import { Service } from './model';

export interface Variable {
  name: string;
  value: string;
  /** The node holding the value: the map value, or the whole `NAME=value` list item. */
  node: Node;
}

export function environmentOf(s: Service): Variable[] {
  const view = s.document.view;
  const env = view.get(s.map, 'environment')?.value;
  const out: Variable[] = [];
  if (isMap(env)) {
    for (const e of view.entries(env)) {
      const value = scalarText(e.value);
      if (value !== undefined && e.value) out.push({ name: e.key, value, node: e.value });
    }
  } else if (isSeq(env)) {
    for (const item of view.items(env)) {
      const text = isScalar(item) ? scalarText(item) : undefined;
      const eq = text?.indexOf('=') ?? -1;
      if (text !== undefined && eq > 0) out.push({ name: text.slice(0, eq), value: text.slice(eq + 1), node: item });
    }
  }
  return out;
}

/** A service's `command:` (string or list) as one string, for spotting flags. */
export function commandText(s: Service): string {
  const view = s.document.view;
  const command = view.get(s.map, 'command')?.value;
  const seq = view.seq(command);
  return seq ? view.items(seq).map((n) => scalarText(n) ?? '').join(' ') : (scalarText(command) ?? '');
}
