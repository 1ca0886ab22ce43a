/** AWS policy documents (IAM, key and resource policies), normalised for inspection. */
import { asArray, isRecord } from "./values";

export interface Statement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  /** True when the statement uses `NotAction` (allows everything but the listed actions). */
  readonly notAction: boolean;
  readonly resources: readonly string[];
  /**
   * True when the statement uses `NotResource`: an Allow then grants every resource but the
   * listed ones, as broad as `Resource: "*"` for the rules here.
   */
  readonly notResource: boolean;
  /** `"*"`, or principal type → identifiers (of `Principal` only); undefined for identity policies. */
  readonly principal?: "*" | Readonly<Record<string, readonly string[]>>;
  /**
   * True when the statement uses `NotPrincipal`: an Allow then admits every principal but the
   * listed ones, so it counts as a wildcard principal (`principal` stays undefined).
   */
  readonly notPrincipal: boolean;
  readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

const parsed = new Map<string, Statement[] | Error>();

/**
 * The statements of a policy input (JSON text or an object). Throws on text that is not a
 * policy document, with the JSON error, so a policy can report it instead of passing it.
 */
export function statements(document: unknown): Statement[] {
  if (typeof document === "string") {
    let result = parsed.get(document);
    if (!result) {
      try {
        result = normalise(JSON.parse(document));
      } catch (e) {
        result = e instanceof Error ? e : new Error(String(e));
      }
      parsed.set(document, result);
    }
    if (result instanceof Error) throw result;
    return result;
  }
  return normalise(document);
}

function normalise(doc: unknown): Statement[] {
  if (!isRecord(doc)) throw new Error("policy document is not a JSON object");
  return asArray(doc.Statement as unknown).map((raw) => {
    if (!isRecord(raw)) throw new Error("a Statement is not a JSON object");
    const conditions: Record<string, Record<string, string[]>> = {};
    for (const [operator, entries] of Object.entries(isRecord(raw.Condition) ? raw.Condition : {})) {
      conditions[operator] = {};
      for (const [key, values] of Object.entries(isRecord(entries) ? entries : {})) {
        conditions[operator][key.toLowerCase()] = asArray(values as string | string[]).map(String);
      }
    }
    return {
      sid: typeof raw.Sid === "string" ? raw.Sid : undefined,
      effect: raw.Effect === "Deny" ? "Deny" : "Allow",
      actions: asArray((raw.Action ?? raw.NotAction) as string | string[]).map(String),
      notAction: raw.NotAction !== undefined,
      resources: asArray((raw.Resource ?? raw.NotResource ?? "*") as string | string[]).map(String),
      notResource: raw.Resource === undefined && raw.NotResource !== undefined,
      principal: normalisePrincipal(raw.Principal),
      notPrincipal: raw.Principal === undefined && raw.NotPrincipal !== undefined,
      conditions,
    };
  });
}

function normalisePrincipal(principal: unknown): Statement["principal"] {
  if (principal === undefined) return undefined;
  if (principal === "*") return "*";
  if (!isRecord(principal)) return {};
  return Object.fromEntries(
    Object.entries(principal).map(([k, v]) => [k, asArray(v as string | string[]).map(String)]),
  );
}

/**
 * True when the statement's principal includes everyone (`"*"` or `{ AWS: "*" }`), or all but
 * a few (`NotPrincipal`).
 */
export function hasWildcardPrincipal(statement: Statement): boolean {
  if (statement.notPrincipal) return true;
  const p = statement.principal;
  if (p === "*") return true;
  return p !== undefined && Object.values(p).some((ids) => ids.includes("*"));
}

/**
 * Condition keys that narrow a wildcard principal to known callers; a statement with any of
 * them is not "public" (the same test AWS's block-public-policy check applies).
 */
const NARROWING_KEYS = [
  "aws:principalarn",
  "aws:principalaccount",
  "aws:principalorgid",
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourcevpc",
  "aws:sourcevpce",
  "aws:calleraccount",
  "kms:calleraccount",
];
const ARN_KEYS = ["aws:principalarn", "aws:sourcearn"];

/**
 * Operators that require the key to be present and to equal (or match) a value. Not the
 * negated ones (`StringNotEquals`: everyone else), not `…IfExists` (true when the caller's
 * request has no such key, as for `aws:SourceAccount` on a direct call), not the set operators
 * (`ForAllValues:` is true for a missing key), not `Null`.
 */
const NARROWING_OPERATORS = ["StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike"];

/**
 * A value that names callers: no wildcard in an account, organisation or VPC id, nor in the
 * partition, service, region or account of an ARN (`arn:aws:iam::*:role/x` names every account).
 */
function namesCallers(key: string, value: string): boolean {
  const fixed = ARN_KEYS.includes(key) ? value.split(":").slice(0, 5).join(":") : value;
  return value !== "" && !/[*?]/.test(fixed);
}

/** A value with no wildcard: it names one thing. */
const exactValue = (_key: string, value: string) => value !== "" && !/[*?]/.test(value);

/**
 * True when one of the statement's conditions requires one of `keys` (lower case) under one of
 * `operators`, with every value of it passing `names`. Anything else narrows nothing: the
 * rules then judge the statement as written (the strict side).
 */
export function isNarrowedBy(
  statement: Statement,
  keys: readonly string[],
  operators: readonly string[],
  names: (key: string, value: string) => boolean = exactValue,
): boolean {
  return Object.entries(statement.conditions).some(
    ([operator, entries]) =>
      operators.includes(operator) &&
      Object.entries(entries).some(
        ([key, values]) => keys.includes(key) && values.length > 0 && values.every((v) => names(key, v)),
      ),
  );
}

/**
 * True when a condition restricts the statement to named callers: every value of a narrowing
 * key under a narrowing operator names callers, so a wildcard principal is not public.
 */
export function isNarrowedByCondition(statement: Statement): boolean {
  return isNarrowedBy(statement, NARROWING_KEYS, NARROWING_OPERATORS, namesCallers);
}

/** `statement "<Sid>"` or `statement <index>`, for messages. */
export function statementLabel(statement: Statement, index: number): string {
  return statement.sid ? `statement "${statement.sid}"` : `statement ${index}`;
}

/** The statements of `document`, or undefined after reporting why it cannot be read. */
export function readStatements(
  document: unknown,
  what: string,
  report: (message: string) => void,
): Statement[] | undefined {
  try {
    return statements(document);
  } catch (e) {
    report(`${what} cannot be read: ${(e as Error).message}`);
    return undefined;
  }
}
