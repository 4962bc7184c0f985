import { GraphQLScalarType, Kind } from 'graphql';
import { graphQLError } from '../errors/contract.js';
import { calendarDate } from '../domain/person.js';

function asDate(value: unknown): string {
  const date = typeof value === 'string' ? calendarDate(value) : null;
  if (date === null) {
    throw graphQLError('BAD_USER_INPUT', 'A Date must be a calendar date in the form YYYY-MM-DD.');
  }
  return date;
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date (YYYY-MM-DD), never shifted through a time zone.',
  serialize: asDate,
  parseValue: asDate,
  parseLiteral: (ast) => asDate(ast.kind === Kind.STRING ? ast.value : null),
});

function asInstant(value: unknown): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    if (!Number.isNaN(Date.parse(value))) return value;
  }
  throw graphQLError('BAD_USER_INPUT', 'A DateTime must be an ISO 8601 instant with an offset, e.g. 2025-10-26T01:30:00+01:00.');
}

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant (ISO 8601 with an explicit offset).',
  serialize: asInstant,
  parseValue: asInstant,
  parseLiteral: (ast) => asInstant(ast.kind === Kind.STRING ? ast.value : null),
});
