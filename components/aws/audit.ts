/**
 * Alerting on secret reads by principals the catalog does not expect. CloudTrail records every
 * `GetSecretValue` as a management event (no trail configuration needed for the 90-day event
 * history); EventBridge sees read-only management events only when the rule's state is
 * `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsPlan } from "./plan";
import { alertTopicPolicy } from "./policies";

export interface ReadAlertScope {
  readonly accountId: string;
  readonly region: string;
  /** `<prefix>-<environment>`: the secrets' name prefix. */
  readonly namePrefix: string;
  /** Role ARNs whose reads are expected: workloads, rotation function, operators, deploy role. */
  readonly expectedRoleArns: readonly string[];
}

/** The EventBridge pattern: a read of one of our secrets by anyone but the expected roles. */
export function unexpectedReadPattern(s: ReadAlertScope): Record<string, unknown> {
  return {
    source: ["aws.secretsmanager"],
    "detail-type": ["AWS API Call via CloudTrail"],
    detail: {
      eventSource: ["secretsmanager.amazonaws.com"],
      eventName: ["GetSecretValue", "BatchGetSecretValue"],
      // Callers name a secret by name or ARN; both start with the environment's prefix.
      requestParameters: {
        secretId: [
          { prefix: `${s.namePrefix}-` },
          { prefix: `arn:aws:secretsmanager:${s.region}:${s.accountId}:secret:${s.namePrefix}-` },
        ],
      },
      $or: [
        // IAM users, the root user and federated users have no session issuer to compare.
        { userIdentity: { type: [{ "anything-but": ["AssumedRole", "AWSService"] }] } },
        {
          userIdentity: {
            sessionContext: { sessionIssuer: { arn: [{ "anything-but": [...s.expectedRoleArns] }] } },
          },
        },
      ],
    },
  };
}

/** EventBridge rule → SNS topic; returns the topic ARN (subscriptions are made out of band). */
export function readAlert(
  parent: pulumi.Resource,
  name: string,
  plan: AwsPlan,
  expectedRoleArns: pulumi.Output<string[]>,
): pulumi.Output<string> {
  const { namePrefix, settings, tags } = plan;
  const topic = new aws.sns.Topic(
    `${name}-read-alerts`,
    { name: `${namePrefix}-secret-read-alerts`, tags },
    { parent },
  );
  const rule = new aws.cloudwatch.EventRule(
    `${name}-read-alerts`,
    {
      name: `${namePrefix}-unexpected-secret-reads`,
      description: `GetSecretValue on ${namePrefix} secrets by a principal the catalog does not name`,
      state: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
      eventPattern: expectedRoleArns.apply((expected) =>
        JSON.stringify(
          unexpectedReadPattern({
            accountId: settings.accountId,
            region: settings.region,
            namePrefix,
            expectedRoleArns: expected,
          }),
        ),
      ),
      tags,
    },
    { parent },
  );
  new aws.sns.TopicPolicy(
    `${name}-read-alerts`,
    {
      arn: topic.arn,
      policy: pulumi
        .all([topic.arn, rule.arn])
        .apply(([topicArn, ruleArn]) => JSON.stringify(alertTopicPolicy({ topicArn, ruleArn }))),
    },
    { parent },
  );
  new aws.cloudwatch.EventTarget(`${name}-read-alerts`, { rule: rule.name, arn: topic.arn }, { parent });
  return topic.arn;
}
