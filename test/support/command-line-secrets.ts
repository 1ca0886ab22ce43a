/**
 * Finds commands that pass a secret as an argument, where any local user's process list
 * (`ps`, /proc/<pid>/cmdline) can read it. The documented way is stdin, a prompt or a file.
 */

export interface CommandLineSecret {
  readonly line: string;
  readonly why: string;
}

/** A shell variable whose name says it holds a secret. */
const SECRET_VARIABLE = /\$\{?[A-Z0-9_]*(TOKEN|PASSWORD|SECRET|PASSPHRASE|JWT)\}?(?![A-Z0-9_])/;
/** Shell builtins: their arguments never reach a process list. */
const BUILTINS = new Set([
  "echo",
  "printf",
  "export",
  "local",
  "read",
  "unset",
  "test",
  "[",
  "[[",
  "declare",
]);

/** Each rule looks at one simple command's words (comments and redirections removed). */
const RULES: ReadonlyArray<{ why: string; test: (words: readonly string[]) => boolean }> = [
  {
    why: "pulumi config set --secret with a value argument (leave it out: pulumi reads stdin or prompts)",
    test: (w) => {
      const at = w.findIndex(
        (x, i) => x === "config" && w[i + 1] === "set" && /pulumi$/.test(w[i - 1] ?? ""),
      );
      if (at < 0 || !w.includes("--secret")) return false;
      const rest = w.slice(at + 2);
      const positional = rest.filter(
        (x, i) =>
          !x.startsWith("-") && !["--stack", "-s", "--config-file", "-C", "--cwd"].includes(rest[i - 1]),
      );
      return positional.length > 1;
    },
  },
  {
    why: "vault login with a token argument (leave it out: vault prompts, or `vault login -` reads stdin)",
    test: (w) => {
      const at = w.findIndex((x, i) => /vault$/.test(x) && w[i + 1] === "login");
      return at >= 0 && w.slice(at + 2).some((x) => !x.startsWith("-") && !x.includes("="));
    },
  },
  {
    why: "a MySQL/MariaDB password on the command line (-p<password>, --password=…): use -p alone, or an option file",
    test: (w) =>
      /^(\$SUDO )?(mysql|mariadb|mysqladmin|mariadb-admin|mysqldump|mariadb-dump)$/.test(w[0] ?? "") &&
      w.some((x) => /^-p\S/.test(x) || /^--password=/.test(x)),
  },
  {
    why: "a credential in a connection URL argument (user:password@host)",
    test: (w) => w.some((x) => /^["']?[a-z][a-z0-9+]*:\/\/[^/\s:@]+:[^/\s@]+@/.test(x)),
  },
  {
    why: "an argument expands a variable that holds a secret (pipe it, or put it in the environment)",
    test: (w) => !BUILTINS.has(w[0] ?? "") && w.some((x) => SECRET_VARIABLE.test(x)),
  },
];

/** Splits a shell line into simple commands of words: `|`, `&&`, `||`, `;` end a command. */
function simpleCommands(line: string): string[][] {
  // A command substitution (`$(…`, also as `NAME=$(…`) starts a command of its own.
  const withoutComment = line.replace(/(^|\s)#.*$/, "").replace(/(?:[A-Za-z_][A-Za-z0-9_]*=)?\$\(/g, ";");
  return withoutComment
    .split(/\|\||&&|\||;/)
    .map((part) =>
      part
        .trim()
        .split(/\s+/)
        .filter((w) => w !== "")
        // Redirections and their files are not arguments.
        .filter((w, i, all) => !/^\d?(<|>>?)(&\d)?$/.test(w) && !/^\d?(<|>>?)$/.test(all[i - 1] ?? ""))
        // Environment assignments before the command go to its environment, not its arguments.
        .filter((_, i, all) => !all.slice(0, i + 1).every((x) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(x))),
    )
    .filter((words) => words.length > 0);
}

/** Shell lines with `\` continuations joined, heredoc bodies left out (they reach stdin). */
function logicalLines(shell: string): string[] {
  const lines: string[] = [];
  let heredocEnd: string | undefined;
  let pending = "";
  for (const raw of shell.split("\n")) {
    if (heredocEnd !== undefined) {
      if (raw.trim() === heredocEnd) heredocEnd = undefined;
      continue;
    }
    const line = pending + raw;
    if (/\\$/.test(line)) {
      pending = `${line.slice(0, -1)} `;
      continue;
    }
    pending = "";
    heredocEnd = /<<-?\s*['"]?([A-Za-z_]+)['"]?/.exec(line)?.[1];
    lines.push(line);
  }
  return lines;
}

/** Commands in a shell text (a script, a workflow's `run`, a Markdown code block) that pass a secret. */
export function secretsOnCommandLine(shell: string): CommandLineSecret[] {
  const found: CommandLineSecret[] = [];
  for (const line of logicalLines(shell)) {
    for (const words of simpleCommands(line)) {
      const rule = RULES.find((r) => r.test(words));
      if (rule) found.push({ line: line.trim(), why: rule.why });
    }
  }
  return found;
}

/** The shell a Markdown text shows: fenced code blocks (any language but known non-shell ones) and inline code. */
export function markdownShell(markdown: string): string {
  const blocks = [...markdown.matchAll(/^```([a-z]*)\n([\s\S]*?)^```/gm)]
    .filter(
      ([, lang]) => !["hcl", "json", "yaml", "ts", "typescript", "sql", "mermaid", "text"].includes(lang),
    )
    .map(([, , body]) => body);
  const outside = markdown.replace(/^```[a-z]*\n[\s\S]*?^```/gm, "");
  // Inline code may wrap onto the next line.
  const inline = [...outside.matchAll(/`([^`]+)`/g)].map(([, code]) => code.replace(/\n/g, " "));
  return [...blocks, ...inline].join("\n");
}
