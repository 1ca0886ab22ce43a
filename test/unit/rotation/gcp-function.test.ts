/**
 * GcpDatabaseRotationFunction under the offline mock runtime: exactly which IAM members exist,
 * on which resources, and that bad arguments fail before any resource is registered.
 */
import * as assert from "node:assert/strict";
import {
  GcpDatabaseRotationFunction,
  ROTATOR_PERMISSIONS,
  secretRotationSchedule,
  type GcpDatabaseRotationFunctionArgs,
} from "../../../components/rotation/gcp/function";
import { PROFILES } from "../../../stacks/profiles";
import type { RecordedResource } from "../../../tools/offline/types";
import { named, ofType, recordResources } from "../../support/offline";

const PROJECT = "acme-prod";
const secret = (id: string) => `projects/${PROJECT}/secrets/${id}`;
const ARGS: GcpDatabaseRotationFunctionArgs = {
  project: PROJECT,
  region: "europe-west1",
  secrets: { orders: secret("orders-db"), billing: secret("billing-db") },
  adminSecret: secret("admin-db"),
  rotationTopic: `projects/${PROJECT}/topics/secret-rotation`,
};

describe("GcpDatabaseRotationFunction (mock runtime)", function () {
  this.timeout(60_000);
  let resources: RecordedResource[];
  const one = (type: string, name: string) => named(resources, type, name);

  before(async () => {
    resources = await recordResources(() => new GcpDatabaseRotationFunction("dbrot", ARGS));
  });

  it("grants the function's account the rotator role on each rotated secret and read on the admin secret, nothing else", () => {
    const member = one("gcp:serviceaccount/account:Account", "dbrot-sa").outputs.member;
    const role = one("gcp:projects/iAMCustomRole:IAMCustomRole", "dbrot-rotator-role").outputs.name;
    const grants = ofType(resources, "gcp:secretmanager/secretIamMember:SecretIamMember").map((r) => ({
      secretId: r.inputs.secretId,
      role: r.inputs.role,
      member: r.inputs.member,
    }));
    assert.deepEqual(
      grants.sort((a, b) => String(a.secretId).localeCompare(String(b.secretId))),
      [
        { secretId: secret("admin-db"), role: "roles/secretmanager.secretAccessor", member },
        { secretId: secret("billing-db"), role, member },
        { secretId: secret("orders-db"), role, member },
      ],
    );
    const iamTypes = resources.map((r) => r.type).filter((t) => /iam(member|binding|policy)/i.test(t));
    assert.deepEqual(
      [...new Set(iamTypes)].sort(),
      [
        "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
        "gcp:secretmanager/secretIamMember:SecretIamMember",
      ],
      "no project, folder or bucket grants",
    );
  });

  it("the custom role holds exactly the four version permissions the handler uses (no destroy)", () => {
    const role = one("gcp:projects/iAMCustomRole:IAMCustomRole", "dbrot-rotator-role");
    assert.deepEqual(role.inputs.permissions, [...ROTATOR_PERMISSIONS]);
    assert.ok(!(role.inputs.permissions as string[]).some((p) => p.includes("destroy")));
  });

  it("the trigger's account may only invoke this function; the function runs as its own account", () => {
    const fn = one("gcp:cloudfunctionsv2/function:Function", "dbrot-function");
    const invoker = one("gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "dbrot-trigger-invoker");
    const trigger = one("gcp:serviceaccount/account:Account", "dbrot-trigger-sa");
    const account = one("gcp:serviceaccount/account:Account", "dbrot-sa");
    assert.deepEqual(
      { role: invoker.inputs.role, member: invoker.inputs.member, name: invoker.inputs.name },
      { role: "roles/run.invoker", member: trigger.outputs.member, name: fn.outputs.name },
    );
    const config = fn.inputs.serviceConfig as Record<string, unknown>;
    const eventTrigger = fn.inputs.eventTrigger as Record<string, unknown>;
    assert.equal(config.serviceAccountEmail, account.outputs.email);
    assert.equal(config.maxInstanceCount, 1);
    assert.equal(config.ingressSettings, "ALLOW_INTERNAL_ONLY");
    assert.equal(eventTrigger.serviceAccountEmail, trigger.outputs.email);
    assert.equal(eventTrigger.pubsubTopic, ARGS.rotationTopic);
    assert.equal(eventTrigger.eventType, "google.cloud.pubsub.topic.v1.messagePublished");
    assert.equal(
      (config.environmentVariables as Record<string, string>).ROTATION_SECRETS,
      `${secret("orders-db")},${secret("billing-db")}`,
    );
  });

  it("keeps the source private", () => {
    const bucket = one("gcp:storage/bucket:Bucket", "dbrot-source");
    assert.equal(bucket.inputs.publicAccessPrevention, "enforced");
    assert.equal(bucket.inputs.uniformBucketLevelAccess, true);
  });

  it("derives the secrets' rotation block from the profile", () => {
    const from = new Date("2026-01-01T00:00:00Z");
    assert.deepEqual(secretRotationSchedule(PROFILES.prod, from), {
      rotationPeriod: `${7 * 86400}s`,
      nextRotationTime: "2026-01-08T00:00:00.000Z",
    });
  });

  for (const [label, change, message] of [
    ["no secrets", { secrets: {} }, /"secrets" must name at least one/],
    ["a bad secrets key", { secrets: { Orders: secret("x") } }, /secrets key "Orders"/],
    ["a bad region", { region: "Europe" }, /region "Europe"/],
  ] as const) {
    it(`refuses ${label} with a message naming the argument`, () =>
      assert.rejects(
        recordResources(
          () =>
            new GcpDatabaseRotationFunction("bad", { ...ARGS, ...change } as GcpDatabaseRotationFunctionArgs),
        ),
        message,
      ));
  }
});
