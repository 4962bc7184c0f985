import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { calendarDate } from '../domain/person.js';

function asDate(value: unknown): string {
  const date = typeof value === 'string' ? calendarDate(value) : null;
  if (date === null) {
    throw new GraphQLError('A Date must be a calendar date in the form YYYY-MM-DD.', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
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
