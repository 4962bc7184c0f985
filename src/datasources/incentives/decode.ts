import { array, bookingId, fields, items, keyedBatch, object, prisonNumber, type KeyedBatch, type Report } from '../http/contract.js';
import type { CurrentIncentiveLevelDto, IncentiveReviewDetailDto, IncentiveReviewSummaryDto } from './routes.js';

/** Checks of every incentives field the mapping reads (docs/adr/0010): another shape is a contract fault. */

const levelKeys = (item: unknown, path: string): string[] => [bookingId(object(item, path).bookingId, `${path}.bookingId`)];

/** `POST /incentive-reviews/bookings`: one current level per booking that has one, keyed by booking id. */
export function decodeCurrentLevels(body: unknown, report: Report): KeyedBatch<CurrentIncentiveLevelDto> {
  return keyedBatch(
    array(body, '$'),
    '$',
    levelKeys,
    (item, path) => {
      const o = object(item, path);
      fields(o, path, { bookingId: 'integer', iepLevel: 'string' });
      return o as unknown as CurrentIncentiveLevelDto;
    },
    report,
  );
}

function decodeReview(value: unknown, path: string): IncentiveReviewDetailDto {
  const o = object(value, path);
  fields(o, path, { iepCode: 'string', iepLevel: 'string', iepDate: 'date?', iepTime: 'date?', agencyId: 'string?', reviewType: 'string', comments: 'string?' });
  return o as unknown as IncentiveReviewDetailDto;
}

/**
 * `GET /incentive-reviews/prisoner/{prisonerNumber}`: the summary must fit as a whole; a review in the
 * history that does not is dropped and reported (the level and the other reviews stand).
 */
export function decodeReviewSummary(body: unknown, report: Report): IncentiveReviewSummaryDto {
  const o = object(body, '$');
  prisonNumber(o.prisonerNumber, '$.prisonerNumber');
  fields(o, '$', { iepCode: 'string', iepLevel: 'string', iepDate: 'date?', nextReviewDate: 'date?', daysSinceReview: 'integer' });
  const reviews = items(array(o.iepDetails, '$.iepDetails'), '$.iepDetails', decodeReview, report);
  return { ...(o as unknown as IncentiveReviewSummaryDto), iepDetails: reviews };
}
