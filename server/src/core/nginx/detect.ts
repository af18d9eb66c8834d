// Which files are NGINX configurations: by name and folder first, by content for the rest.

import { basename, dirname } from '../paths';

/** conf.d and sites-* folders are shared with other software; these parents say the file is not NGINX's. */
const OTHER_SOFTWARE = new Set(['apache', 'apache2', 'httpd', 'haproxy', 'mysql', 'mariadb', 'supervisor', 'supervisord', 'php', 'php-fpm', 'fail2ban', 'lighttpd', 'squid', 'varnish']);

/**
 * nginx.conf, *.nginx, *.conf (or *.conf.template, as the official image's envsubst templates are
 * named) anywhere under a folder named nginx, *.conf in conf.d/ or http.d/, and anything in
 * sites-available/ or sites-enabled/ (Debian's layout, where files often have no extension).
 */
export function matchesNginxName(path: string): boolean {
  const name = basename(path).toLowerCase();
  if (name === 'nginx.conf' || name.endsWith('.nginx')) return true;
  const folders = dirname(path).toLowerCase().split('/');
  const conf = /\.conf(\.template)?$/.test(name);
  if (conf && folders.some((f) => f === 'nginx' || f === '.nginx')) return true;
  if (folders.some((f) => OTHER_SOFTWARE.has(f))) return false;
  const parent = folders[folders.length - 1];
  if (parent === 'sites-available' || parent === 'sites-enabled') return !/\.(ya?ml|json|md|txt|bak|swp|orig|dpkg-[a-z]+)$/.test(name);
  return conf && (parent === 'conf.d' || parent === 'http.d');
}

/** Config-ish names only: sniffing must not claim source code or other formats that happen to contain `server {`. */
const SNIFFABLE = /(^[^.]+$|\.(conf|template|tmpl|j2|vhost|site|inc)$)/i;

/** A block NGINX configs open (`server {`, `http {` …) plus a directive only they have. */
export function sniffNginx(text: string, path: string): boolean {
  if (!SNIFFABLE.test(basename(path))) return false;
  const head = text.slice(0, 65_536);
  return (
    /^[ \t]*(?:http|events|stream|server|upstream[ \t]+\S+)[ \t]*\{/m.test(head) &&
    /^[ \t]*(?:listen|server_name|proxy_pass|worker_processes|worker_connections|location[ \t]+\S+[^\n]*\{|server[ \t]+\S+[^\n{]*;)/m.test(head)
  );
}
