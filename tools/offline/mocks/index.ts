/** The `pulumi.runtime.Mocks` the offline runtime installs: one handler per provider. */
import type * as pulumi from "@pulumi/pulumi";
import { awsMocks } from "./aws";
import { azureMocks } from "./azure";
import { type MockContext, type MockHandler, mockUuid } from "./context";
import { gcpMocks } from "./gcp";
import { kubernetesMocks } from "./kubernetes";
import { randomMocks } from "./random";
import { vaultMocks } from "./vault";

const handlers: MockHandler[] = [awsMocks, gcpMocks, azureMocks, kubernetesMocks, vaultMocks, randomMocks];

/** Data-source calls the components may make; everything else returns its inputs. */
function callResult(
  token: string,
  inputs: Record<string, unknown>,
  ctx: MockContext,
): Record<string, unknown> {
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: ctx.awsAccountId,
        arn: `arn:aws:iam::${ctx.awsAccountId}:role/offline-preview`,
        userId: "AROAOFFLINE",
        id: ctx.awsAccountId,
      };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
    case "aws:index/getRegion:getRegion":
      return { name: ctx.awsRegion, region: ctx.awsRegion, id: ctx.awsRegion };
    case "gcp:organizations/getProject:getProject":
      return { projectId: ctx.gcpProject, number: ctx.gcpProjectNumber, id: `projects/${ctx.gcpProject}` };
    case "gcp:storage/getProjectServiceAccount:getProjectServiceAccount": {
      const email = `service-${ctx.gcpProjectNumber}@gs-project-accounts.iam.gserviceaccount.com`;
      return { emailAddress: email, member: `serviceAccount:${email}`, project: ctx.gcpProject, id: email };
    }
    case "azure-native:authorization:getClientConfig":
      return {
        subscriptionId: ctx.azureSubscriptionId,
        tenantId: ctx.azureTenantId,
        clientId: mockUuid("client"),
        objectId: mockUuid("object"),
      };
    default:
      return inputs;
  }
}

export function createMocks(ctx: MockContext): pulumi.runtime.Mocks {
  return {
    newResource(args) {
      for (const handler of handlers) {
        const result = handler(args.type, args.name, args.inputs, ctx);
        if (result) return { id: result.id, state: { ...args.inputs, ...result.outputs } };
      }
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call(args) {
      return callResult(args.token, args.inputs, ctx);
    },
  };
}
