import { adjudicationResolvers } from './adjudications.js';
import { entityResolvers } from './entities.js';
import { personResolvers } from './person.js';
import { prisonLifeResolvers } from './prison-life.js';
import { queryResolvers } from './query.js';
import { riskResolvers } from './risk.js';
import { recordResolvers } from './records.js';
import { prisonWelfarePersonFields, prisonWelfareResolvers } from './prison-welfare.js';
import { DateScalar, DateTimeScalar } from './scalars.js';
import { visitResolvers } from './visits.js';

export const resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  ...queryResolvers,
  ...personResolvers,
  ...prisonLifeResolvers,
  ...adjudicationResolvers,
  ...prisonWelfareResolvers,
  ...visitResolvers,
  // Federation: how a router's Person representation becomes a person (src/resolvers/entities.ts).
  Person: {
    ...personResolvers.Person,
    ...entityResolvers.Person,
    ...riskResolvers.Person,
    ...recordResolvers.Person,
    ...prisonLifeResolvers.Person,
    ...adjudicationResolvers.Person,
    ...prisonWelfarePersonFields,
    ...visitResolvers.Person,
  },
  RiskScoreAssessment: riskResolvers.RiskScoreAssessment,
  CriminogenicNeeds: riskResolvers.CriminogenicNeeds,
  LimitedAccess: recordResolvers.LimitedAccess,
  LimitedAccessDetails: recordResolvers.LimitedAccessDetails,
};
