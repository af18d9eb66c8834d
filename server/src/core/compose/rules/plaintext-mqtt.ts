import { Rule } from '../../types';
import { spanOf } from '../../yaml/nav';
import { ComposeContext } from '../model';
import { publicPublications, servesPort } from '../ports';

const MQTT_PAIRS: [plain: number, tls: number, what: string][] = [
  [1883, 8883, 'MQTT'],
  [8083, 8084, 'MQTT over WebSocket'],
];

export const plaintextMqtt: Rule<ComposeContext> = {
  meta: {
    id: 'compose/plaintext-mqtt',
    description: 'A service that publishes plain MQTT (1883/8083) also publishes its TLS counterpart (8883/8084).',
    defaultSeverity: 'warning',
    category: 'encryption',
    fixable: false,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const publications = publicPublications(s, ctx.swarm);
      for (const [plain, tls, what] of MQTT_PAIRS) {
        const p = publications.find((x) => servesPort(x, plain));
        if (!p || publications.some((x) => servesPort(x, tls))) continue;
        report({
          span: spanOf(p.node),
          message: `Service "${s.name}" publishes ${what} on ${plain} without TLS on ${tls}: device credentials and payloads travel in clear text. Publish ${tls} (or terminate TLS at the load balancer) and keep ${plain} internal.`,
        });
      }
    }
  },
};
