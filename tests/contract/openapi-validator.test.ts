/**
 * The contract validator's own tests: hand-made bodies that must pass and bodies that must fail,
 * per upstream spec, so a broken validator (one that accepts everything) cannot pass silently.
 */
import { describe, expect, it } from '@jest/globals';
import {
  SPEC_UPSTREAMS,
  __testing,
  compileAllResponseSchemas,
  createSpecAjv,
  declaredResponses,
  findTemplate,
  loadSpec,
  specHasRoute,
  validateRequestBody,
  validateResponse,
  type SpecUpstream,
} from '../support/openapi.js';

const UUID = '8cdadcf3-b003-4116-9956-c99bd8df6a00';

function expectValid(r: { valid: boolean; errors: string[] }): void {
  expect(r.errors).toEqual([]);
  expect(r.valid).toBe(true);
}

function expectInvalid(r: { valid: boolean; errors: string[] }, ...fragments: string[]): void {
  expect(r.valid).toBe(false);
  expect(r.errors.length).toBeGreaterThan(0);
  for (const f of fragments) expect(r.errors.join('\n')).toContain(f);
}

const prisoner = {
  prisonerNumber: 'A1234BC', firstName: 'ANNA', lastName: 'SMITH', dateOfBirth: '1980-02-29', gender: 'Female',
  ethnicity: 'White: Eng./Welsh/Scot./N.Irish/British', raceCode: 'W1', youthOffender: false, maritalStatus: 'Single',
  religion: 'None', nationality: 'British', status: 'ACTIVE IN', mostSeriousOffence: 'Theft', restrictedPatient: false,
  bookingId: '1200001', prisonId: 'MDI', aliases: [{ firstName: 'ANN', lastName: 'SMYTH', dateOfBirth: '1980-02-29' }],
};

const alert = {
  alertUuid: UUID, prisonNumber: 'A1234BC',
  alertCode: { alertTypeCode: 'X', alertTypeDescription: 'Security', code: 'XA', description: 'Arsonist' },
  activeFrom: '2024-01-01', isActive: true, createdAt: '2024-03-31T01:30:00', createdBy: 'USER1', createdByDisplayName: 'User One',
};

const canonicalRecord = {
  cprUUID: UUID, firstName: 'Anna', lastName: 'Smith', dateOfBirth: '1980-02-29',
  title: { code: null, description: null }, sex: { code: 'F', description: 'Female' },
  sexualOrientation: { code: null, description: null }, religion: { code: null, description: null },
  ethnicity: { code: 'W1', description: 'White' }, aliases: [], nationalities: [], addresses: [],
  identifiers: { crns: ['X123456'], prisonNumbers: ['A1234BC'], defendantIds: [], cids: [], pncs: [], cros: [],
    nationalInsuranceNumbers: [], driverLicenseNumbers: [], arrestSummonsNumbers: [] },
};

describe('loading the upstream specs', () => {
  it('loads every document with their OpenAPI versions', () => {
    const versions = Object.fromEntries(SPEC_UPSTREAMS.map((u) => [u, loadSpec(u).openapi]));
    expect(versions.managePom).toMatch(/^3\.0\./);
    expect(versions.cvl).toMatch(/^3\.0\./);
    for (const u of SPEC_UPSTREAMS.filter((x) => x !== 'managePom' && x !== 'cvl')) expect(versions[u]).toMatch(/^3\.1\./);
    expect(loadSpec('prisonApi').routes.length).toBeGreaterThan(250);
  });

  it.each(SPEC_UPSTREAMS)('compiles every response schema of %s without crashing', (u: SpecUpstream) => {
    expect(compileAllResponseSchemas(u)).toBeGreaterThan(5);
  }, 30000);
});

