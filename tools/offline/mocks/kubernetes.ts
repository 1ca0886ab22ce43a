/** Kubernetes objects: ids are `<namespace>/<name>`; auto-named objects get the provider's suffix. */
import { autoName, type MockHandler } from "./context";

/** Not a certificate: a recognisable PEM-shaped placeholder for offline runs. */
const OFFLINE_CA_PEM = "-----BEGIN CERTIFICATE-----\nb2ZmbGluZS1wcmV2aWV3LWNh\n-----END CERTIFICATE-----\n";

export const kubernetesMocks: MockHandler = (type, name, inputs) => {
  if (!type.startsWith("kubernetes:")) return undefined;
  if (type === "kubernetes:helm.sh/v3:Release") {
    const releaseName = autoName(name, inputs.name);
    const namespace = typeof inputs.namespace === "string" ? inputs.namespace : "default";
    return {
      id: `${namespace}/${releaseName}`,
      outputs: {
        name: releaseName,
        status: {
          name: releaseName,
          namespace,
          chart: inputs.chart,
          version: inputs.version,
          status: "deployed",
          revision: 1,
        },
      },
    };
  }
  if (type === "kubernetes:core/v1:Secret" && inputs.data === undefined && inputs.stringData === undefined) {
    // A Secret read with Secret.get (e.g. a TLS Secret issued by cert-manager): return what
    // such a Secret holds, with a placeholder CA so consumers of ca.crt get a PEM.
    const objectName = autoName(name, undefined);
    return {
      id: objectName,
      outputs: {
        type: "kubernetes.io/tls",
        data: { "ca.crt": Buffer.from(OFFLINE_CA_PEM).toString("base64") },
      },
    };
  }
  const metadata = (inputs.metadata as Record<string, unknown> | undefined) ?? {};
  const objectName = autoName(name, metadata.name);
  const namespace = typeof metadata.namespace === "string" ? metadata.namespace : undefined;
  return {
    id: namespace ? `${namespace}/${objectName}` : objectName,
    outputs: { metadata: { ...metadata, name: objectName, uid: `${objectName}-uid` } },
  };
};
