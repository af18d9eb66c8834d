import { Rule } from '../../types';
import { childrenNamed, NginxContext, Scope } from '../model';
import { serverInfo } from '../servers';

/** Plain MQTT and MQTT over WebSocket, and the TLS ports clients use instead. */
const MQTT_PORTS: Record<number, string> = { 1883: 'MQTT (TLS port: 8883)', 8083: 'MQTT over WebSocket (TLS port: 8084)' };

function portOf(address: string): number | undefined {
  const m = /:(\d+)$/.exec(address);
  return m ? Number(m[1]) : undefined;
}

/** Whether the server proxies to MQTT brokers: `proxy_pass host:1883`, or an upstream whose servers are on 1883/8083. */
function proxiesToMqtt(ctx: NginxContext, server: Scope): number | undefined {
  for (const pass of childrenNamed(server, 'proxy_pass')) {
    const target = pass.args[0] ?? '';
    const direct = portOf(target);
    if (direct !== undefined) return MQTT_PORTS[direct] ? direct : undefined;
    for (const upstream of ctx.upstreams) {
      if (upstream.owner?.args[0] !== target) continue;
      for (const s of childrenNamed(upstream, 'server')) {
        const port = portOf(s.args[0] ?? '');
        if (port !== undefined && MQTT_PORTS[port]) return port;
      }
    }
  }
  return undefined;
}

export const streamPlaintext: Rule<NginxContext> = {
  meta: {
    id: 'nginx/stream-plaintext',
    description: 'Stream (TCP) listeners use TLS, above all those that carry MQTT.',
    defaultSeverity: 'warning',
    category: 'encryption',
    fixable: false,
  },
  check(ctx, report) {
    for (const server of ctx.servers) {
      if (server.protocol !== 'stream' || !server.owner?.local) continue;
      // With ssl_preread the stream is TLS end to end: NGINX only peeks at the SNI name and passes it on.
      if (childrenNamed(server, 'ssl_preread').some((n) => n.args[0] === 'on')) continue;
      const info = serverInfo(server);
      if (info.sslOn) continue;
      const upstreamMqtt = proxiesToMqtt(ctx, server);
      for (const l of info.listeners) {
        // UDP cannot be given TLS by NGINX's stream module, so there is nothing to ask for.
        if (l.ssl || l.udp || l.internal || !l.node.local) continue;
        const where = l.port !== undefined ? `port ${l.port}` : `"${l.address}"`;
        const mqttPort = l.port !== undefined && MQTT_PORTS[l.port] ? l.port : upstreamMqtt;
        const span = { start: l.node.directive.start, end: l.node.directive.end };
        if (mqttPort !== undefined) {
          report({
            span,
            message:
              `Stream listener on ${where} passes ${MQTT_PORTS[mqttPort].replace(/ \(.*/, '')} without TLS: device credentials and every published message cross the network in clear text. ` +
              `Listen with ssl here (${MQTT_PORTS[mqttPort].replace(/.*\((.*)\)/, '$1')}) and keep the plain port for the private network between NGINX and the brokers.`,
          });
        } else {
          report({
            span,
            severity: 'information',
            message:
              `Stream listener on ${where} accepts plain TCP: whatever the protocol carries (passwords, tokens, data) is readable on the network. ` +
              `If clients can speak TLS, add ssl to this listen (with ssl_certificate); if the protocol encrypts by itself or the port is private, suppress this here.`,
          });
        }
      }
    }
  },
};
