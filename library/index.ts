/**
 * The schema entry of the Pulumi component package (PulumiPlugin.yaml). Pulumi's Node SDK infers
 * the package schema from TypeScript: it starts at `index.ts` of the package directory and reads
 * the components' declarations (`dist/**.d.ts`) from here. Programs never import this file: the
 * `exports` map of package.json serves the built JavaScript.
 */
export * from "./dist/library/src/index";
