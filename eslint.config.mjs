// Flat config: typescript-eslint's recommended rules; formatting is prettier's job.
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      "bin/**",
      "library/dist/**",
      "library/.test-build-*/**",
      ".bench/**",
      ".integration/**",
      "**/*.js",
      "**/*.mjs",
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    // CommonJS files (Mocha's .mocharc.cjs) load modules the only way they can.
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Tests build malformed catalogs on purpose; typing every mutation would hide the intent.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
