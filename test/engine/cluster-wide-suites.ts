/**
 * The suites on the API server's cluster-wide objects (`cluster-lock.ts`), in the order
 * `cluster-wide.test.ts` runs them: longest first, so a failure there shows soonest. Every
 * `test/engine/*.suite.ts` must be listed (test/unit/tools/test-schedule.test.ts checks it): a
 * suite file is run only from here.
 */
export const CLUSTER_WIDE_SUITES = [
  "vault-pods",
  "local-up",
  "local-stack",
  "pods-platform",
  "vault-faults",
  "eso-env",
] as const;
