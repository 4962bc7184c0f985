import { GraphQLError, type ASTNode } from 'graphql';

/**
 * The error contract of design §3, in one place: every code a consumer can see, the HTTP status it
 * carries when it stops a whole request, and the one builder of each error shape. Nothing else in
 * the gateway spells a code or an error body. New codes are added here (and to the README table, the
 * consumer guide and the schema descriptions that promise them).
 *
 * Imported by every layer (server, auth, resolvers, datasources), so it imports nothing from `src/`.
 */
export const ERROR_CODES = {
  /** Missing or unreadable identity: no or untrusted client certificate, API key missing or wrong. */
  UNAUTHENTICATED: { status: 401 },
  /** Identified, but the policy does not allow it (consumer, coordinate, introspection). */
  FORBIDDEN: { status: 403 },
  /** Over the consumer's rate limit or throttled after wrong API keys. */
  RATE_LIMITED: { status: 429 },
  /** Over a query limit (depth, aliases, root fields, directives, cost, tokens). */
  QUERY_TOO_COMPLEX: { status: 400 },
  GRAPHQL_PARSE_FAILED: { status: 400 },
  GRAPHQL_VALIDATION_FAILED: { status: 400 },
  /** A malformed argument or variable (inside an operation: `null` at that path). */
  BAD_USER_INPUT: { status: 400 },
  /**
   * The HTTP request itself cannot be served: unreadable JSON or CSRF (400), an operation sent with GET where
   * only POST is taken (405), a body over the limit (413), not `application/json` (415).
   */
  BAD_REQUEST: { status: 400, otherStatuses: [405, 413, 415] },
  /** `operationName` not in the document, or several operations and none named. */
  OPERATION_RESOLUTION_FAILURE: { status: 400 },
  /** Apollo's answer to an automatic persisted query: not offered (Apollo answers it with HTTP 200). */
  PERSISTED_QUERY_NOT_SUPPORTED: { status: 200 },
  /**
   * A `documentId` (or Apollo's `extensions.persistedQuery.sha256Hash`) that names none of the consumer's
   * registered documents (policy/documents/<consumer>/): send the text, or register the document.
   */
  PERSISTED_QUERY_NOT_FOUND: { status: 404 },
  /**
   * The consumer's policy enforces trusted documents and this document is not one of its registered ones:
   * refused before the document is parsed (docs/adr/0020-trusted-documents.md).
   */
  DOCUMENT_NOT_TRUSTED: { status: 403 },
  /**
   * The consumer's policy requires a per-request purpose (`requestPurposes`) and the request's `x-purpose`
   * is missing or not one of them (`extensions.allowedPurposes`).
   */
  PURPOSE_NOT_ALLOWED: { status: 403 },
  /** The consumer's policy says `onBehalfOf: require` and the request has no `x-on-behalf-of`. */
  ON_BEHALF_OF_REQUIRED: { status: 403 },
  /** No such person, or one outside the consumer's filters (indistinguishable on purpose); or an unknown path. */
  NOT_FOUND: { status: 404 },
  /** An upstream that feeds this path failed or is unreachable. */
  UPSTREAM_UNAVAILABLE: { status: 502 },
  UPSTREAM_TIMEOUT: { status: 504 },
  /** The gateway cannot serve now: the disclosure ledger cannot record (LEDGER_ON_ERROR=closed). Retry later. */
  SERVICE_UNAVAILABLE: { status: 503 },
  /**
   * An upstream that feeds this path answered, but not as its contract says (a redirect, an
   * undeclared 4xx, not JSON, another shape, a value outside its format or domain, over the size
   * cap). `retryable: false`: the same question gets the same answer until the upstream is fixed.
   */
  UPSTREAM_INVALID_RESPONSE: { status: 502 },
  /** A bug by definition: logged with its detail, never sent. */
  INTERNAL_SERVER_ERROR: { status: 500 },
} as const satisfies Record<string, { status: number; otherStatuses?: readonly number[] }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Extensions besides the code; `code` and `http` are the contract's own. */
export type ErrorExtensions = Record<string, unknown> & { code?: never; http?: never };

