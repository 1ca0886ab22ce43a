/** The SQL dialect of a catalog database. */
import type { Database } from "../../../stacks/schema";
import { mysql } from "./mysql";
import { postgresql } from "./postgresql";
import type { SqlDialect } from "./statements";

export function dialectOf(database: Database): SqlDialect {
  return database.engine === "postgresql" ? postgresql : mysql;
}

export type {
  AccessLevel,
  DatabaseBootstrap,
  DynamicRoleStatements,
  SqlDialect,
  StaticRoleStatements,
} from "./statements";
