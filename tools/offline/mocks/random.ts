/**
 * `@pulumi/random`: generated values come back as Pulumi secrets, as the real provider's
 * `additionalSecretOutputs` make them, so a test can tell a wrapped secret from a leak.
 */
import * as pulumi from "@pulumi/pulumi";
import { digest, type MockHandler } from "./context";

/** Every fabricated secret value starts with this, so leak checks can search for it. */
export const MOCK_SECRET_MARKER = "mock-generated-secret-";

export const randomMocks: MockHandler = (type, name, inputs) => {
  if (!type.startsWith("random:")) return undefined;
  const length = typeof inputs.length === "number" ? inputs.length : 32;
  const value = `${MOCK_SECRET_MARKER}${digest(type, name).slice(0, Math.max(8, length - MOCK_SECRET_MARKER.length))}`;
  switch (type) {
    case "random:index/randomPassword:RandomPassword":
      return {
        id: "none",
        outputs: {
          result: pulumi.secret(value),
          bcryptHash: pulumi.secret(`$2a$10$${digest(value).slice(0, 53)}`),
        },
      };
    case "random:index/randomString:RandomString":
    case "random:index/randomId:RandomId":
      return {
        id: digest(type, name).slice(0, 16),
        outputs: { result: value.slice(MOCK_SECRET_MARKER.length), hex: digest(name).slice(0, 16) },
      };
    default:
      return { id: digest(type, name).slice(0, 16), outputs: {} };
  }
};
