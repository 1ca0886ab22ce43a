/** Runs the offline preview CLI as users do, in a child process. */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { PROJECT_DIR } from "../../tools/offline/shipped-stacks";

export function previewCli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    [
      require.resolve("ts-node/dist/bin"),
      "--transpile-only",
      path.join(PROJECT_DIR, "tools", "preview-offline.ts"),
      ...args,
    ],
    { cwd: PROJECT_DIR, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
