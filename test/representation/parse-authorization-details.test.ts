import { describe, expect, it } from 'vitest';
import { OAuthError } from '../../src/core/oauth-error.js';
import {
  MAX_AUTHORIZATION_DETAILS_BYTES,
  MAX_AUTHORIZATION_DETAILS_OBJECTS,
  parseAuthorizationDetails,
} from '../../src/representation/parse-authorization-details.js';

const RES = 'ansattporten:altinn:resource';
const SVC = 'ansattporten:altinn:service';
const ORG = 'ansattporten:orgno';

const parse = (v: unknown) => parseAuthorizationDetails(JSON.stringify(v));

function rarError(raw: string): OAuthError {
  try {
    parseAuthorizationDetails(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthError);
    const err = e as OAuthError;
    expect(err.error).toBe('invalid_authorization_details');
    expect(err.delivery).toBe('redirect');
    expect(err.status).toBe(400);
    // RFC 6749 §5.2 charset for error_description
    expect(err.description).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/);
    return err;
  }
  throw new Error(`expected ${raw} to be rejected`);
}
const expectError = (v: unknown, fragment: RegExp) => expect(rarError(JSON.stringify(v)).description).toMatch(fragment);

describe('parseAuthorizationDetails: absent', () => {
  it('returns undefined for an absent or empty parameter', () => {
    expect(parseAuthorizationDetails(undefined)).toBeUndefined();
    expect(parseAuthorizationDetails('')).toBeUndefined();
  });
});

describe('parseAuthorizationDetails: the spec example', () => {
  it('normalises the §9.3 example', () => {
    expect(
      parse([
        {
          type: RES,
          resource: 'urn:altinn:resource:eksempel-tjeneste',
          actions: 'read,write',
          organizationform: 'enterprise',
          allow_multiple_organizations: true,
          representation_is_required: true,
        },
      ]),
    ).toEqual({
      type: RES,
      items: [
        { resource: 'urn:altinn:resource:eksempel-tjeneste', resourceId: 'eksempel-tjeneste', actions: ['read', 'write'], allowDeleted: false },
      ],
      representationRequired: true,
      allowMultiple: true,
      organizationform: 'enterprise',
    });
  });

  it('defaults every flag to false and leaves organizationform out', () => {
    const r = parse([{ type: RES, resource: 'urn:altinn:resource:app_ttd_demo' }]);
    expect(r).toEqual({
      type: RES,
      items: [{ resource: 'urn:altinn:resource:app_ttd_demo', resourceId: 'app_ttd_demo', actions: [], allowDeleted: false }],
      representationRequired: false,
      allowMultiple: false,
    });
    expect(r && 'organizationform' in r).toBe(false);
  });
});

