/**
 * Auto-unseal through another Vault's transit engine, for sites without a cloud KMS
 * (on-premises, air-gapped). The seal wraps the root key with one transit key of the unsealing
 * Vault, authenticating with a periodic token whose policy (`transitUnsealPolicy`) may encrypt
 * and decrypt with that key and renew itself, nothing else.
 *
 * Vault's transit seal (go-kms-wrapping `wrappers/transit` v2.0.13, the one Vault 1.21.1 links)
 * takes only a token: no auth method logs it in. The token therefore never enters the program:
 * an operator creates it on the unsealing Vault and puts it straight into a Kubernetes Secret of
 * Vault's namespace (`transitUnseal.tokenSecretName`, docs/runbooks/vault-transit-unseal.md), so
 * it is in no config key, no resource input and no state file, and the policy pack's refusal of
 * Secret data written by a program holds for this stack too. The program publishes only the
 * unsealing Vault's CA, in a ConfigMap; the two are projected into one read-only directory, and
 * the seal stanza names the token's file (`token = "file://…"`, read by go-kms-wrapping's
 * `ParsePaths` without trimming: the file holds the token and nothing else).
 */
import * as fs from "node:fs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { environmentName } from "../../../stacks/naming";
import { projectPath } from "../../../stacks/loader";
import type { Catalog, TransitUnsealSettings } from "../../../stacks/schema";
import type { PolicyRule } from "../policies";
import { TRANSIT_SEAL_MOUNT } from "../serverNames";
import type { Unseal, UnsealContext } from "./types";

/** The unsealing Vault's CA, published by the program (the token's Secret is the operator's). */
export const TRANSIT_SEAL_CA_CONFIG_MAP = "vault-transit-seal-ca";

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
  const { name, vault, kubernetesOpts } = ctx;
  const transit = vault.transitUnseal;
  if (!transit) throw new Error(`vault.unseal: "transit" needs vault.transitUnseal`);
  const ca = new k8s.core.v1.ConfigMap(
    `${name}-transit-seal-ca`,
    {
      metadata: { name: TRANSIT_SEAL_CA_CONFIG_MAP, namespace: vault.namespace },
      data: { "ca.crt": fs.readFileSync(projectPath(transit.caCertFile), "utf8") },
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
    volumes: [
      {
        name: "transit-seal",
        mountPath: TRANSIT_SEAL_MOUNT,
        // Until the operator's Secret exists the servers wait in ContainerCreating: the release
        // does not await them (they are Ready only once initialised and unsealed).
        sources: ca.metadata.name.apply((caName): Array<Record<string, unknown>> => [
          { secret: { name: transit.tokenSecretName, items: [{ key: "token", path: "token" }] } },
          { configMap: { name: caName, items: [{ key: "ca.crt", path: "ca.crt" }] } },
        ]),
      },
    ],
  };
}
