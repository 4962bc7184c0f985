import type { GraphQLResolveInfo } from 'graphql';
import type { PersonRef } from '../domain/person.js';
import type { Adjudication } from '../domain/prison-life.js';
import type { ResolverContext } from './context.js';
import { fingerprint, pageOf, pageSize } from './pagination.js';
import { reportOmitted } from './partial.js';
import { prisonHalf, upstream } from './person.js';

/** Adjudications (issue 18 area 4): read whole from Manage Adjudications, paged here. */

interface AdjudicationArgs {
  first?: number | null;
  after?: string | null;
}

export const adjudicationResolvers = {
  Person: {
    adjudications: async (person: PersonRef, args: AdjudicationArgs, ctx: ResolverContext, info: GraphQLResolveInfo) => {
      const prison = prisonHalf(person);
      if (!prison) return null;
      const first = pageSize(args.first ?? 20, 'first');
      const all = await upstream(ctx.loaders.adjudications.load(prison.prisonNumber));
      reportOmitted(ctx, info, all, 'PRISON');
      return pageOf(all, first, args.after, fingerprint(['adjudications', prison.prisonNumber]));
    },
  },
  Adjudication: {
    offence: (a: Adjudication) => ({
      code: a.offenceCode,
      description: a.offenceDescription,
      paragraph: a.offenceParagraph,
      paragraphDescription: a.offenceParagraphDescription,
    }),
  },
};