describe('route lookup', () => {
  it('knows routes by exact template and method', () => {
    expect(specHasRoute('prisonerSearch', 'GET', '/prisoner/{id}')).toBe(true);
    expect(specHasRoute('prisonerSearch', 'post', '/prisoner-search/prisoner-numbers')).toBe(true);
    expect(specHasRoute('prisonerSearch', 'POST', '/prisoner/{id}')).toBe(false);
    expect(specHasRoute('prisonerSearch', 'GET', '/prisoner/{prisonerNumber}')).toBe(false);
    expect(specHasRoute('probationSearch', 'POST', '/crns')).toBe(true);
    expect(specHasRoute('probationSearch', 'GET', '/crns')).toBe(false);
    expect(specHasRoute('deliusIntegration', 'GET', '/case/{crn}/invented')).toBe(false);
  });

  it('matches concrete paths (with query strings) to templates, literal segments first', () => {
    expect(findTemplate('prisonerSearch', 'GET', '/prisoner/A1234BC?responseFields=firstName')).toBe('/prisoner/{id}');
    expect(findTemplate('prisonerSearch', 'GET', '/reference-data/alerts/types')).toBe('/reference-data/alerts/types');
    expect(findTemplate('prisonerSearch', 'GET', '/reference-data/ethnicity')).toBe('/reference-data/{attribute}');
    expect(findTemplate('prisonApi', 'GET', '/api/offenders/A1234BC/booking/latest/sentence-summary'))
      .toBe('/api/offenders/{offenderNo}/booking/latest/sentence-summary');
    expect(findTemplate('prisonerSearch', 'GET', '/prisoner/A1234BC/extra')).toBeUndefined();
  });

  it('rejects a response for a route the spec does not have', () => {
    expectInvalid(validateResponse('prisonerSearch', 'GET', '/prisoners/A1234BC', 200, prisoner), 'is not an operation');
  });
});

describe('prisonerSearch (3.1)', () => {
  it('accepts a spec-shaped prisoner and batch result', () => {
    expectValid(validateResponse('prisonerSearch', 'GET', '/prisoner/A1234BC', 200, prisoner));
    expectValid(validateResponse('prisonerSearch', 'POST', '/prisoner-search/prisoner-numbers', 200, [prisoner]));
    expectValid(validateResponse('prisonerSearch', 'POST', '/global-search', 200,
      { content: [prisoner], totalElements: 1, totalPages: 1, size: 10, number: 0, first: true, last: true, empty: false, numberOfElements: 1 }));
  });

  it('refuses missing required fields, wrong types, bad dates and invented fields', () => {
    const { religion: _religion, ...noReligion } = prisoner;
    expectInvalid(validateResponse('prisonerSearch', 'GET', '/prisoner/A1234BC', 200, noReligion), "required property 'religion'");
    expectInvalid(validateResponse('prisonerSearch', 'GET', '/prisoner/A1234BC', 200, { ...prisoner, bookingId: 1200001 }), '/bookingId must be string');
    expectInvalid(validateResponse('prisonerSearch', 'GET', '/prisoner/A1234BC', 200, { ...prisoner, dateOfBirth: '1981-02-29' }), '/dateOfBirth must match format "date"');
    expectInvalid(validateResponse('prisonerSearch', 'GET', '/prisoner/A1234BC', 200, { ...prisoner, prisonNumber: 'A1234BC' }), 'unevaluated properties: "prisonNumber"');
    expectInvalid(validateResponse('prisonerSearch', 'GET', '/prisoner/A1234BC', 200,
      { ...prisoner, aliases: [{ firstName: 'A', lastName: 'B', dateOfBirth: '1980-01-01', alias: true }] }), '/aliases/0');
    expectInvalid(validateResponse('prisonerSearch', 'POST', '/prisoner-search/prisoner-numbers', 200, prisoner), 'must be array');
  });

  it('treats a status the operation does not declare as invalid, flagged as undeclared', () => {
    const r = validateResponse('prisonerSearch', 'GET', '/prisoner/Z9999ZZ', 404, { status: 404, userMessage: 'Not found', errorCode: 1 });
    expect(r.valid).toBe(false);
    expect(r.undeclaredStatus).toBe(true);
    expect(declaredResponses('prisonerSearch', 'GET', '/prisoner/{id}')).toEqual(['200']);
  });

  it('validates request bodies, including the recursive attribute-search query and allOf matchers', () => {
    const body = { joinType: 'AND', pagination: { page: 0, size: 10 }, queries: [{
      matchers: [{ type: 'String', attribute: 'lastName', condition: 'IS', searchTerm: 'SMITH' }],
      subQueries: [{ joinType: 'OR', matchers: [{ type: 'Date', attribute: 'dateOfBirth', minValue: '1980-02-29', maxValue: '1980-02-29' }] }],
    }] };
    expectValid(validateRequestBody('prisonerSearch', 'POST', '/attribute-search', body));
    expectInvalid(validateRequestBody('prisonerSearch', 'POST', '/attribute-search', { queries: [] }), "required property 'pagination'");
    expectInvalid(validateRequestBody('prisonerSearch', 'POST', '/attribute-search', { ...body,
      queries: [{ subQueries: [{ matchers: [{ type: 'String', attribute: 'lastName', condition: 'LIKE', searchTerm: 'S' }] }] }] }), '/queries/0/subQueries/0/matchers/0');
    expectInvalid(validateRequestBody('prisonerSearch', 'POST', '/prisoner-search/prisoner-numbers', { prisonerNumbers: [] }), 'fewer than 1');
  });
});

