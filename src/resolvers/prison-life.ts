import type { PersonRef } from '../domain/person.js';
import type { ImageMetadata } from '../domain/profile.js';
import type { SentenceAdjustment } from '../domain/prison-life.js';
import type { GraphQLResolveInfo } from 'graphql';
import type { ResolverContext } from './context.js';
import { reportOmitted } from './partial.js';
import { personResolvers, prisonHalf, upstream } from './person.js';

/** Prison life (issue 18): movements, sentence adjustments, and links to photographs. */

/** A photograph as resolved under a person: its metadata and whose it is (for its link). */
type OwnedImage = ImageMetadata & { ownerPrisonNumber: string };

const personImages = personResolvers.Person!.images!;

export const prisonLifeResolvers = {
  Person: {
    movements: async (person: PersonRef, _args: unknown, { loaders }: ResolverContext) => {
      const prison = prisonHalf(person);
      return prison ? upstream(loaders.movements.load(prison.prisonNumber)) : null;
    },
    sentenceAdjustments: async (person: PersonRef, _args: unknown, ctx: ResolverContext, info: GraphQLResolveInfo) => {
      const prison = prisonHalf(person);
      if (!prison) return null;
      const adjustments = await upstream(ctx.loaders.sentenceAdjustments.load(prison.prisonNumber));
      reportOmitted(ctx, info, adjustments, 'PRISON');
      return adjustments;
    },
    // The photographs as before, each knowing whose it is, so that its link can name the person.
    images: async (person: PersonRef, args: never, ctx: ResolverContext, info: GraphQLResolveInfo): Promise<OwnedImage[] | null> => {
      const list = (await personImages(person, args, ctx, info)) as ImageMetadata[] | null;
      const prison = person.prison;
      return list && prison ? list.map((image) => ({ ...image, ownerPrisonNumber: prison.prisonNumber })) : null;
    },
  },
  ImageMetadata: {
    url: (image: OwnedImage, _args: unknown, ctx: ResolverContext) => linkOf(image, ctx)?.url ?? null,
    urlExpiresAt: (image: OwnedImage, _args: unknown, ctx: ResolverContext) => linkOf(image, ctx)?.expiresAt ?? null,
  },
  SentenceAdjustment: {
    sentenceNumber: (adjustment: SentenceAdjustment) => adjustment.sentenceSequence,
  },
};

/** One link per image per request: `url` and `urlExpiresAt` describe the same link. */
const links = new WeakMap<OwnedImage, { url: string; expiresAt: string } | null>();

function linkOf(image: OwnedImage, ctx: ResolverContext) {
  if (!links.has(image)) links.set(image, ctx.imageLinks && image.ownerPrisonNumber ? ctx.imageLinks.linkFor(image.ownerPrisonNumber, image.id) : null);
  return links.get(image)!;
}
