/** Realistic ids and ARNs for `@pulumi/aws` resources. */
import { autoName, digest, type MockHandler, mockUuid } from "./context";

export const awsMocks: MockHandler = (type, name, inputs, ctx) => {
  if (!type.startsWith("aws:")) return undefined;
  const region = typeof inputs.region === "string" ? inputs.region : ctx.awsRegion;
  const account = ctx.awsAccountId;
  const arn = (service: string, resource: string, regional = true) =>
    `arn:aws:${service}:${regional ? region : ""}:${account}:${resource}`;
  switch (type) {
    case "aws:kms/key:Key": {
      // Multi-Region keys share one `mrk-` id across their Regions.
      const keyId = inputs.multiRegion ? `mrk-${digest(type, name).slice(0, 32)}` : mockUuid(type, name);
      return { id: keyId, outputs: { keyId, arn: arn("kms", `key/${keyId}`) } };
    }
    case "aws:kms/replicaKey:ReplicaKey": {
      const keyId = String(inputs.primaryKeyArn).split("/").pop() ?? mockUuid(type, name);
      return { id: keyId, outputs: { keyId, arn: arn("kms", `key/${keyId}`) } };
    }
    case "aws:cloudwatch/eventRule:EventRule": {
      const ruleName = autoName(name, inputs.name);
      return { id: ruleName, outputs: { name: ruleName, arn: arn("events", `rule/${ruleName}`) } };
    }
    case "aws:kms/alias:Alias": {
      const aliasName = autoName(`alias/${name}`, inputs.name);
      return { id: aliasName, outputs: { name: aliasName, arn: arn("kms", aliasName) } };
    }
    case "aws:secretsmanager/secret:Secret": {
      const secretName = autoName(name, inputs.name);
      const secretArn = arn("secretsmanager", `secret:${secretName}-${digest(secretName).slice(0, 6)}`);
      return { id: secretArn, outputs: { name: secretName, arn: secretArn } };
    }
    case "aws:secretsmanager/secretVersion:SecretVersion": {
      const versionId = mockUuid(type, name);
      return { id: `${String(inputs.secretId)}|${versionId}`, outputs: { versionId, arn: inputs.secretId } };
    }
    case "aws:iam/role:Role": {
      const roleName = autoName(name, inputs.name);
      const rolePath = typeof inputs.path === "string" ? inputs.path : "/";
      return {
        id: roleName,
        outputs: {
          name: roleName,
          arn: arn("iam", `role${rolePath}${roleName}`, false),
          uniqueId: `AROA${digest(roleName).slice(0, 17).toUpperCase()}`,
        },
      };
    }
    case "aws:iam/policy:Policy": {
      const policyName = autoName(name, inputs.name);
      const policyArn = arn("iam", `policy/${policyName}`, false);
      return { id: policyArn, outputs: { name: policyName, arn: policyArn } };
    }
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
      const host = String(inputs.url ?? name).replace(/^https:\/\//, "");
      const providerArn = arn("iam", `oidc-provider/${host}`, false);
      return { id: providerArn, outputs: { arn: providerArn } };
    }
    case "aws:lambda/function:Function": {
      const functionName = autoName(name, inputs.name);
      const functionArn = arn("lambda", `function:${functionName}`);
      return {
        id: functionName,
        outputs: {
          name: functionName,
          arn: functionArn,
          qualifiedArn: `${functionArn}:$LATEST`,
          invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
        },
      };
    }
    case "aws:cloudwatch/logGroup:LogGroup": {
      const groupName = autoName(name, inputs.name);
      return { id: groupName, outputs: { name: groupName, arn: arn("logs", `log-group:${groupName}`) } };
    }
    case "aws:cloudtrail/trail:Trail": {
      const trailName = autoName(name, inputs.name);
      return { id: trailName, outputs: { name: trailName, arn: arn("cloudtrail", `trail/${trailName}`) } };
    }
    case "aws:sns/topic:Topic": {
      const topicName = autoName(name, inputs.name);
      return { id: arn("sns", topicName), outputs: { name: topicName, arn: arn("sns", topicName) } };
    }
    case "aws:s3/bucketV2:BucketV2":
    case "aws:s3/bucket:Bucket": {
      const bucket = autoName(name, inputs.bucket);
      return { id: bucket, outputs: { bucket, arn: `arn:aws:s3:::${bucket}` } };
    }
    default:
      return { id: autoName(name, inputs.name), outputs: {} };
  }
};
