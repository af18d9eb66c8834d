// Every snippet prodready contributes is production-ready as inserted: expanded with its defaults (and,
// for a fragment, placed in the smallest document it is meant for, declared below), it draws no
// finding at all, of any severity, from whatever rules are registered.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { FileKind } from '../../server/src/core/types';
import { REPO } from './harness';
import { expandSnippet, loadSnippetFiles, snippetBody, snippetPrefixes, withSpaces } from './snippetExpansion';

interface Placement {
  kind: FileKind;
  /** Where the file would live (detection of Swarm-ness and siblings use it). */
  path: string;
  swarm?: boolean;
  /** The document around the expanded snippet. */
  wrap(snippet: string): string;
}

const indent = (text: string, by: string) => text.replace(/^(?=.)/gm, by);

// A stack service that uses everything the top-level blocks declare.
const STACK_SERVICE = `services:
  api:
    image: registry.example.com/api:1.0.0
    environment:
      DB_PASSWORD_FILE: /run/secrets/db_password
    secrets:
      - db_password
    configs:
      - source: api_config
        target: /etc/api/config.yaml
    volumes:
      - api-data:/var/lib/api
    healthcheck:
      test: ["CMD", "wget", "-q", "--spider", "http://localhost:8080/healthz"]
    deploy:
      replicas: 2
      placement:
        constraints: [node.role != manager]
      update_config:
        failure_action: rollback
      resources:
        limits: {memory: 512M}
`;

// What the swarm service snippet refers to.
const STACK_BLOCKS = `secrets:
  db_password:
    external: true
volumes:
  api-data:
`;

// A production values file for a chart of the `helm create` layout, one top-level block per key, so a
// fragment can take the place of the block it configures.
const HELM_BASE: Record<string, string> = {
  image: 'image:\n  repository: registry.example.com/app\n  tag: "1.0.0"\n',
  replicaCount: 'replicaCount: 2\n',
  resources: 'resources:\n  requests: {cpu: 250m, memory: 256Mi}\n  limits: {cpu: "1", memory: 512Mi}\n',
  podDisruptionBudget: 'podDisruptionBudget:\n  enabled: true\n  minAvailable: 1\n',
  topologySpreadConstraints:
    'topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: topology.kubernetes.io/zone\n    whenUnsatisfiable: ScheduleAnyway\n    labelSelector:\n      matchLabels:\n        app.kubernetes.io/name: app\n' +
    '  - maxSkew: 1\n    topologyKey: kubernetes.io/hostname\n    whenUnsatisfiable: ScheduleAnyway\n    labelSelector:\n      matchLabels:\n        app.kubernetes.io/name: app\n',
};
const HELM_ALIASES: Record<string, string> = { pdb: 'podDisruptionBudget', autoscaling: 'replicaCount' };

function helmValuesAround(fragment: string): string {
  const keys = [...fragment.matchAll(/^([A-Za-z][\w-]*):/gm)].map((m) => HELM_ALIASES[m[1]] ?? m[1]);
  const base = Object.entries(HELM_BASE)
    .filter(([key]) => !keys.includes(key))
    .map(([, block]) => block);
  return [...base, fragment].join('');
}

const NGINX_CONF = '/etc/nginx/nginx.conf';
const HAPROXY_CFG = '/etc/haproxy/haproxy.cfg';
const HAPROXY_DEFAULTS = 'defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n    timeout http-request 10s\n\n';
/** The TLS server snippet proxies to the upstream `app` that the upstream snippet defines. */
const NGINX_APP_UPSTREAM = '    upstream app {\n        server app1.internal:8080;\n        server app2.internal:8080;\n    }\n\n';

