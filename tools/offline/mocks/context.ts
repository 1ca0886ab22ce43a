/**
 * What the mocks need to fabricate realistic identifiers: the account, project and
 * subscription the catalog names, and a deterministic source of ids, so two runs of the
 * same stack print the same preview.
 */
import { createHash } from "node:crypto";

export interface MockContext {
  readonly awsAccountId: string;
  readonly awsRegion: string;
  readonly gcpProject: string;
  readonly gcpProjectNumber: string;
  readonly azureSubscriptionId: string;
  readonly azureTenantId: string;
}

export const DEFAULT_MOCK_CONTEXT: MockContext = {
  awsAccountId: "123456789012",
  awsRegion: "eu-west-1",
  gcpProject: "example-project",
  gcpProjectNumber: "123456789012",
  azureSubscriptionId: "00000000-0000-0000-0000-000000000000",
  azureTenantId: "00000000-0000-0000-0000-000000000000",
};

/** Reads the identifiers from a (not yet validated) catalog; anything missing keeps its default. */
export function mockContextFromCatalog(raw: unknown): MockContext {
  const c = (typeof raw === "object" && raw !== null ? raw : {}) as Record<
    string,
    Record<string, unknown> | undefined
  >;
  const str = (v: unknown, fallback: string) => (typeof v === "string" && v.length > 0 ? v : fallback);
  return {
    awsAccountId: str(c.aws?.accountId, DEFAULT_MOCK_CONTEXT.awsAccountId),
    awsRegion: str(c.aws?.region, DEFAULT_MOCK_CONTEXT.awsRegion),
    gcpProject: str(c.gcp?.project, DEFAULT_MOCK_CONTEXT.gcpProject),
    gcpProjectNumber: str(c.gcp?.projectNumber, DEFAULT_MOCK_CONTEXT.gcpProjectNumber),
    azureSubscriptionId: str(c.azure?.subscriptionId, DEFAULT_MOCK_CONTEXT.azureSubscriptionId),
    azureTenantId: str(c.azure?.tenantId, DEFAULT_MOCK_CONTEXT.azureTenantId),
  };
}

/** Deterministic hex digest of the seed parts. */
export function digest(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

/** Deterministic UUID-shaped id. */
export function mockUuid(...parts: string[]): string {
  const h = digest(...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The physical name a provider would auto-generate: logical name plus a random-looking suffix. */
export function autoName(logicalName: string, explicit: unknown, separator = "-"): string {
  return typeof explicit === "string" && explicit.length > 0
    ? explicit
    : `${logicalName}${separator}${digest(logicalName).slice(0, 7)}`;
}

export interface MockResult {
  readonly id: string;
  /** Outputs beyond the inputs (the inputs are echoed back as well). */
  readonly outputs: Record<string, unknown>;
}

export type MockHandler = (
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  ctx: MockContext,
) => MockResult | undefined;