describe('alerts (3.1, */* media type, declared error bodies)', () => {
  it('treats */* as JSON and validates it', () => {
    expectValid(validateResponse('alerts', 'POST', '/search/alerts/prison-numbers', 200, { content: [alert] }, { contentType: 'application/json' }));
    expectInvalid(validateResponse('alerts', 'POST', '/search/alerts/prison-numbers', 200, { content: [{ ...alert, alertUuid: 'not-a-uuid' }] }), 'format "uuid"');
    expectInvalid(validateResponse('alerts', 'POST', '/search/alerts/prison-numbers', 200, { alerts: [alert] }), "required property 'content'");
  });

  it('accepts local and offset date-times, refuses impossible ones', () => {
    expectValid(validateResponse('alerts', 'GET', '/prisoners/A1234BC/alerts', 200, { content: [{ ...alert, createdAt: '2024-10-27T01:30:00+01:00' }] }));
    expectValid(validateResponse('alerts', 'GET', '/prisoners/A1234BC/alerts', 200, { content: [{ ...alert, createdAt: '2024-03-31T01:30:00.123Z' }] }));
    expectInvalid(validateResponse('alerts', 'GET', '/prisoners/A1234BC/alerts', 200, { content: [{ ...alert, createdAt: '2024-02-30T10:00:00' }] }), 'date-time');
    expectInvalid(validateResponse('alerts', 'GET', '/prisoners/A1234BC/alerts', 200, { content: [{ ...alert, createdAt: '31/03/2024 01:30' }] }), 'date-time');
  });

  it('validates 401 error bodies against ErrorResponse', () => {
    expectValid(validateResponse('alerts', 'GET', '/prisoners/A1234BC/alerts', 401, { status: 401, userMessage: 'Unauthorised' }));
    expectInvalid(validateResponse('alerts', 'GET', '/prisoners/A1234BC/alerts', 401, { error: 'unauthorized' }), "required property 'status'");
    expectInvalid(validateResponse('alerts', 'GET', '/prisoners/A1234BC/alerts', 401, undefined), 'expected a JSON body');
  });

  it('checks the response content type when given', () => {
    expectInvalid(validateResponse('alerts', 'POST', '/search/alerts/prison-numbers', 200, { content: [] }, { contentType: 'text/plain' }), 'content-type');
  });
});

