/**
 * The unsealing Vault of `unseal: transit`, prepared as docs/runbooks/vault-transit-unseal.md
 * says: a dev server with an HTTPS listener (its certificate for `unseal.example.internal` and
 * the listener's address), the catalog's transit mount and key, the policy
 * `npm run vault:transit-unseal-policy` prints, and a periodic orphan token of that policy alone.
 */
import * as path from "node:path";
import * as fs from "node:fs";
import { renderPolicy } from "../../../../components/vault/policies";
import { transitUnsealPolicy, transitUnsealPolicyName } from "../../../../components/vault/unseal/transit";
import type { Catalog } from "../../../../stacks/schema";
import { issueServerCertificate } from "./operator-tools";
import { startVault, type VaultServer } from "./server";

export interface UnsealingVault {
  readonly server: VaultServer;
  /** Its listener's CA certificate (PEM file), which the seal verifies. */
  readonly caFile: string;
  /** The seal's token (never printed). */
  readonly token: string;
}

/** Starts it under `dir`, listening on `host` (default the loopback address). */
export async function startUnsealingVault(
  dir: string,
  catalog: Catalog,
  host = "127.0.0.1",
): Promise<UnsealingVault> {
  const transit = catalog.vault!.transitUnseal!;
  const tls = issueServerCertificate(path.join(dir, "unseal-tls"), ["unseal.example.internal"], [host]);
  fs.mkdirSync(path.join(dir, "unseal"));
  const server = await startVault(path.join(dir, "unseal"), tls, { tlsHost: host });
  await server.root.write(`sys/mounts/${transit.mount}`, { type: "transit" });
  await server.root.write(`${transit.mount}/keys/${transit.keyName}`);
  await server.root.request("PUT", `sys/policies/acl/${transitUnsealPolicyName(catalog)}`, {
    policy: renderPolicy(transitUnsealPolicy(transit)),
  });
  const created = await server.root.write<never>("auth/token/create-orphan", {
    policies: [transitUnsealPolicyName(catalog)],
    no_default_policy: true,
    period: "72h",
    display_name: `vault-unseal-${catalog.environment}`,
  });
  return { server, caFile: tls.caFile, token: created.auth!.client_token };
}
