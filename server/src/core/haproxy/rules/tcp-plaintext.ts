import { Rule } from '../../types';
import { bindsOf, capitalise, describeProxy, effectiveDirectives, HaproxyContext, isFrontendSide, isPlainNetworkBind, routedBackends, serversOf, trafficMode } from '../model';
import { HaDirective } from '../parse';

/** Plain-text MQTT ports and what runs there; their TLS counterparts are 8883 and 8084. */
export const PLAINTEXT_MQTT_PORTS = new Map<number, string>([
  [1883, 'MQTT'],
  [8083, 'MQTT over WebSocket'],
]);

/** Routing on the TLS ClientHello (SNI) means clients speak TLS end to end, passed through untouched. */
function inspectsTls(directives: HaDirective[]): boolean {
  return directives.some((d) => d.args.some((a) => /\breq[._]ssl_(sni|hello_type|ver)\b/.test(a.value)));
}

export const tcpPlaintext: Rule<HaproxyContext> = {
  meta: {
    id: 'haproxy/tcp-plaintext',
    description: 'TCP frontends do not accept MQTT (1883, 8083) without TLS.',
    defaultSeverity: 'warning',
    category: 'encryption',
    fixable: false,
  },
  check(ctx, report) {
    for (const p of ctx.proxies) {
      if (!isFrontendSide(p) || trafficMode(ctx, p).mode !== 'tcp') continue;
      const plain = bindsOf(p).filter(isPlainNetworkBind);
      if (plain.length === 0 || inspectsTls(effectiveDirectives(p))) continue;
      let reported = false;
      for (const b of plain) {
        const port = b.addresses.flatMap((a) => a.ports).find((x) => PLAINTEXT_MQTT_PORTS.has(x));
        if (port === undefined) continue;
        reported = true;
        report({
          span: { start: b.directive.start, end: b.directive.end },
          message: `${capitalise(describeProxy(p))} accepts ${PLAINTEXT_MQTT_PORTS.get(port)} on port ${port} without TLS: device credentials and every message cross the network readable and forgeable. Terminate TLS here (e.g. bind :8883 ssl crt …) and keep ${port} on the private network.`,
        });
      }
      if (reported) continue;
      const targets = [p, ...routedBackends(ctx, p)].flatMap(serversOf);
      const mqtt = targets.find((s) => s.address?.ports.some((x) => PLAINTEXT_MQTT_PORTS.has(x)));
      if (!mqtt) continue;
      const port = mqtt.address!.ports.find((x) => PLAINTEXT_MQTT_PORTS.has(x))!;
      report({
        span: { start: plain[0].directive.start, end: plain[0].directive.end },
        message: `${capitalise(describeProxy(p))} forwards clients to ${PLAINTEXT_MQTT_PORTS.get(port)} servers (port ${port}) through a bind without TLS: credentials and messages cross the public side in clear text. Add "ssl crt …" to the bind so TLS ends at the load balancer.`,
      });
    }
  },
};