describe('managePom (OpenAPI 3.0.3 converted to JSON Schema 2020-12)', () => {
  it('accepts allocations and declared 404 bodies', () => {
    expectValid(validateResponse('managePom', 'GET', '/api/allocation/A1234BC/primary_pom', 200,
      { manager: { code: 485926, forename: 'Jane', surname: 'Doe' }, prison: { code: 'MDI' } }));
    expectValid(validateResponse('managePom', 'GET', '/api/allocation/A1234BC', 200,
      { primary_pom: { staff_id: 1, name: 'Doe, Jane' }, secondary_pom: { staff_id: 2, name: 'Roe, Rick' } }));
    expectValid(validateResponse('managePom', 'GET', '/api/allocation/A1234BC', 404, { status: 'error', message: 'Not allocated' }));
  });

  it('refuses wrong shapes, missing required and (explicit additionalProperties:false) extras', () => {
    expectInvalid(validateResponse('managePom', 'GET', '/api/allocation/A1234BC/primary_pom', 200, { manager: { code: 1 } }), "required property 'prison'");
    expectInvalid(validateResponse('managePom', 'GET', '/api/allocation/A1234BC/primary_pom', 200,
      { manager: { code: '485926' }, prison: { code: 'MDI' } }), '/manager/code must be integer');
    expectInvalid(validateResponse('managePom', 'GET', '/api/allocation/A1234BC', 404, { status: 'error', message: 'x', code: 404 }), 'additional properties');
  });

  it('honours nullable: null where nullable, not elsewhere', () => {
    const converted = __testing.convert30({
      type: 'object', required: ['a', 'b'],
      properties: { a: { type: 'string', nullable: true }, b: { type: 'string' }, c: { $ref: '#/components/schemas/X', nullable: true, description: 'ignored' },
        d: { type: 'string', enum: ['Y', 'N'], nullable: true }, e: { type: 'integer', minimum: 0, exclusiveMinimum: true } },
    }) as Record<string, Record<string, unknown>>;
    expect(converted.properties!.a).toEqual({ type: ['string', 'null'] });
    expect(converted.properties!.c).toEqual({ anyOf: [{ $ref: '#/components/schemas/X' }, { type: 'null' }] });
    expect(converted.properties!.d).toEqual({ type: ['string', 'null'], enum: ['Y', 'N', null] });
    expect(converted.properties!.e).toEqual({ type: 'integer', exclusiveMinimum: 0 });
    const validate = createSpecAjv().compile({ ...converted, properties: { ...converted.properties!, c: {} } });
    expect(validate({ a: null, b: 'x', d: null })).toBe(true);
    expect(validate({ a: 'x', b: null })).toBe(false);
    expect(validate({ a: 'x', b: 'x', d: 'Q' })).toBe(false);
    expect(validate({ a: 'x', b: 'x', e: 0 })).toBe(false);
  });
});

describe('probationSearch (3.1, nullable type arrays, oneOf with null)', () => {
  const offender = { offenderId: 2500000001, firstName: 'Anna', surname: 'Smith', dateOfBirth: '1980-02-29',
    otherIds: { crn: 'X123456', nomsNumber: 'A1234BC', pncNumber: null }, offenderAliases: null, probationStatus: null };

  it('accepts spec-shaped offenders', () => {
    expectValid(validateResponse('probationSearch', 'POST', '/crns', 200, [offender]));
    expectValid(validateResponse('probationSearch', 'POST', '/search', 200, []));
  });

  it('refuses missing otherIds.crn, a non-date DOB and invented fields', () => {
    expectInvalid(validateResponse('probationSearch', 'POST', '/crns', 200, [{ ...offender, otherIds: { nomsNumber: 'A1234BC' } }]), "required property 'crn'");
    expectInvalid(validateResponse('probationSearch', 'POST', '/nomsNumbers', 200, [{ ...offender, dateOfBirth: '29/02/1980' }]), 'format "date"');
    expectInvalid(validateResponse('probationSearch', 'POST', '/crns', 200, [{ ...offender, crn: 'X123456' }]), 'unevaluated properties: "crn"');
    expectInvalid(validateResponse('probationSearch', 'POST', '/search/people', 200, { content: [offender] }), "required property 'empty'");
  });

  it('accepts declared content-less statuses with any body', () => {
    const r = validateResponse('probationSearch', 'POST', '/search', 400, undefined);
    expectValid(r);
    expect(r.schemaChecked).toBe(false);
  });
});

describe('deliusIntegration (3.1)', () => {
  it('accepts identifier and existence bodies', () => {
    expectValid(validateResponse('deliusIntegration', 'GET', '/identifier-converter/noms-to-crn/A1234BC', 200, { crn: 'X123456', nomsId: 'A1234BC' }));
    expectValid(validateResponse('deliusIntegration', 'GET', '/exists-in-delius/crn/X123456', 200, { crn: 'X123456', existsInDelius: false }));
    expectValid(validateResponse('deliusIntegration', 'GET', '/case/X123456/supervisions', 200, { supervisions: [], dynamicRisks: [], personStatus: [] }));
  });

  it('refuses wrong types and invented fields', () => {
    expectInvalid(validateResponse('deliusIntegration', 'GET', '/exists-in-delius/crn/X123456', 200, { crn: 'X123456', existsInDelius: 'no' }), 'must be boolean');
    expectInvalid(validateResponse('deliusIntegration', 'GET', '/exists-in-delius/crn/X123456', 200, { crn: 'X123456', exists: true }), '"exists"');
    expectInvalid(validateResponse('deliusIntegration', 'POST', '/search/probation-cases', 200, { content: [] }), 'must be array');
  });
});

