/** Runs the offline preview CLI as users do, in a child process. */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { PROJECT_DIR } from "../../tools/offline/shipped-stacks";

export interface PreviewCliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function previewCli(...args: string[]): Promise<PreviewCliResult> {
  return previewCliIn(PROJECT_DIR, ...args);
}

/** The same, run from another checkout of the project (a copy in a temporary directory). */
export function previewCliIn(projectDir: string, ...args: string[]): Promise<PreviewCliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        require.resolve("ts-node/dist/bin"),
        "--transpile-only",
        path.join(projectDir, "tools", "preview-offline.ts"),
        ...args,
      ],
      { cwd: projectDir, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        // A non-zero exit is an answer the tests check, not a failure to run.
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
