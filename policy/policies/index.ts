/**
 * Every policy of the pack, importable without starting a policy server: only `../index.ts`
 * constructs the `PolicyPack`. The gate and the tests evaluate these objects directly.
 */
import type { PlatformPolicy } from "../lib/policy";
import { withSettingsCheck } from "../lib/settings";
import * as everyPolicy from "./all";

export * from "./all";

/**
 * All policies, resource and stack, in the alphabetical order of their names, each reporting a
 * setting of its config that it does not have (`../lib/settings.ts`): what the pack runs.
 */
export const policies: readonly PlatformPolicy[] = Object.values(everyPolicy).map(withSettingsCheck);
