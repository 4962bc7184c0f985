import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Consumer } from '../../auth/index.js';
import { IMAGE_PATH, type ImageLinks } from '../../auth/image-links.js';
import { UpstreamError, type DataSources } from '../../datasources/index.js';
import { preferredHmppsId } from '../../domain/person.js';
import { isLimitedAccess, visibilityOf } from '../../domain/visibility.js';
import { errorBody, httpStatusOf } from '../../errors/contract.js';
import type { Ledger } from '../../ledger/index.js';
import { requestLedgerFields } from './ledger.js';
import { scopeOf } from '../telemetry.js';

export interface ImagesOptions {
  links: ImageLinks;
  dataSources: DataSources;
  ledger: Ledger;
  maxBytes: number;
  developmentListener: boolean;
}

/** What a consumer must be granted, now, to open a link (the same as to be given one). */
const NEEDED = ['Person.images', 'ImageMetadata.url'] as const;
/** The coordinate the ledger records the photograph under. */
const DISCLOSED = 'ImageMetadata.url';

const NOT_FOUND = errorBody('NOT_FOUND', 'No image was found at this address.');

/**
 * `GET /images/{id}?token=...`: a photograph, for the consumer its link was made for, while the link
 * lasts and while that consumer may still see the person and their images (docs/adr/0018). Every
 * refusal is the same 404 - a forged, expired, other consumer's or no-longer-permitted link, a person
 * now outside the filters, an image that is not the person's - so that a link tells nobody anything.
 * The bytes are streamed from the Prison API under a size cap; each answer is a ledger record.
 */
const images: FastifyPluginAsync<ImagesOptions> = async (app, options) => {
  const { links, dataSources, ledger, maxBytes, developmentListener } = options;

  const record = (request: FastifyRequest, status: number, code: string | null, subject: string | null) => {
    request.ledgerRecorded = true;
    ledger.record({
      kind: subject ? 'disclosure' : 'refusal',
      ...requestLedgerFields(request, developmentListener),
      operationName: `GET ${IMAGE_PATH}{id}`,
      documentHash: null,
      outcome: subject ? 'ok' : code === 'NOT_FOUND' ? 'refused' : 'error',
      httpStatus: status,
      errorCodes: code ? [code] : [],
      subjects: subject ? [{ hmppsId: subject, disclosed: [DISCLOSED], redacted: [] }] : [],
      searches: [],
    });
  };

  const refuse = (request: FastifyRequest, reply: FastifyReply) => {
    record(request, httpStatusOf('NOT_FOUND'), 'NOT_FOUND', null);
    return reply.code(httpStatusOf('NOT_FOUND')).header('cache-control', 'no-store').send(NOT_FOUND);
  };

  const failed = (request: FastifyRequest, reply: FastifyReply, e: unknown) => {
    if (!(e instanceof UpstreamError)) throw e;
    const code = e.contractFault ? 'UPSTREAM_INVALID_RESPONSE' : e.failure === 'timeout' ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE';
    const status = httpStatusOf(code);
    record(request, status, code, null);
    const message = e.contractFault ? 'The photograph could not be used: a source system gave an invalid answer.' : 'Prison data is unavailable at the moment.';
    return reply.code(status).header('cache-control', 'no-store').send(errorBody(code, message, { area: 'prison', retryable: !e.contractFault }));
  };

  app.get<{ Params: { id: string }; Querystring: { token?: string } }>(`${IMAGE_PATH}:id`, async (request, reply) => {
    const consumer = request.consumer as Consumer;
    const imageId = request.params.id;
    const token = typeof request.query.token === 'string' ? request.query.token : '';
    if (!/^\d{1,18}$/.test(imageId)) return refuse(request, reply);
    const opened = links.open(token, imageId, consumer.name);
    if (!opened.ok) return refuse(request, reply);
    // The policy in force now, not the one the link was made under.
    if (!NEEDED.every((c) => consumer.grant.coordinates.has(c))) return refuse(request, reply);

    const scope = scopeOf(request);
    const loaders = dataSources.forRequest(scope, consumer.grant.rowFilters);
    try {
      const person = await loaders.person.load(opened.claims.prisonNumber);
      if (!person?.prison || visibilityOf(person, consumer.grant.rowFilters) !== true) return refuse(request, reply);
      // A redaction of the images or their links (for everyone, or for limited-access people) withholds the photograph too.
      const redacted = NEEDED.some((c) => {
        const r = consumer.grant.redactions.get(c);
        return r !== undefined && (!r.limitedAccessOnly || isLimitedAccess(person));
      });
      if (redacted) return refuse(request, reply);
      // The image must still be one of this person's (the facade's ownership check).
      const owned = await loaders.images.load(person.prison.prisonNumber);
      if (!owned.some((i) => i.id === imageId)) return refuse(request, reply);
      const image = await dataSources.openImage(imageId, scope, maxBytes);
      if (!image) return refuse(request, reply);
      record(request, 200, null, preferredHmppsId(person));
      reply
        .code(200)
        .header('content-type', image.contentType)
        // Personal data: no shared cache keeps it, and the consumer's own no longer than the link lasts.
        .header('cache-control', `private, max-age=${links.secondsLeft(opened.claims)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'inline');
      if (image.contentLength !== null) reply.header('content-length', String(image.contentLength));
      return reply.send(image.body);
    } catch (e) {
      return failed(request, reply, e);
    }
  });
};

export const imagesPlugin = fp(images, { name: 'images', dependencies: ['identity', 'rate-limit', 'ledger-refusals', 'ledger-gate'] });
