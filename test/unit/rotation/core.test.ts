import * as assert from "node:assert/strict";
import { bundleRotationHandler } from "../../../components/rotation/aws/bundle";
import { RotationStateError, tokenState } from "../../../components/rotation/aws/stages";
import { accountName, regrant } from "../../../components/rotation/core/mysql-grants";
import { parseDatabaseSecret, serializeDatabaseSecret } from "../../../components/rotation/core/secret";
import { alternateUsername, groupRoleName } from "../../../components/rotation/core/users";

describe("rotation core", () => {
  const from = accountName("app", "%");
  const to = accountName("app_clone", "%");

  it("copies grant lines verbatim, without touching % or escapes (aws-samples #85)", () => {
    const line = "GRANT SELECT, INSERT ON `rot\\_x\\_report%`.* TO `app`@`%` WITH GRANT OPTION";
    assert.equal(
      regrant(line, from, to),
      "GRANT SELECT, INSERT ON `rot\\_x\\_report%`.* TO `app_clone`@`%` WITH GRANT OPTION",
    );
    assert.equal(regrant(regrant(line, from, to)!, to, from), line, "a round trip is the identity");
  });

  it("never copies the password hash of the USAGE line, and copies roles and default roles", () => {
    assert.equal(
      regrant("GRANT USAGE ON *.* TO `app`@`%` IDENTIFIED BY PASSWORD '*ABC'", from, to),
      undefined,
    );
    assert.equal(regrant("GRANT `reporting` TO `app`@`%`", from, to), "GRANT `reporting` TO `app_clone`@`%`");
    assert.equal(
      regrant("SET DEFAULT ROLE `reporting` FOR `app`@`%`", from, to),
      "SET DEFAULT ROLE `reporting` FOR `app_clone`@`%`",
    );
    assert.throws(() => regrant("REVOKE ALL", from, to), /unexpected SHOW GRANTS line/);
  });

  it("alternates between the user and its clone, sharing one group role", () => {
    assert.equal(alternateUsername("app"), "app_clone");
    assert.equal(alternateUsername("app_clone"), "app");
    assert.equal(groupRoleName("app_clone"), groupRoleName("app"));
  });

  it("names the secret, never its values, when a secret is malformed", () => {
    const text = JSON.stringify({
      engine: "oracle",
      host: "h",
      port: 1,
      username: "u",
      password: "s3cr3t-value",
    });
    assert.throws(
      () => parseDatabaseSecret(text, "secret X"),
      (e: Error) => /secret X: engine "oracle"/.test(e.message) && !e.message.includes("s3cr3t"),
    );
    const kept = parseDatabaseSecret(
      JSON.stringify({ ...JSON.parse(text), engine: "mariadb", proxy: "p" }),
      "X",
    );
    assert.deepEqual(
      JSON.parse(serializeDatabaseSecret(kept)).proxy,
      "p",
      "fields rotation does not know are kept",
    );
  });

  describe("version stages", () => {
    const stages = { a: ["AWSPREVIOUS"], b: ["AWSCURRENT"], c: ["AWSPENDING"] };
    it("accepts the pending token and recognises a finished one", () => {
      assert.equal(tokenState(stages, "c", "s"), "pending");
      assert.equal(tokenState(stages, "b", "s"), "current");
    });
    it("refuses unknown, previous, doubly pending and current-less states", () => {
      assert.throws(() => tokenState(stages, "z", "s"), /version z: the version has no stage/);
      assert.throws(
        () => tokenState(stages, "a", "s"),
        /neither AWSPENDING nor AWSCURRENT \(stages: AWSPREVIOUS\)/,
      );
      assert.throws(
        () => tokenState({ ...stages, d: ["AWSPENDING"] }, "c", "s"),
        /AWSPENDING is also on version d/,
      );
      assert.throws(() => tokenState({ c: ["AWSPENDING"] }, "c", "s"), RotationStateError);
    });
  });

  it("bundles a self-contained Lambda entry point", () => {
    const module = { exports: {} as Record<string, unknown> };
    new Function("module", "exports", "require", bundleRotationHandler())(module, module.exports, require);
    assert.equal(typeof module.exports.handler, "function");
  });
});