describe('personRecord (3.1, */* for the prison route, 301 without content)', () => {
  it('accepts canonical records on both routes', () => {
    expectValid(validateResponse('personRecord', 'GET', '/person/probation/X123456', 200, canonicalRecord));
    expectValid(validateResponse('personRecord', 'GET', '/person/prison/A1234BC', 200, canonicalRecord));
  });

  it('refuses records missing identifiers or with wrongly typed ids', () => {
    const { identifiers: _ids, ...noIds } = canonicalRecord;
    expectInvalid(validateResponse('personRecord', 'GET', '/person/prison/A1234BC', 200, noIds), "required property 'identifiers'");
    expectInvalid(validateResponse('personRecord', 'GET', '/person/probation/X123456', 200,
      { ...canonicalRecord, identifiers: { ...canonicalRecord.identifiers, crns: 'X123456' } }), '/identifiers/crns must be array');
  });

  it('accepts the declared 301 without a body', () => {
    const r = validateResponse('personRecord', 'GET', '/person/prison/A1234BC', 301, undefined);
    expectValid(r);
    expect(r.responseKey).toBe('301');
  });
});

describe('prisonApi (3.1, 286 paths)', () => {
  it('accepts spec-shaped bodies', () => {
    expectValid(validateResponse('prisonApi', 'GET', '/api/offenders/A1234BC', 200, { offenderNo: 'A1234BC', bookingId: 1200001, firstName: 'ANNA', lastName: 'SMITH', dateOfBirth: '1980-02-29' }));
    expectValid(validateResponse('prisonApi', 'GET', '/api/offenders/A1234BC/addresses', 200, [{ primary: true, mail: false, noFixedAddress: false, town: 'Leeds' }]));
    expectValid(validateResponse('prisonApi', 'GET', '/api/offenders/Z9999ZZ', 404, { status: 404, userMessage: 'Resource with id [Z9999ZZ] not found.' }));
  });

  it('refuses wrong types, missing required and unknown fields, including in 404 bodies', () => {
    expectInvalid(validateResponse('prisonApi', 'GET', '/api/offenders/A1234BC', 200, { offenderNo: 'A1234BC', bookingId: '1200001' }), '/bookingId must be integer');
    expectInvalid(validateResponse('prisonApi', 'GET', '/api/offenders/A1234BC/addresses', 200, [{ primary: true, town: 'Leeds' }]), "required property 'mail'");
    expectInvalid(validateResponse('prisonApi', 'POST', '/api/offender-sentences/bookings', 200, [{ bookingId: 1.5 }]), 'bookingId');
    expectInvalid(validateResponse('prisonApi', 'GET', '/api/offenders/Z9999ZZ', 404, { status: 404, message: 'not found' }), "required property 'userMessage'");
    expectInvalid(validateResponse('prisonApi', 'GET', '/api/offenders/A1234BC', 200, { offenderNo: 'A1234BC', age: 2 ** 40 }), 'int32');
  });
});

describe('validator plumbing', () => {
  it('registers unknown formats as permissive instead of crashing', () => {
    const ajv = createSpecAjv(['x-made-up-format']);
    expect(ajv.compile({ type: 'string', format: 'x-made-up-format' })('anything')).toBe(true);
    expect(ajv.compile({ type: 'string', format: 'date' })('2024-13-01')).toBe(false);
  });

  it('closes plain objects but leaves allOf branches open and closes their parent', () => {
    const closed = __testing.closeObjects({ allOf: [{ type: 'object', properties: { a: {} } }, { properties: { b: {} } }] }) as Record<string, unknown>;
    const validate = createSpecAjv().compile(closed);
    expect(validate({ a: 1, b: 2 })).toBe(true);
    expect(validate({ a: 1, b: 2, c: 3 })).toBe(false);
    const free = __testing.closeObjects({ type: 'object', additionalProperties: { type: 'integer' } }) as Record<string, unknown>;
    expect(createSpecAjv().compile(free)({ any: 1 })).toBe(true);
  });
});
