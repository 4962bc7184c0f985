import { personResolvers } from './person.js';
import { queryResolvers } from './query.js';
import { DateScalar, DateTimeScalar } from './scalars.js';

export const resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  ...queryResolvers,
  ...personResolvers,
};
