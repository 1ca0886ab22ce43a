/** Runs an operator command (tools/operator) in process and collects its exit code and output. */
import type { Output } from "../../tools/operator/cli";

export function capture(command: (argv: string[], output: Output) => number, ...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = command(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}
