/**
 * Auto-unseal through another Vault's transit engine, for sites without a cloud KMS
 * (on-premises, air-gapped). The seal wraps the root key with one transit key of the unsealing
 * Vault, authenticating with a periodic token whose policy (`transitUnsealPolicy`) may encrypt
 * and decrypt with that key and renew itself, nothing else.
 *
 * Vault's transit seal (go-kms-wrapping `wrappers/transit` v2.0.13, the one Vault 1.21.1 links)
 * takes only a token: no auth method logs it in. The token therefore never enters the chart's
 * values: it lives in a Kubernetes Secret mounted beside the unsealing Vault's CA, and the seal
 * stanza names the file (`token = "file://…"`, read by go-kms-wrapping's `ParsePaths`, without
 * trimming: the file holds the token and nothing else).
 */
import * as fs from "node:fs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { environmentName } from "../../../stacks/naming";
import { projectPath } from "../../../stacks/loader";
import { type Catalog, setSecretHint, type TransitUnsealSettings } from "../../../stacks/schema";
import type { PolicyRule } from "../policies";
import { TRANSIT_SEAL_MOUNT } from "../serverNames";
import type { Unseal, UnsealContext } from "./types";

export const TRANSIT_SEAL_SECRET = "vault-transit-seal";

/** Name of the unseal policy on the unsealing Vault: one per cluster it unseals. */
export function transitUnsealPolicyName(catalog: Catalog): string {
  return environmentName(catalog, "vault-unseal");
}

/**
 * The policy the seal's token holds on the unsealing Vault: wrap and unwrap with exactly this
 * cluster's key, and keep its own periodic token alive (the seal renews it; the token is
 * created without the default policy, which would grant more).
 */
export function transitUnsealPolicy(transit: TransitUnsealSettings): PolicyRule[] {
  return [
    { path: `${transit.mount}/encrypt/${transit.keyName}`, capabilities: ["update"] },
    { path: `${transit.mount}/decrypt/${transit.keyName}`, capabilities: ["update"] },
    { path: "auth/token/renew-self", capabilities: ["update"] },
    { path: "auth/token/lookup-self", capabilities: ["read"] },
  ];
}

export function transitUnseal(ctx: UnsealContext): Unseal {
  const { name, vault, secrets, kubernetesOpts } = ctx;
  const transit = vault.transitUnseal;
  if (!transit) throw new Error(`vault.unseal: "transit" needs vault.transitUnseal`);
  const token = secrets.get(transit.tokenConfigKey);
  if (!token)
    throw new Error(
      `vault.transitUnseal.tokenConfigKey: config key ${transit.tokenConfigKey} is not set; ${setSecretHint(transit.tokenConfigKey)}`,
    );
  const secret = new k8s.core.v1.Secret(
    `${name}-transit-seal`,
    {
      metadata: { name: TRANSIT_SEAL_SECRET, namespace: vault.namespace },
      type: "Opaque",
      stringData: {
        // The seal reads the file verbatim: a trailing newline would become part of the token.
        token: pulumi.secret(token.apply((t) => t.trim())),
        "ca.crt": fs.readFileSync(projectPath(transit.caCertFile), "utf8"),
      },
    },
    kubernetesOpts,
  );
  return {
    seal: pulumi.output({
      type: "seal",
      label: "transit",
      attributes: {
        address: transit.address,
        mount_path: `${transit.mount}/`,
        key_name: transit.keyName,
        tls_ca_cert: `${TRANSIT_SEAL_MOUNT}/ca.crt`,
        token: `file://${TRANSIT_SEAL_MOUNT}/token`,
        disable_renewal: "false",
      },
    }),
    serviceAccountAnnotations: pulumi.output<Record<string, string>>({}),
    podLabels: {},
    volumes: [{ name: "transit-seal", secretName: secret.metadata.name, mountPath: TRANSIT_SEAL_MOUNT }],
  };
}
