/**
 * secrets-platform: load and validate the stack's catalog, build the platform, export what
 * operators need. Pulumi calls the exported function and publishes its result as the stack
 * outputs; the offline preview calls the same function under the mock runtime.
 */
import { SecretsPlatform } from "./components/platform";
import { loadStack } from "./stacks/loader";

export = async () => {
  const stack = loadStack();
  const platform = new SecretsPlatform("platform", stack);
  const outputs = {
    environment: stack.catalog.environment,
    accessMap: platform.accessMap,
    vaultAddress: platform.vault?.connection.address,
    awsKeyArn: platform.aws?.keyArn,
    awsCiRoles: platform.aws?.github && {
      preview: platform.aws.github.previewRoleArn,
      drift: platform.aws.github.driftRoleArn,
      deploy: platform.aws.github.deployRoleArn,
    },
    azureKeyVaultUri: platform.azure?.vaultUri,
    gcpRotationTopic: platform.gcp?.rotationTopicId,
  };
  // A backend the stack does not enable has no output, rather than an "undefined value" warning.
  return Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
};
