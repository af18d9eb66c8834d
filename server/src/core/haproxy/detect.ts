// Which files are HAProxy configuration: the conventional names, and `.cfg` files whose content has
// HAProxy's section headers and proxy keywords (`.cfg` alone says nothing: Python, Nagios and INI
// files use it too).

import { basename } from '../paths';

const NAME = /^haproxy[^/]*\.cfg$|\.haproxy$/i;

export function matchesHaproxyName(path: string): boolean {
  return NAME.test(basename(path));
}

const SECTION_HEADER = /^[ \t]*(?:(?:frontend|backend|listen)[ \t]+[^\s#]+|global|defaults(?:[ \t]+[^\s#]+)?)[ \t]*(?:#[^\n]*)?\r?$/m;
/** A named proxy section and a `global` or `defaults` section: two of HAProxy's own section kinds together. */
const PROXY_HEADER = /^[ \t]*(?:frontend|backend|listen)[ \t]+[^\s#]+[ \t]*(?:#[^\n]*)?\r?$/m;
const SHARED_HEADER = /^[ \t]*(?:global|defaults(?:[ \t]+[^\s#]+)?)[ \t]*(?:#[^\n]*)?\r?$/m;
const PROXY_KEYWORD =
  /^[ \t]*(?:bind[ \t]+\S|server(?:-template)?[ \t]+\S+[ \t]+\S|mode[ \t]+(?:http|tcp)\b|timeout[ \t]+(?:connect|client|server)\b|default_backend[ \t]|use_backend[ \t]|balance[ \t]|maxconn[ \t]+\d)/m;

/**
 * A cheap look at the start of a `.cfg` file: a section header and a keyword only proxies use, or a
 * proxy section next to a `global`/`defaults` section (a backend may hold only keywords that other
 * formats use too, such as a stick table or server templates filled by DNS, and still be HAProxy's).
 */
export function sniffHaproxy(text: string, path: string): boolean {
  if (!/\.cfg$/i.test(path)) return false;
  const head = text.length > 65_536 ? text.slice(0, 65_536) : text;
  if (!SECTION_HEADER.test(head)) return false;
  return PROXY_KEYWORD.test(head) || (PROXY_HEADER.test(head) && SHARED_HEADER.test(head));
}
