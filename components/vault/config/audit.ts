/** Audit devices: always a file on the audit volume; syslog and a socket when the catalog asks. */
import * as vault from "@pulumi/vault";
import { AUDIT_FILE } from "../serverNames";
import type { ConfigContext } from "./context";

export function createAudit(ctx: ConfigContext): vault.Audit[] {
  const audit = ctx.vault.audit;
  const devices: Array<{ type: string; options: Record<string, string> }> = [
    { type: "file", options: { file_path: audit.filePath ?? AUDIT_FILE, mode: "0600" } },
  ];
  if (audit.syslog) devices.push({ type: "syslog", options: { tag: "vault", facility: "AUTH" } });
  if (audit.socketAddress) {
    devices.push({ type: "socket", options: { address: audit.socketAddress, socket_type: "tcp" } });
  }
  return devices.map(
    (device) =>
      new vault.Audit(
        `${ctx.name}-audit-${device.type}`,
        {
          type: device.type,
          path: device.type,
          options: device.options,
          description: `${device.type} audit device`,
        },
        ctx.opts,
      ),
  );
}
