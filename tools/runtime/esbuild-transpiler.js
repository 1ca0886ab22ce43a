/**
 * The transpiler ts-node uses here: tests, tools, the offline preview and the Pulumi Node runtime running the program (tsconfig.json,
 * "ts-node".transpiler): esbuild's transform of each TypeScript file to CommonJS instead of the
 * TypeScript compiler's. The runtime already transpiles file by file without type checking
 * (noCheck; `npm run typecheck` checks types), so the emit differs only in its helpers; esbuild
 * is a pinned dependency, and its per-file transform takes a fraction of the TypeScript
 * compiler's (issue 26: the compiler spent about 0.4 s of each `pulumi preview` of the local
 * stack on the program's files). Plain JavaScript: ts-node requires it before it can compile.
 */
"use strict";
const esbuild = require("esbuild");

/** ts-node's transpiler module interface: `create` returns `{ transpile(code, { fileName }) }`. */
exports.create = function create() {
  return {
    transpile(input, { fileName }) {
      const { code, map } = esbuild.transformSync(input, {
        loader: fileName.endsWith(".tsx") ? "tsx" : "ts",
        format: "cjs",
        platform: "node",
        // tsconfig.json's target and its class-field semantics (ES2022 defines fields).
        target: "es2022",
        tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
        sourcefile: fileName,
        sourcemap: "external",
      });
      return { outputText: code, sourceMapText: map };
    },
  };
};
