import { isMap, isScalar } from 'yaml';
import { Rule } from '../../types';
import { isTrue, scalarText, spanOf } from '../../yaml/nav';
import { entryIn, sectionsWithKey, ValuesMap } from '../components';
import { INGRESS_KEY, isIngressMap } from '../exposure';
import { HelmContext } from '../model';
import { isMeaningful } from '../values';

/**
 * Annotations that have a certificate issued or attached without a secret named in the tls entry:
 * cert-manager, kube-lego's tls-acme, Traefik's ACME resolver, AWS ACM, GKE managed certificates.
 */
const ISSUING_ANNOTATION = /cert-manager\.io\/|tls-acme|acme|certresolver|certificate-arn|managed-certificates|pre-shared-cert|ssl-cert|certificate-id|tls-cert/i;

export const ingressTlsWithoutCertificate: Rule<HelmContext> = {
  meta: {
    id: 'helm/ingress-tls-without-certificate',
    description: 'Ingress `tls` entries name the certificate secret (`secretName`) or an issuer (cert-manager, ACME) provides one.',
    defaultSeverity: 'warning',
    category: 'encryption',
    fixable: false,
  },
  check(ctx, report) {
    for (const m of sectionsWithKey(ctx.model, INGRESS_KEY)) {
      if (!m.active || !isIngressMap(m) || !isTrue(entryIn(m, 'enabled')?.value)) continue;
      if (hasIssuer(m)) continue;
      const view = m.document.view;
      for (const key of ['tls', 'extraTls']) {
        for (const item of view.items(view.seq(entryIn(m, key)?.value))) {
          const tls = view.map(item);
          if (!tls) continue;
          const hosts = view.get(tls, 'hosts');
          if (!isMeaningful(hosts?.value)) continue;
          const secret = view.get(tls, 'secretName');
          if (secret?.value && isMeaningful(secret.value)) continue;
          const names = view.items(view.seq(hosts?.value)).map((h) => scalarText(h)).filter((h): h is string => !!h);
          report({
            span: spanOf(secret?.value ?? hosts?.keyNode),
            message: `Ingress "${m.path.join('.')}" has a tls entry${names.length ? ` for ${names.join(', ')}` : ''} without a secretName and no certificate issuer annotation: the ingress controller falls back to its default certificate (a self-signed "fake" one on ingress-nginx), so browsers and API clients reject the connection or, worse, are taught to click through warnings. Name the secret holding the certificate, or annotate the ingress for cert-manager (cert-manager.io/cluster-issuer).`,
          });
        }
      }
    }
  },
};

/** The ingress (or the chart, for every ingress) carries an annotation that provides the certificate. */
function hasIssuer(m: ValuesMap): boolean {
  const view = m.document.view;
  // Bitnami's `certManager: true` adds the cert-manager annotations itself.
  if (isTrue(entryIn(m, 'certManager')?.value)) return true;
  const annotations = entryIn(m, 'annotations')?.value;
  // A template or a YAML string the chart renders may hold anything.
  if (isScalar(annotations) && isMeaningful(annotations)) return true;
  if (!isMap(annotations)) return false;
  return view.entries(annotations).some((e) => ISSUING_ANNOTATION.test(e.key) && (e.value === undefined || isMeaningful(e.value) || !isScalar(e.value)));
}
