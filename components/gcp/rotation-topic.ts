/**
 * Rotation-notification topics. Secret Manager publishes a `SECRET_ROTATE` message to a
 * secret's topics when its `nextRotationTime` arrives. The environment's topic carries the
 * reminders of secrets rotated by their issuer (an operator's alert subscribes); each rotated
 * database has its own topic, to which only its rotated secrets publish, because its rotation
 * function refuses (and Eventarc then redelivers) a notification for any other secret.
 * Messages carry the secret's name, never its payload, so the topics keep Google-managed
 * encryption.
 */
import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { environmentName } from "../../stacks/naming";
import type { Catalog, Database, GcpSettings } from "../../stacks/schema";
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
  /** The database whose rotation function the topic triggers; the environment's topic without. */
  database?: Database,
): RotationTopic {
  const { project } = catalog.gcp as GcpSettings;
  const role = database ? `-${database.name}` : "";
  const topic = new gcp.pubsub.Topic(
    `${name}-rotation-topic${role}`,
    {
      project,
      name: environmentName(catalog, `secret-rotation${role}`),
      labels: gcpLabels(catalog, {
        purpose: "secret-rotation",
        ...(database && { database: database.name }),
      }),
    },
    { parent },
  );
  const publisherGrant = new gcp.pubsub.TopicIAMMember(
    `${name}-rotation-topic${role}-agent`,
    { project, topic: topic.name, role: PUBSUB_PUBLISHER_ROLE, member: agentMember },
    { parent },
  );
  return { topic, publisherGrant };
}
