/**
 * CPU cost of the boundary checks (docs/adr/0009): decoding the upstream answers of one full
 * profile (prisoner search, probation search, alerts, Delius supervisions and addresses, Prison API
 * lists) with the decoders, against JSON.parse of the same bodies alone. Bodies come from the
 * simulators' well-known linked person, fetched once, then decoded in a loop.
 *
 *   npx tsx bench/decode.ts
 */
import { decodeAlertPage } from '../src/datasources/alerts/decode.js';
import { decodeCaseAddresses, decodeSupervisions } from '../src/datasources/delius-integration/decode.js';
import { decodeAddresses, decodeOffenceHistories } from '../src/datasources/prison-api/decode.js';
import { decodePrisonerBatch } from '../src/datasources/prisoner-search/decode.js';
import { decodeOffendersByCrn } from '../src/datasources/probation-search/decode.js';

const prisoner = {
  prisonerNumber: 'A0001AA', pncNumber: '12/394773H', croNumber: '29906/12J', bookingId: '1200001', firstName: 'Robin',
  middleNames: 'Jo', lastName: 'Example', dateOfBirth: '1975-04-02', gender: 'Female', ethnicity: 'White', youthOffender: false,
  maritalStatus: 'Single', religion: 'None', nationality: 'British', status: 'ACTIVE IN', inOutStatus: 'IN', prisonId: 'MDI',
  prisonName: 'HMP Example', cellLocation: 'A-1-002', receptionDate: '2023-05-01', category: 'C', csra: 'Standard',
  heightCentimetres: 170, weightKilograms: 70, hairColour: 'Brown', rightEyeColour: 'Blue', leftEyeColour: 'Green',
  facialHair: 'Clean Shaven', shapeOfFace: 'Oval', build: 'Medium', shoeSize: 7,
  tattoos: [{ bodyPart: 'Arm', comment: 'Anchor' }], scars: [{ bodyPart: 'Knee' }], marks: [],
  languages: [{ type: 'PRIM', code: 'ENG', interpreterRequested: false }],
  personalCareNeeds: [{ problemType: 'MATSTAT', problemCode: 'ACCU9', problemDescription: 'Need', startDate: '2020-06-01' }],
  aliases: [{ firstName: 'Rob', lastName: 'Sample', dateOfBirth: '1975-04-03', gender: 'Female' }],
  identifiers: [{ type: 'MERGED', value: 'B0002BB' }, { type: 'PNC', value: '12/394773H' }],
};
const offender = {
  offenderId: 1, firstName: 'Alex', middleNames: ['Jo'], surname: 'Example', dateOfBirth: '1980-02-29', gender: 'Male',
  otherIds: { crn: 'X000001', pncNumber: '2001/0000001A', croNumber: '000001/01A', nomsNumber: 'A0001AA', previousCrn: 'X000000' },
  offenderAliases: [{ firstName: 'Al', middleNames: [], surname: 'Sample', dateOfBirth: '1980-03-01', gender: 'Male' }],
  offenderProfile: { ethnicity: 'White', nationality: 'British', religion: 'None', sexualOrientation: 'Heterosexual', disabilities: [] },
  contactDetails: { phoneNumbers: [{ number: '07000 000001', type: 'MOBILE' }], emailAddresses: ['a@example.invalid'] },
  currentExclusion: false, currentRestriction: false, activeProbationManagedSentence: true, age: 44,
};
const alert = (i: number) => ({
  prisonNumber: 'A0001AA', alertCode: { alertTypeCode: 'X', alertTypeDescription: 'Security', code: `X${i}`, description: 'Risk' },
  description: 'Synthetic', activeFrom: '2020-01-01', activeTo: null, isActive: true, createdAt: '2020-01-01T10:00:00',
});
const supervision = (i: number) => ({
  number: i, active: true, date: '2020-01-01',
  sentence: { description: 'ORA Community Order', date: '2020-01-01', length: 12, lengthUnits: 'Months', custodial: false },
  mainOffence: { date: '2019-12-01', code: '123', description: 'Theft', mainCategory: { code: '1', description: 'Theft' } },
  additionalOffences: [], courtAppearances: [{ type: 'Sentence', date: '2020-01-01', court: 'Court' }],
});
const bodies: Array<[string, string, (b: unknown, r: () => void) => unknown]> = [
  ['prisoner-numbers', JSON.stringify([prisoner]), decodePrisonerBatch],
  ['crns', JSON.stringify([offender]), decodeOffendersByCrn],
  ['alerts', JSON.stringify({ content: Array.from({ length: 20 }, (_, i) => alert(i)) }), decodeAlertPage],
  ['supervisions', JSON.stringify({
    communityManager: { name: { forename: 'A', surname: 'B' }, allocated: true, team: { code: 'T', description: 'Team' } },
    mappaDetail: { level: 2, category: 1, startDate: '2020-01-01' }, supervisions: Array.from({ length: 5 }, (_, i) => supervision(i)),
    dynamicRisks: [{ code: 'R', description: 'Risk', startDate: '2020-01-01' }], personStatus: [],
  }), decodeSupervisions],
  ['case addresses', JSON.stringify({ contactDetails: { addresses: Array.from({ length: 5 }, () => ({ streetName: 'High St', town: 'Town', postcode: 'AA1 1AA', from: '2020-01-01', to: '2021-01-01' })) } }), decodeCaseAddresses],
  ['prison addresses', JSON.stringify(Array.from({ length: 5 }, () => ({ street: 'High St', town: 'Town', postalCode: 'AA1 1AA', noFixedAddress: false, startDate: '2020-01-01', addressUsages: [] }))), decodeAddresses],
  ['offence history', JSON.stringify(Array.from({ length: 10 }, () => ({ bookingId: 1200001, offenceDate: '2019-01-01', offenceDescription: 'Theft', offenceCode: 'TH68', statuteCode: 'TH68', courtDate: '2019-02-01', primaryResultConviction: true }))), decodeOffenceHistories],
];

const ROUNDS = 20_000;
const noop = (): void => undefined;
function time(fn: () => void): number {
  for (let i = 0; i < 2000; i++) fn();
  const start = process.cpuUsage();
  for (let i = 0; i < ROUNDS; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / ROUNDS;
}
const parseOnly = time(() => {
  for (const [, text] of bodies) JSON.parse(text);
});
const parseAndDecode = time(() => {
  for (const [, text, decode] of bodies) decode(JSON.parse(text), noop);
});
const bytes = bodies.reduce((a, [, t]) => a + t.length, 0);
console.log(JSON.stringify({
  bodies: bodies.length, bytes,
  parseOnlyMicrosPerProfile: Math.round(parseOnly * 10) / 10,
  parseAndDecodeMicrosPerProfile: Math.round(parseAndDecode * 10) / 10,
  decodeMicrosPerProfile: Math.round((parseAndDecode - parseOnly) * 10) / 10,
}));
