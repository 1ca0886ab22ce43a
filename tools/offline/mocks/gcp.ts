/** Realistic ids, emails and resource names for `@pulumi/gcp` resources. */
import { autoName, digest, type MockHandler } from "./context";

export const gcpMocks: MockHandler = (type, name, inputs, ctx) => {
  if (!type.startsWith("gcp:")) return undefined;
  const project = typeof inputs.project === "string" ? inputs.project : ctx.gcpProject;
  switch (type) {
    case "gcp:serviceaccount/account:Account": {
      const accountId = autoName(name, inputs.accountId);
      const email = `${accountId}@${project}.iam.gserviceaccount.com`;
      return {
        id: `projects/${project}/serviceAccounts/${email}`,
        outputs: {
          email,
          name: `projects/${project}/serviceAccounts/${email}`,
          member: `serviceAccount:${email}`,
          uniqueId: BigInt(`0x${digest(email).slice(0, 15)}`).toString(),
        },
      };
    }
    case "gcp:secretmanager/secret:Secret": {
      const secretId = autoName(name, inputs.secretId);
      return {
        id: `projects/${project}/secrets/${secretId}`,
        outputs: { secretId, project, name: `projects/${ctx.gcpProjectNumber}/secrets/${secretId}` },
      };
    }
    case "gcp:secretmanager/secretVersion:SecretVersion": {
      const version = `${String(inputs.secret)}/versions/1`;
      return { id: version, outputs: { name: version, version: "1" } };
    }
    case "gcp:kms/keyRing:KeyRing": {
      const id = `projects/${project}/locations/${String(inputs.location)}/keyRings/${autoName(name, inputs.name)}`;
      return { id, outputs: { name: autoName(name, inputs.name) } };
    }
    case "gcp:kms/cryptoKey:CryptoKey": {
      const keyName = autoName(name, inputs.name);
      return { id: `${String(inputs.keyRing)}/cryptoKeys/${keyName}`, outputs: { name: keyName } };
    }
    case "gcp:pubsub/topic:Topic": {
      const topicName = autoName(name, inputs.name);
      return { id: `projects/${project}/topics/${topicName}`, outputs: { name: topicName } };
    }
    case "gcp:pubsub/subscription:Subscription": {
      const subName = autoName(name, inputs.name);
      return { id: `projects/${project}/subscriptions/${subName}`, outputs: { name: subName } };
    }
    case "gcp:projects/serviceIdentity:ServiceIdentity": {
      const service = String(inputs.service ?? "secretmanager.googleapis.com").split(".")[0];
      const email = `service-${ctx.gcpProjectNumber}@gcp-sa-${service}.iam.gserviceaccount.com`;
      return {
        id: `projects/${project}/services/${String(inputs.service)}`,
        outputs: { email, member: `serviceAccount:${email}` },
      };
    }
    case "gcp:projects/iAMCustomRole:IAMCustomRole": {
      const role = `projects/${project}/roles/${String(inputs.roleId)}`;
      return { id: role, outputs: { name: role } };
    }
    case "gcp:cloudfunctionsv2/function:Function": {
      const functionName = autoName(name, inputs.name);
      return {
        id: `projects/${project}/locations/${String(inputs.location)}/functions/${functionName}`,
        outputs: { name: functionName },
      };
    }
    default:
      return {
        id: `projects/${project}/${type.split(":").pop()}/${autoName(name, inputs.name)}`,
        outputs: {},
      };
  }
};
