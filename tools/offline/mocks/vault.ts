/** `@pulumi/vault` resources: ids are the API paths Vault uses. */
import { type MockHandler, mockUuid } from "./context";

export const vaultMocks: MockHandler = (type, name, inputs) => {
  if (!type.startsWith("vault:")) return undefined;
  switch (type) {
    case "vault:index/mount:Mount":
    case "vault:index/authBackend:AuthBackend":
    case "vault:kubernetes/authBackendConfig:AuthBackendConfig": {
      const path = String(inputs.path ?? inputs.backend ?? inputs.type ?? name);
      return {
        id: path,
        outputs: { path, accessor: `auth_${path.replace(/\W/g, "_")}_${mockUuid(path).slice(0, 8)}` },
      };
    }
    case "vault:index/policy:Policy":
      return { id: String(inputs.name ?? name), outputs: {} };
    default: {
      const backend = inputs.backend ?? inputs.mount ?? inputs.path;
      const leaf = inputs.roleName ?? inputs.name ?? name;
      return { id: backend ? `${String(backend)}/${String(leaf)}` : String(leaf), outputs: {} };
    }
  }
};