describe('parseAuthorizationDetails: malformed input', () => {
  it('rejects non-JSON', () => {
    expect(rarError('[{"type":').description).toMatch(/not valid JSON/);
    expect(rarError('not json').description).toMatch(/not valid JSON/);
  });

  it('rejects non-arrays', () => {
    expectError({ type: RES, resource: 'urn:altinn:resource:x' }, /must be a JSON array/);
    expectError('[]', /must be a JSON array/);
    expectError(null, /must be a JSON array/);
    expectError(42, /must be a JSON array/);
  });

  it('rejects an empty array', () => {
    expectError([], /must not be an empty array/);
  });

  it('rejects elements that are not objects', () => {
    expectError(['ansattporten:orgno'], /authorization_details\[0\] is not a JSON object/);
    expectError([{ type: ORG }, null], /authorization_details\[1\] is not a JSON object/);
    expectError([[{ type: ORG }]], /authorization_details\[0\] is not a JSON object/);
  });

  it('rejects a missing or non-string type', () => {
    expectError([{ resource: 'urn:altinn:resource:x' }], /authorization_details\[0\] has no type/);
    expectError([{ type: ORG }, { type: 7 }], /authorization_details\[1\]\.type must be a string/);
  });

  it('rejects unknown types, naming them', () => {
    expectError([{ type: 'ansattporten:entra' }], /type 'ansattporten:entra' is not supported/);
    expectError([{ type: 'ansattporten:altinnressurs', ressurs: 'x' }], /'ansattporten:altinnressurs' is not supported/);
    expectError([{ type: 'payment_initiation' }], /not supported/);
  });

  it('rejects mixed types', () => {
    expectError(
      [
        { type: RES, resource: 'urn:altinn:resource:a' },
        { type: SVC, resource: 'urn:altinn:resource:2480:40' },
      ],
      /mixes the types 'ansattporten:altinn:resource' and 'ansattporten:altinn:service'/,
    );
    expectError([{ type: ORG }, { type: RES, resource: 'urn:altinn:resource:a' }], /only one type per request/);
  });

  it('rejects too large a parameter', () => {
    const big = JSON.stringify([{ type: ORG, filler: 'x'.repeat(MAX_AUTHORIZATION_DETAILS_BYTES) }]);
    expect(rarError(big).description).toMatch(/too large/);
  });

  it('counts bytes, not characters', () => {
    const n = Math.floor(MAX_AUTHORIZATION_DETAILS_BYTES / 2) - 40;
    const raw = JSON.stringify([{ type: ORG, filler: 'æ'.repeat(n) }]); // 2 bytes each
    expect(raw.length).toBeLessThan(MAX_AUTHORIZATION_DETAILS_BYTES);
    expect(parseAuthorizationDetails(raw)?.type).toBe(ORG);
    const raw2 = JSON.stringify([{ type: ORG, filler: 'æ'.repeat(n + 40) }]);
    expect(raw2.length).toBeLessThan(MAX_AUTHORIZATION_DETAILS_BYTES);
    expect(rarError(raw2).description).toMatch(/too large/);
  });

  it('rejects too many objects', () => {
    const ok = Array.from({ length: MAX_AUTHORIZATION_DETAILS_OBJECTS }, () => ({ type: ORG }));
    expect(parse(ok)?.type).toBe(ORG);
    expectError([...ok, { type: ORG }], /too many objects \(at most 20\)/);
  });
});

