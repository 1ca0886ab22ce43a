/** Kubernetes objects: ids are `<namespace>/<name>`; auto-named objects get the provider's suffix. */
import { autoName, type MockHandler } from "./context";

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
  const metadata = (inputs.metadata as Record<string, unknown> | undefined) ?? {};
  const objectName = autoName(name, metadata.name);
  const namespace = typeof metadata.namespace === "string" ? metadata.namespace : undefined;
  return {
    id: namespace ? `${namespace}/${objectName}` : objectName,
    outputs: { metadata: { ...metadata, name: objectName, uid: `${objectName}-uid` } },
  };
};