/** The message of every INTERNAL_SERVER_ERROR: the detail is in the log under the request id. */
export const INTERNAL_ERROR_MESSAGE = 'Internal error. It has been logged; please report the request id.';

/** A code a consumer may see; anything else leaving the gateway is replaced by INTERNAL_SERVER_ERROR. */
export function isPublicCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR' && Object.hasOwn(ERROR_CODES, code);
}

/**
 * The HTTP status of a response that `code` stops: the code's own status, or `variant` when it is one of the
 * code's `otherStatuses` (BAD_REQUEST's 405, 413, 415). A variant the contract does not allow is a bug.
 */
export function httpStatusOf(code: ErrorCode, variant?: number): number {
  if (variant === undefined) return ERROR_CODES[code].status;
  if (!httpStatusesOf(code).includes(variant)) throw new Error(`the error contract gives ${code} no HTTP status ${variant}`);
  return variant;
}

/** Every HTTP status a response stopped with `code` may carry, its own first (docs/consumers.md's error table lists them). */
export function httpStatusesOf(code: ErrorCode): readonly number[] {
  const entry: { status: number; otherStatuses?: readonly number[] } = ERROR_CODES[code];
  return [entry.status, ...(entry.otherStatuses ?? [])];
}

export interface FormattedError {
  message: string;
  extensions: { code: ErrorCode } & Record<string, unknown>;
}

/** One error as it appears in a response's `errors` list. */
export function formattedError(code: ErrorCode, message: string, extensions: ErrorExtensions = {}): FormattedError {
  return { message, extensions: { code, ...extensions } };
}

/**
 * The body of a response refused before GraphQL ran (HTTP hooks: identity, rate limit, body limits,
 * unknown paths), in the same shape as a GraphQL error response.
 */
export function errorBody(code: ErrorCode, message: string, extensions: ErrorExtensions = {}): { errors: [FormattedError] } {
  return { errors: [formattedError(code, message, extensions)] };
}

/**
 * The contract codes an error response's body carries (`errors[].extensions.code`), for a body built
 * elsewhere (Apollo's HTTP-level answers); [] when the text is not such a body.
 */
export function errorCodesOf(body: string): ErrorCode[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return [];
  const codes = errors.map((e) => (e as { extensions?: { code?: unknown } } | null)?.extensions?.code);
  return [...new Set(codes.filter((c): c is ErrorCode => typeof c === 'string' && Object.hasOwn(ERROR_CODES, c)))];
}

/**
 * A GraphQL error with a contract code. `stopsOperation`: the error ends the whole operation before
 * execution, so the response carries the code's HTTP status (`extensions.http`, which Apollo reads
 * and removes from the body); errors at a path inside an executed operation leave the status at 200.
 */
export function graphQLError(
  code: ErrorCode,
  message: string,
  extensions: ErrorExtensions = {},
  options: { stopsOperation?: boolean; nodes?: readonly ASTNode[]; path?: ReadonlyArray<string | number> } = {},
): GraphQLError {
  return new GraphQLError(message, {
    ...(options.nodes ? { nodes: options.nodes } : {}),
    // Set by the gateway only for an error beside data at the same path (a partial list, ADR 21);
    // graphql-js sets it on every error a resolver throws.
    ...(options.path ? { path: options.path } : {}),
    extensions: { code, ...extensions, ...(options.stopsOperation ? { http: { status: httpStatusOf(code) } } : {}) },
  });
}

/**
 * No such person - or one outside the consumer's filters: the two look the same, byte for byte, so
 * that nobody can probe for people they may not see. Raised by resolvers (unknown id) and by the
 * authorisation layer (filtered person), so it lives in the contract, not in either.
 */
export function personNotFound(): GraphQLError {
  return graphQLError('NOT_FOUND', 'No person was found for this hmppsId.');
}
