/**
 * The environment's rotation-notification topic. Secret Manager publishes a
 * `SECRET_ROTATE` message here when a secret's `nextRotationTime` arrives; the rotation
 * function (or an operator's alert) subscribes. Messages carry the secret's name, never its
 * payload, so the topic keeps Google-managed encryption.
 */
import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { environmentName } from "../../stacks/naming";
import type { Catalog, GcpSettings } from "../../stacks/schema";
import { gcpLabels } from "./names";

export const PUBSUB_PUBLISHER_ROLE = "roles/pubsub.publisher";

export interface RotationTopic {
  readonly topic: gcp.pubsub.Topic;
  /** Secret Manager checks it may publish before it accepts a secret naming the topic. */
  readonly publisherGrant: gcp.pubsub.TopicIAMMember;
}

export function createRotationTopic(
  name: string,
  parent: pulumi.Resource,
  catalog: Catalog,
  agentMember: pulumi.Input<string>,
): RotationTopic {
  const { project } = catalog.gcp as GcpSettings;
  const topic = new gcp.pubsub.Topic(
    `${name}-rotation-topic`,
    {
      project,
      name: environmentName(catalog, "secret-rotation"),
      labels: gcpLabels(catalog, { purpose: "secret-rotation" }),
    },
    { parent },
  );
  const publisherGrant = new gcp.pubsub.TopicIAMMember(
    `${name}-rotation-topic-agent`,
    { project, topic: topic.name, role: PUBSUB_PUBLISHER_ROLE, member: agentMember },
    { parent },
  );
  return { topic, publisherGrant };
}