const PLACEMENTS: Record<string, Placement> = {
  'prod-stack-file': { kind: 'compose', path: '/srv/app/docker-stack.yml', wrap: (s) => s },
  'prod-swarm-service': { kind: 'compose', path: '/srv/app/docker-stack.yml', wrap: (s) => `services:\n${indent(s, '  ')}\n${STACK_BLOCKS}` },
  'prod-stack-blocks': { kind: 'compose', path: '/srv/app/docker-stack.yml', wrap: (s) => `${STACK_SERVICE}\n${s}` },
  'prod-helm-values': { kind: 'helm-values', path: '/srv/chart/values-production.yaml', wrap: (s) => s },
  'prod-helm-ingress': { kind: 'helm-values', path: '/srv/chart/values.yaml', wrap: helmValuesAround },
  'prod-helm-resources': { kind: 'helm-values', path: '/srv/chart/values.yaml', wrap: helmValuesAround },
  'prod-helm-autoscaling': { kind: 'helm-values', path: '/srv/chart/values.yaml', wrap: helmValuesAround },
  'prod-helm-pdb': { kind: 'helm-values', path: '/srv/chart/values.yaml', wrap: helmValuesAround },
  'prod-helm-spread': { kind: 'helm-values', path: '/srv/chart/values.yaml', wrap: helmValuesAround },
  'prod-helm-existing-secret': { kind: 'helm-values', path: '/srv/chart/values.yaml', wrap: helmValuesAround },
  'prod-nginx-conf': { kind: 'nginx', path: NGINX_CONF, wrap: (s) => s },
  'prod-nginx-tls-server': { kind: 'nginx', path: NGINX_CONF, wrap: (s) => `events {}\n\nhttp {\n    server_tokens off;\n\n${NGINX_APP_UPSTREAM}${indent(s, '    ')}\n}\n` },
  'prod-nginx-upstream': { kind: 'nginx', path: NGINX_CONF, wrap: (s) => `events {}\n\nhttp {\n    server_tokens off;\n\n${indent(s, '    ')}\n}\n` },
  'prod-nginx-mqtt-stream': { kind: 'nginx', path: NGINX_CONF, wrap: (s) => `events {}\n\n${s}` },
  'prod-haproxy-cfg': { kind: 'haproxy', path: HAPROXY_CFG, wrap: (s) => s },
  'prod-haproxy-https-frontend': { kind: 'haproxy', path: HAPROXY_CFG, wrap: (s) => HAPROXY_DEFAULTS + s },
  'prod-haproxy-mqtt-listen': { kind: 'haproxy', path: HAPROXY_CFG, wrap: (s) => HAPROXY_DEFAULTS + s },
  'prod-haproxy-defaults': { kind: 'haproxy', path: HAPROXY_CFG, wrap: (s) => s },
};

/** The languages each snippets file is contributed for, from package.json. */
function contributedLanguages(): Map<string, string[]> {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
    contributes: { snippets?: { language: string; path: string }[] };
  };
  const out = new Map<string, string[]>();
  for (const s of manifest.contributes.snippets ?? []) {
    const file = path.basename(s.path);
    out.set(file, [...(out.get(file) ?? []), s.language]);
  }
  return out;
}

const SNIPPET_FILES = loadSnippetFiles(REPO);

describe('snippets', () => {
  const languages = contributedLanguages();
  for (const [file, snippets] of SNIPPET_FILES) {
    it(`${file} is contributed in package.json`, () => {
      assert.ok(languages.get(file)?.length, `package.json contributes.snippets has no entry for snippets/${file}`);
    });
    for (const [title, definition] of Object.entries(snippets)) {
      const prefix = snippetPrefixes(definition)[0];
      it(`${prefix} (${title}) passes every check with its defaults`, () => {
        const placement = PLACEMENTS[prefix];
        assert.ok(placement, `no placement declared for ${prefix} in this test`);
        assert.ok(definition.description, 'has a description');
        const text = placement.wrap(withSpaces(expandSnippet(snippetBody(definition))));
        const result = analyze({ text, path: placement.path, kind: placement.kind, variant: placement.swarm ? 'swarm-stack' : undefined });
        assert.equal(result.skipped, undefined);
        assert.ok(result.passed.length > 0, 'some rules applied');
        const findings = result.findings.map((f) => {
          const line = text.slice(0, f.span.start).split('\n').length;
          return `${line}: ${f.severity} ${f.ruleId}: ${f.message}`;
        });
        assert.deepEqual(findings, [], `findings in:\n${text}`);
      });
    }
  }

  it('every placement declared here belongs to a snippet', () => {
    const prefixes = new Set([...SNIPPET_FILES.values()].flatMap((s) => Object.values(s).flatMap(snippetPrefixes)));
    assert.deepEqual(Object.keys(PLACEMENTS).filter((p) => !prefixes.has(p)), []);
  });

  it('prefixes are unique', () => {
    const prefixes = [...SNIPPET_FILES.values()].flatMap((s) => Object.values(s).flatMap(snippetPrefixes));
    assert.equal(new Set(prefixes).size, prefixes.length);
  });
});

describe('snippet expansion', () => {
  it('takes defaults, first choices, mirrors and escapes', () => {
    assert.equal(expandSnippet('a ${1:x} $1 ${2|p,q|} $2 \\$HOME \\} $0'), 'a x x p p $HOME } ');
  });
  it('expands nested placeholders and mirrors of them', () => {
    assert.equal(expandSnippet('${1:host ${2:name}:${3:80}} [$1] [$2]'), 'host name:80 [host name:80] [name]');
  });
  it('keeps a lone dollar and unknown braces literal, and takes variable defaults', () => {
    assert.equal(expandSnippet('cost $ 5 ${VAR:dflt} ${1}x'), 'cost $ 5 dflt x');
  });
  it('unescapes commas and bars in choices', () => {
    assert.equal(expandSnippet('${1|a\\,b,c|}'), 'a,b');
  });
  it('rejects an unclosed placeholder', () => {
    assert.throws(() => expandSnippet('${1:abc'), /unclosed/);
  });
});