describe('parseAuthorizationDetails: resource', () => {
  it('is required for altinn:resource and altinn:service', () => {
    expectError([{ type: RES }], /authorization_details\[0\]\.resource is required for type ansattporten:altinn:resource/);
    expectError([{ type: RES, resource: '' }], /\.resource is required/);
    expectError([{ type: RES, resource: null }], /\.resource is required/);
    expectError([{ type: SVC }], /authorization_details\[0\]\.resource is required for type ansattporten:altinn:service/);
    expectError(
      [{ type: RES, resource: 'urn:altinn:resource:a' }, { type: RES, actions: 'read' }],
      /authorization_details\[1\]\.resource is required/,
    );
  });

  it('must be a string', () => {
    expectError([{ type: RES, resource: ['urn:altinn:resource:a'] }], /\.resource must be a string/);
    expectError([{ type: SVC, resource: 2480 }], /\.resource must be a string/);
  });

  it('must be urn:altinn:resource:<id> for altinn:resource', () => {
    for (const bad of [
      'eksempel-tjeneste',
      'urn:altinn:resource:',
      'urn:altinn:resourceX',
      'urn:altinn:app:ttd/demo',
      'urn:altinn:resource:a b',
      'urn:altinn:resource:2480:40',
      'urn:altinn:resource:-leading',
      `urn:altinn:resource:${'a'.repeat(256)}`,
    ]) {
      expectError([{ type: RES, resource: bad }], /must be urn:altinn:resource:<resource-id> for type ansattporten:altinn:resource/);
    }
  });

  it('keeps the requested URN and extracts the bare id', () => {
    const r = parse([{ type: RES, resource: 'URN:Altinn:Resource:App_ttd-Demo_2' }]);
    expect(r?.items[0]).toMatchObject({ resource: 'URN:Altinn:Resource:App_ttd-Demo_2', resourceId: 'App_ttd-Demo_2' });
  });

  it('must be urn:altinn:resource:<serviceCode>:<edition> (digits) for altinn:service', () => {
    for (const bad of [
      '2480:40',
      'urn:altinn:resource:2480',
      'urn:altinn:resource:2480:',
      'urn:altinn:resource:2480:40:1',
      'urn:altinn:resource:abc:40',
      'urn:altinn:resource:eksempel-tjeneste',
      'urn:altinn:resource:2480_40',
    ]) {
      expectError([{ type: SVC, resource: bad }], /<serviceCode>:<serviceEditionCode> \(digits\) for type ansattporten:altinn:service/);
    }
  });

  it('maps a legacy service to the id "<code>:<edition>"', () => {
    expect(parse([{ type: SVC, resource: 'urn:altinn:resource:2480:40' }])).toEqual({
      type: SVC,
      items: [{ resource: 'urn:altinn:resource:2480:40', resourceId: '2480:40', actions: [], allowDeleted: false }],
      representationRequired: false,
      allowMultiple: false,
    });
  });

  it('sanitises echoed input in the description', () => {
    const d = rarError(JSON.stringify([{ type: RES, resource: `bad "quoted" \\ æ\n${'x'.repeat(200)}` }])).description;
    expect(d).not.toMatch(/["\\]/);
    expect(d).toMatch(/bad \?quoted\? \? \?\?x+\.\.\./);
  });

  it('echoes unknown type names safely', () => {
    const d = rarError(JSON.stringify([{ type: 'a"b\\c' }])).description;
    expect(d).toMatch(/type 'a\?b\?c' is not supported/);
  });
});

describe('parseAuthorizationDetails: actions', () => {
  const actionsOf = (actions: unknown) => parse([{ type: RES, resource: 'urn:altinn:resource:r', actions }])?.items[0]?.actions;

  it('accepts a single string', () => {
    expect(actionsOf('read')).toEqual(['read']);
  });
  it('accepts a comma-separated string, trimming, dropping empties and duplicates', () => {
    expect(actionsOf('write,report')).toEqual(['write', 'report']);
    expect(actionsOf(' read , write,,read, ')).toEqual(['read', 'write']);
  });
  it('accepts an array of strings, trimming, dropping empties and duplicates', () => {
    expect(actionsOf(['read', 'write'])).toEqual(['read', 'write']);
    expect(actionsOf([' read', '', 'read ', 'sign'])).toEqual(['read', 'sign']);
    expect(actionsOf([])).toEqual([]);
  });
  it('treats absent, null, empty and blank as "no actions requested"', () => {
    expect(actionsOf(undefined)).toEqual([]);
    expect(actionsOf(null)).toEqual([]);
    expect(actionsOf('')).toEqual([]);
    expect(actionsOf(' , ')).toEqual([]);
  });
  it('rejects other types, naming the field', () => {
    expectError([{ type: RES, resource: 'urn:altinn:resource:r', actions: 5 }], /authorization_details\[0\]\.actions must be a string or an array of strings/);
    expectError([{ type: RES, resource: 'urn:altinn:resource:r', actions: { read: true } }], /\.actions must be a string or an array/);
    expectError([{ type: RES, resource: 'urn:altinn:resource:r', actions: true }], /\.actions must be a string or an array/);
    expectError([{ type: RES, resource: 'urn:altinn:resource:r', actions: ['read', 1] }], /authorization_details\[0\]\.actions\[1\] must be a string/);
  });
  it('rejects absurd action values', () => {
    expectError([{ type: RES, resource: 'urn:altinn:resource:r', actions: 'a'.repeat(201) }], /longer than 200/);
    expectError([{ type: RES, resource: 'urn:altinn:resource:r', actions: ['re\u0000ad'] }], /control characters/);
    expectError(
      [{ type: RES, resource: 'urn:altinn:resource:r', actions: Array.from({ length: 51 }, (_, i) => `a${i}`) }],
      /too many values/,
    );
  });
  it('is not part of the legacy service or orgno models and is ignored there', () => {
    expect(parse([{ type: SVC, resource: 'urn:altinn:resource:2480:40', actions: 42 }])?.items[0]?.actions).toEqual([]);
    expect(parse([{ type: ORG, actions: 'read' }])?.items).toEqual([]);
  });
});

describe('parseAuthorizationDetails: booleans', () => {
  const FIELDS = ['representation_is_required', 'allow_multiple_organizations', 'allow_deleted_organizations'] as const;
  const read = (field: string, value: unknown) => {
    const r = parse([{ type: RES, resource: 'urn:altinn:resource:r', [field]: value }]);
    return field === 'representation_is_required'
      ? r?.representationRequired
      : field === 'allow_multiple_organizations'
        ? r?.allowMultiple
        : r?.items[0]?.allowDeleted;
  };

  for (const field of FIELDS) {
    it(`${field}: JSON booleans, the strings "true"/"false", absent and null`, () => {
      expect(read(field, true)).toBe(true);
      expect(read(field, 'true')).toBe(true);
      expect(read(field, false)).toBe(false);
      expect(read(field, 'false')).toBe(false);
      expect(read(field, undefined)).toBe(false);
      expect(read(field, null)).toBe(false);
    });
    it(`${field}: anything else is an error naming the field`, () => {
      for (const bad of ['yes', 'TRUE', '1', 1, 0, '', [], {}]) {
        expectError(
          [{ type: RES, resource: 'urn:altinn:resource:r', [field]: bad }],
          new RegExp(`authorization_details\\[0\\]\\.${field} must be true or false`),
        );
      }
    });
  }

  it('validates the flags in every type', () => {
    expect(parse([{ type: ORG, representation_is_required: 'true', allow_multiple_organizations: true }])).toEqual({
      type: ORG,
      items: [],
      representationRequired: true,
      allowMultiple: true,
    });
    expectError([{ type: ORG, allow_multiple_organizations: 'ja' }], /allow_multiple_organizations must be true or false/);
    expect(parse([{ type: SVC, resource: 'urn:altinn:resource:1:2', allow_deleted_organizations: 'true' }])?.items[0]?.allowDeleted).toBe(true);
    expectError([{ type: SVC, resource: 'urn:altinn:resource:1:2', allow_deleted_organizations: 'nei' }], /allow_deleted_organizations must be true or false/);
  });
});

describe('parseAuthorizationDetails: merge rules', () => {
  it('representation_is_required and allow_multiple_organizations are true if any object says so', () => {
    const r = parse([
      { type: RES, resource: 'urn:altinn:resource:a', representation_is_required: false, allow_multiple_organizations: 'true' },
      { type: RES, resource: 'urn:altinn:resource:b', representation_is_required: 'true', allow_multiple_organizations: false },
      { type: RES, resource: 'urn:altinn:resource:c' },
    ]);
    expect(r?.representationRequired).toBe(true);
    expect(r?.allowMultiple).toBe(true);
    expect(r?.items.map((i) => i.resourceId)).toEqual(['a', 'b', 'c']);
  });

  it('allow_deleted_organizations is per object', () => {
    const r = parse([
      { type: RES, resource: 'urn:altinn:resource:a', allow_deleted_organizations: true },
      { type: RES, resource: 'urn:altinn:resource:b' },
      { type: RES, resource: 'urn:altinn:resource:c', allow_deleted_organizations: 'false' },
    ]);
    expect(r?.items.map((i) => [i.resourceId, i.allowDeleted])).toEqual([
      ['a', true],
      ['b', false],
      ['c', false],
    ]);
  });

  it('organizationform must be enterprise or business', () => {
    expectError([{ type: RES, resource: 'urn:altinn:resource:a', organizationform: 'Enterprise' }], /authorization_details\[0\]\.organizationform must be enterprise or business/);
    expectError([{ type: ORG, organizationform: 'both' }], /organizationform must be enterprise or business/);
    expectError([{ type: ORG, organizationform: 1 }], /organizationform must be enterprise or business/);
    expect(parse([{ type: ORG, organizationform: 'business' }])?.organizationform).toBe('business');
  });

  it('organizationform must be identical wherever given', () => {
    expect(
      parse([
        { type: RES, resource: 'urn:altinn:resource:a', organizationform: 'business' },
        { type: RES, resource: 'urn:altinn:resource:b' },
        { type: RES, resource: 'urn:altinn:resource:c', organizationform: 'business' },
      ])?.organizationform,
    ).toBe('business');
    expectError(
      [
        { type: RES, resource: 'urn:altinn:resource:a', organizationform: 'enterprise' },
        { type: RES, resource: 'urn:altinn:resource:b' },
        { type: RES, resource: 'urn:altinn:resource:c', organizationform: 'business' },
      ],
      /conflicting organizationform values \('enterprise' and 'business'\)/,
    );
    expectError([{ type: ORG, organizationform: 'business' }, { type: ORG, organizationform: 'enterprise' }], /conflicting organizationform/);
  });

  it('merges objects naming the same resource', () => {
    const r = parse([
      { type: RES, resource: 'urn:altinn:resource:a', actions: 'read' },
      { type: RES, resource: 'urn:altinn:resource:b', actions: 'read' },
      { type: RES, resource: 'urn:altinn:resource:a', actions: ['write', 'read'], allow_deleted_organizations: true },
    ]);
    expect(r?.items).toEqual([
      { resource: 'urn:altinn:resource:a', resourceId: 'a', actions: ['read', 'write'], allowDeleted: true },
      { resource: 'urn:altinn:resource:b', resourceId: 'b', actions: ['read'], allowDeleted: false },
    ]);
  });

  it('a merged object without actions widens the item to any right', () => {
    const r = parse([
      { type: RES, resource: 'urn:altinn:resource:a', actions: 'read' },
      { type: RES, resource: 'urn:altinn:resource:a' },
    ]);
    expect(r?.items).toEqual([{ resource: 'urn:altinn:resource:a', resourceId: 'a', actions: [], allowDeleted: false }]);
  });

  it('allows several objects of the same type for services and orgno', () => {
    expect(
      parse([
        { type: SVC, resource: 'urn:altinn:resource:2480:40' },
        { type: SVC, resource: 'urn:altinn:resource:4936:1', allow_deleted_organizations: true },
      ])?.items.map((i) => [i.resourceId, i.allowDeleted]),
    ).toEqual([
      ['2480:40', false],
      ['4936:1', true],
    ]);
    expect(parse([{ type: ORG }, { type: ORG, representation_is_required: true }])).toEqual({
      type: ORG,
      items: [],
      representationRequired: true,
      allowMultiple: false,
    });
  });
});

describe('parseAuthorizationDetails: extensions', () => {
  it('ignores unknown fields (RFC 9396 allows extension)', () => {
    expect(
      parse([
        {
          type: RES,
          resource: 'urn:altinn:resource:a',
          locations: ['https://api.example.no'],
          datatypes: 5,
          'resource-name': 'x',
          identifier: { x: 1 },
        },
      ])?.items,
    ).toEqual([{ resource: 'urn:altinn:resource:a', resourceId: 'a', actions: [], allowDeleted: false }]);
  });

  it('ignores `resource` on orgno (not part of that model)', () => {
    expect(parse([{ type: ORG, resource: 12 }])?.items).toEqual([]);
  });
});
