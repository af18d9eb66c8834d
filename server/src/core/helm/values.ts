// Small readings of values that several helm rules share (literal numbers and switches, never a
// `{{ template }}` or the tri-state `"-"`), and the minimal edits of a single value.

import { isMap, isScalar, isSeq, Scalar } from 'yaml';
import { Fix } from '../types';
import { scalarSource } from '../yaml/edit';
import { Entry, isFalse, scalarText } from '../yaml/nav';
import { editableEntry } from './components';

/** A literal non-negative integer (`3`, `"3"`); undefined for templates, ranges, maps. */
export function intValue(node: unknown): number | undefined {
  const text = scalarText(node);
  if (text === undefined || !/^\d{1,6}$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

export function isTemplate(text: string): boolean {
  return text.includes('{{');
}

/** A non-empty value: a non-empty collection, a non-empty string other than "none", true. */
export function isMeaningful(node: unknown): boolean {
  if (node === undefined || node === null) return false;
  if (isMap(node) || isSeq(node)) return node.items.length > 0;
  if (!isScalar(node)) return false;
  if (node.value === null || node.value === false) return false;
  if (isFalse(node)) return false;
  const text = scalarText(node)?.trim().toLowerCase();
  return text !== undefined && text !== '' && text !== 'none' && text !== '{}' && text !== '[]';
}

/** Fix: rewrite a scalar in place, keeping its quoting; none when the value is merged in or aliased. */
export function replaceScalarFix(entry: Entry | undefined, newValue: string, title: string): Fix[] {
  if (!entry || !editableEntry(entry) || !isScalar(entry.value) || !entry.value.range) return [];
  const node = entry.value as Scalar;
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') return [];
  const [start, end] = node.range!;
  // A plain `1` becomes a plain `2` (scalarSource would quote a number to keep it a string).
  const plain = node.type === 'PLAIN' && /^(\d+|[A-Za-z][\w-]*)$/.test(newValue) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(newValue);
  return [{ title, preferred: true, changes: [{ start, end, newText: plain ? newValue : scalarSource(newValue, node) }] }];
}

/** `false` → `true` (or `no` → `yes`, `False` → `True`), in the author's spelling. */
export function flipSwitchFix(entry: Entry | undefined, title: string, to: boolean): Fix[] {
  if (!entry || !editableEntry(entry) || !isScalar(entry.value) || !entry.value.range) return [];
  const node = entry.value;
  // Only plain scalars are switches; a quoted "false" is a string the chart compares as text.
  if (node.type !== 'PLAIN' || typeof node.source !== 'string') return [];
  const source = node.source;
  const pairs: [string, string][] = [
    ['false', 'true'],
    ['no', 'yes'],
    ['off', 'on'],
  ];
  for (const [off, on] of pairs) {
    const from = to ? off : on;
    const into = to ? on : off;
    if (source.toLowerCase() !== from) continue;
    const cased = source === source.toUpperCase() ? into.toUpperCase() : source[0] === source[0].toUpperCase() ? into[0].toUpperCase() + into.slice(1) : into;
    return [{ title, preferred: true, changes: [{ start: node.range![0], end: node.range![1], newText: cased }] }];
  }
  return [];
}
