import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AltinnAuthorisationSource,
  DEFAULT_ALTINN_TIMEOUT_MS,
  mapAuthorizedParties,
} from '../../src/representation/altinn-source.js';
import { AuthorisationSourceError } from '../../src/representation/authorisation-source.js';
import { parseAuthorizationDetails } from '../../src/representation/parse-authorization-details.js';
import type { NormalisedRar } from '../../src/representation/rar-types.js';
import { buildPdpRequest, parsePdpResponse, PdpAnswerError, questionKey, type PdpQuestion } from '../../src/representation/altinn-pdp.js';
import { pdpAnswer, PDP_PATH, type Decide } from './altinn-pdp-stub.js';

const rar = (v: unknown): NormalisedRar => parseAuthorizationDetails(JSON.stringify(v)) as NormalisedRar;
const PID = '07124912037';

/** An answer shaped like Altinn's AuthorizedPartyExternal list. */
const ANSWER = [
  {
    partyUuid: 'a1c831cf-c7b7-4e5e-9910-2ad9a05b4ec1',
    name: 'ALFA AS',
    organizationNumber: '310000001',
    personId: null,
    partyId: 50166368,
    type: 'Organization',
    unitType: 'AS',
    isDeleted: false,
    onlyHierarchyElementWithNoAccess: false,
    authorizedResources: ['eksempel-tjeneste', 'app_ttd_demo'],
    authorizedRoles: ['DAGL'],
    subunits: [
      {
        partyUuid: '8656eab6-119b-4691-8a8a-6f51a203aba7',
        name: 'ALFA AVD OSLO',
        organizationNumber: '310000002',
        personId: null,
        partyId: 50169034,
        type: 'Organization',
        unitType: 'BEDR',
        isDeleted: false,
        onlyHierarchyElementWithNoAccess: false,
        authorizedResources: ['2480:40'],
        authorizedRoles: [],
        subunits: [],
      },
      {
        partyUuid: '7756eab6-119b-4691-8a8a-6f51a203aba7',
        name: 'ALFA AVD SLETTET',
        organizationNumber: '310000009',
        personId: null,
        partyId: 50169333,
        type: 'Organization',
        unitType: 'BEDR',
        isDeleted: true,
        onlyHierarchyElementWithNoAccess: false,
        authorizedResources: ['eksempel-tjeneste'],
        authorizedRoles: [],
        subunits: [],
      },
    ],
  },
  {
    partyUuid: '11111111-1111-4111-8111-111111111111',
    name: 'BETA HOLDING AS',
    organizationNumber: '310000003',
    personId: null,
    partyId: 50000001,
    type: 'Organization',
    unitType: 'AS',
    isDeleted: false,
    onlyHierarchyElementWithNoAccess: true,
    authorizedResources: [],
    authorizedRoles: [],
    subunits: [
      {
        partyUuid: '22222222-2222-4222-8222-222222222222',
        name: 'BETA AVD',
        organizationNumber: '310000004',
        type: 'Organization',
        unitType: 'BEDR',
        isDeleted: false,
        authorizedResources: ['eksempel-tjeneste', 'se_4936_1'],
        subunits: [],
      },
    ],
  },
  {
    partyUuid: '33333333-3333-4333-8333-333333333333',
    name: 'KARI NORDMANN',
    organizationNumber: null,
    personId: '07124912037',
    partyId: 50002598,
    type: 'Person',
    unitType: null,
    isDeleted: false,
    authorizedResources: ['eksempel-tjeneste'],
    authorizedRoles: [],
    subunits: [],
  },
];

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let handler: Handler;
/** The PDP half of the test server; permits everything unless a test says otherwise. */
let pdpHandler: Handler;
let decide: Decide;
const requests: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      if (req.url === PDP_PATH) pdpHandler(req, body, res);
      else handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  requests.length = 0;
  handler = (_req, _body, res) => json(res, 200, ANSWER);
  decide = () => 'Permit';
  pdpHandler = (_req, body, res) => json(res, 200, pdpAnswer(body, decide));
});
const partyRequests = () => requests.filter((r) => r.url !== PDP_PATH);
const pdpRequests = () => requests.filter((r) => r.url === PDP_PATH);

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

const resourceRar = rar([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:eksempel-tjeneste', actions: 'read,write' }]);

async function sourceError(p: Promise<unknown>): Promise<AuthorisationSourceError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AuthorisationSourceError);
    return e as AuthorisationSourceError;
  }
  throw new Error('expected an AuthorisationSourceError');
}

describe('AltinnAuthorisationSource: request', () => {
  it('POSTs the person identifier to the resource-owner authorized parties endpoint with the configured headers', async () => {
    const source = new AltinnAuthorisationSource({
      baseUrl: `${baseUrl}/`,
      headers: { Authorization: 'Bearer altinn-token', 'Ocp-Apim-Subscription-Key': 'sub-key' },
    });
    await source.listParties({ pid: PID, clientId: 'c', rar: resourceRar });
    expect(partyRequests()).toHaveLength(1);
    const r = partyRequests()[0]!;
    expect(r.method).toBe('POST');
    expect(r.url).toBe('/accessmanagement/api/v1/resourceowner/authorizedparties?includeAltinn2=true');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers.accept).toBe('application/json');
    expect(r.headers.authorization).toBe('Bearer altinn-token');
    expect(r.headers['ocp-apim-subscription-key']).toBe('sub-key');
    expect(JSON.parse(r.body)).toEqual({ type: 'urn:altinn:person:identifier-no', value: PID });
  });

  it('does not call the API for orgno requests, without a pid or without items', async () => {
    const source = new AltinnAuthorisationSource({ baseUrl });
    expect(await source.listParties({ pid: PID, clientId: 'c', rar: rar([{ type: 'ansattporten:orgno' }]) })).toEqual([]);
    expect(await source.listParties({ email: 'kari@example.no', clientId: 'c', rar: resourceRar })).toEqual([]);
    expect(requests).toHaveLength(0);
  });

  it('defaults the timeout to 3 s', () => {
    expect(DEFAULT_ALTINN_TIMEOUT_MS).toBe(3000);
  });
});

describe('AltinnAuthorisationSource: mapping', () => {
  const source = () => new AltinnAuthorisationSource({ baseUrl });

  it('maps organisations holding the resource, with all requested actions, nesting → parent_orgno', async () => {
    const parties = await source().listParties({ pid: PID, clientId: 'c', rar: resourceRar });
    expect(parties).toEqual([
      {
        orgno: '310000001',
        name: 'ALFA AS',
        unit_type: 'AS',
        parent_orgno: null,
        deleted: false,
        grants: [{ resourceId: 'eksempel-tjeneste', actions: ['read', 'write'] }],
      },
      {
        orgno: '310000004',
        name: 'BETA AVD',
        unit_type: 'BEDR',
        parent_orgno: '310000003',
        deleted: false,
        grants: [{ resourceId: 'eksempel-tjeneste', actions: ['read', 'write'] }],
      },
    ]);
  });

  it('skips persons and hierarchy-only main units; an item without actions grants an empty action list', async () => {
    const parties = await source().listParties({
      pid: PID,
      clientId: 'c',
      rar: rar([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:eksempel-tjeneste' }]),
    });
    expect(parties.map((p) => [p.orgno, p.grants])).toEqual([
      ['310000001', [{ resourceId: 'eksempel-tjeneste', actions: [] }]],
      ['310000004', [{ resourceId: 'eksempel-tjeneste', actions: [] }]],
    ]);
  });

  it('deleted organisations only when the item allows them', async () => {
    const parties = await source().listParties({
      pid: PID,
      clientId: 'c',
      rar: rar([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:eksempel-tjeneste', allow_deleted_organizations: true }]),
    });
    expect(parties.find((p) => p.orgno === '310000009')).toMatchObject({ deleted: true, parent_orgno: '310000001', name: 'ALFA AVD SLETTET' });
  });

  it('organizationform filters main units or sub-units', async () => {
    const ent = await source().listParties({
      pid: PID,
      clientId: 'c',
      rar: rar([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:eksempel-tjeneste', organizationform: 'enterprise' }]),
    });
    expect(ent.map((p) => p.orgno)).toEqual(['310000001']);
    const bus = await source().listParties({
      pid: PID,
      clientId: 'c',
      rar: rar([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:eksempel-tjeneste', organizationform: 'business' }]),
    });
    expect(bus.map((p) => p.orgno)).toEqual(['310000004']);
  });

  it('finds legacy services as "<code>:<edition>" or "se_<code>_<edition>"', async () => {
    const parties = await source().listParties({
      pid: PID,
      clientId: 'c',
      rar: rar([
        { type: 'ansattporten:altinn:service', resource: 'urn:altinn:resource:2480:40' },
        { type: 'ansattporten:altinn:service', resource: 'urn:altinn:resource:4936:1' },
      ]),
    });
    expect(parties.map((p) => [p.orgno, p.grants])).toEqual([
      ['310000002', [{ resourceId: '2480:40', actions: [] }]],
      ['310000004', [{ resourceId: '4936:1', actions: [] }]],
    ]);
  });

  it('merges an organisation listed twice', () => {
    const dup = [
      { type: 'Organization', name: 'X', organizationNumber: '310000001', authorizedResources: ['a'] },
      {
        type: 'Organization',
        name: 'P',
        organizationNumber: '310000000',
        subunits: [{ type: 'Organization', name: 'X', organizationNumber: '310000001', authorizedResources: ['b'] }],
      },
    ];
    const r = rar([
      { type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:a' },
      { type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:b' },
    ]);
    expect(mapAuthorizedParties(dup, r)).toEqual([
      {
        orgno: '310000001',
        name: 'X',
        unit_type: '',
        parent_orgno: '310000000',
        deleted: false,
        grants: [
          { resourceId: 'a', actions: [] },
          { resourceId: 'b', actions: [] },
        ],
      },
    ]);
  });

  it('exposes configured resource names', () => {
    const byMap = new AltinnAuthorisationSource({ baseUrl, resourceNames: { 'eksempel-tjeneste': 'Eksempeltjeneste' } });
    expect(byMap.resourceName('eksempel-tjeneste')).toBe('Eksempeltjeneste');
    expect(byMap.resourceName('toString')).toBeUndefined();
    expect(byMap.resourceName('nope')).toBeUndefined();
    const byFn = new AltinnAuthorisationSource({ baseUrl, resourceNames: (id) => (id === 'x' ? 'X' : undefined) });
    expect(byFn.resourceName('x')).toBe('X');
    expect(new AltinnAuthorisationSource({ baseUrl }).resourceName('x')).toBeUndefined();
  });
});

describe('AltinnAuthorisationSource: failures', () => {
  it('times out a slow answer', async () => {
    handler = (_req, _body, res) => {
      const t = setTimeout(() => json(res, 200, ANSWER), 1500);
      res.on('close', () => clearTimeout(t));
    };
    const source = new AltinnAuthorisationSource({ baseUrl, timeoutMs: 100 });
    const started = Date.now();
    const err = await sourceError(source.listParties({ pid: PID, clientId: 'c', rar: resourceRar }));
    expect(err.message).toMatch(/timed out after 100 ms/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('times out a body that stalls after the headers', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('[');
      const t = setTimeout(() => res.end(']'), 1500);
      res.on('close', () => clearTimeout(t));
    };
    const source = new AltinnAuthorisationSource({ baseUrl, timeoutMs: 150 });
    expect((await sourceError(source.listParties({ pid: PID, clientId: 'c', rar: resourceRar }))).message).toMatch(/timed out/);
  });

  it('non-2xx answers', async () => {
    for (const status of [500, 401, 403, 404, 503]) {
      handler = (_req, _body, res) => json(res, status, { title: 'error' });
      const source = new AltinnAuthorisationSource({ baseUrl });
      expect((await sourceError(source.listParties({ pid: PID, clientId: 'c', rar: resourceRar }))).message).toMatch(
        new RegExp(`HTTP ${status}`),
      );
    }
  });

  it('redirects are not followed', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(302, { Location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    };
    const source = new AltinnAuthorisationSource({ baseUrl });
    await sourceError(source.listParties({ pid: PID, clientId: 'c', rar: resourceRar }));
  });

  it('non-JSON answers', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>maintenance</html>');
    };
    const source = new AltinnAuthorisationSource({ baseUrl });
    expect((await sourceError(source.listParties({ pid: PID, clientId: 'c', rar: resourceRar }))).message).toMatch(/not JSON/);
  });

  it('wrong-shape answers', async () => {
    const shapes: unknown[] = [
      { parties: ANSWER },
      null,
      'text',
      [{ name: 'no type', organizationNumber: '310000001' }],
      [{ type: 'Organization', organizationNumber: 310000001 }],
      [{ type: 'Organization', organizationNumber: '310000001', authorizedResources: 'eksempel-tjeneste' }],
      [{ type: 'Organization', organizationNumber: '310000001', isDeleted: 'no' }],
      [{ type: 'Organization', organizationNumber: '310000001', subunits: [{ organizationNumber: '310000002' }] }],
    ];
    for (const shape of shapes) {
      handler = (_req, _body, res) => json(res, 200, shape);
      const source = new AltinnAuthorisationSource({ baseUrl });
      expect((await sourceError(source.listParties({ pid: PID, clientId: 'c', rar: resourceRar }))).message).toMatch(
        /unexpected shape/,
      );
    }
  });

  it('an organisation without a valid organisation number', async () => {
    for (const orgno of [null, '12345', 'abcdefghi']) {
      handler = (_req, _body, res) => json(res, 200, [{ type: 'Organization', name: 'X', organizationNumber: orgno }]);
      const source = new AltinnAuthorisationSource({ baseUrl });
      expect((await sourceError(source.listParties({ pid: PID, clientId: 'c', rar: resourceRar }))).message).toMatch(
        /without a valid organizationNumber at 0/,
      );
    }
  });

  it('an unreachable API', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const source = new AltinnAuthorisationSource({ baseUrl: `http://127.0.0.1:${port}` });
    expect((await sourceError(source.listParties({ pid: PID, clientId: 'c', rar: resourceRar }))).message).toMatch(/could not reach/);
  });

  it('an injected fetch that throws', async () => {
    const source = new AltinnAuthorisationSource({
      baseUrl,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const err = await sourceError(source.listParties({ pid: PID, clientId: 'c', rar: resourceRar }));
    expect(err.cause).toBeInstanceOf(TypeError);
  });

  it('an empty list is a valid answer', async () => {
    handler = (_req, _body, res) => json(res, 200, []);
    const source = new AltinnAuthorisationSource({ baseUrl });
    expect(await source.listParties({ pid: PID, clientId: 'c', rar: resourceRar })).toEqual([]);
  });
});

describe('AltinnAuthorisationSource: actions confirmed by the PDP', () => {
  const source = () => new AltinnAuthorisationSource({ baseUrl, headers: { Authorization: 'Bearer altinn-token' } });

  it('asks one multi-request for every candidate party × requested action, with the configured headers', async () => {
    await source().listParties({ pid: PID, clientId: 'c', rar: resourceRar });
    expect(pdpRequests()).toHaveLength(1);
    const r = pdpRequests()[0]!;
    expect(r.method).toBe('POST');
    expect(r.headers.authorization).toBe('Bearer altinn-token');
    expect(r.headers['content-type']).toBe('application/json');
    const body = JSON.parse(r.body) as { Request: Record<string, unknown> };
    expect(body.Request.AccessSubject).toEqual([{ Id: 's1', Attribute: [{ AttributeId: 'urn:altinn:person:identifier-no', Value: PID, DataType: 'http://www.w3.org/2001/XMLSchema#string', IncludeInResult: true }] }]);
    expect((body.Request.MultiRequests as { RequestReference: unknown[] }).RequestReference).toHaveLength(4); // 2 parties × 2 actions
    expect((body.Request.Resource as { Attribute: { AttributeId: string; Value: string }[] }[]).map((e) => e.Attribute.map((a) => `${a.AttributeId}=${a.Value}`))).toEqual([
      ['urn:altinn:resource=eksempel-tjeneste', 'urn:altinn:organization:identifier-no=310000001'],
      ['urn:altinn:resource=eksempel-tjeneste', 'urn:altinn:organization:identifier-no=310000004'],
    ]);
  });

  it('issues requested ∩ permitted; a party with no requested action permitted is not offered (the attack: asking for write)', async () => {
    decide = (q) => (q.orgno === '310000001' && q.action === 'read' ? 'Permit' : q.orgno === '310000004' ? 'Deny' : 'NotApplicable');
    const parties = await source().listParties({ pid: PID, clientId: 'c', rar: resourceRar });
    expect(parties.map((p) => [p.orgno, p.grants])).toEqual([['310000001', [{ resourceId: 'eksempel-tjeneste', actions: ['read'] }]]]);
  });

  it('keeps request order and only the permitted items of a party', async () => {
    decide = (q) => (q.resource === 'app_ttd_demo' || q.action === 'write' ? 'Permit' : 'Deny');
    const parties = await source().listParties({
      pid: PID, clientId: 'c',
      rar: rar([
        { type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:eksempel-tjeneste', actions: 'write,read' },
        { type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:app_ttd_demo', actions: 'sign,read' },
      ]),
    });
    expect(parties.find((p) => p.orgno === '310000001')!.grants).toEqual([
      { resourceId: 'eksempel-tjeneste', actions: ['write'] },
      { resourceId: 'app_ttd_demo', actions: ['sign', 'read'] },
    ]);
  });

  it('an item without actions qualifies by holding the resource: no PDP call, empty actions', async () => {
    decide = () => 'Deny';
    const parties = await source().listParties({ pid: PID, clientId: 'c', rar: rar([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:eksempel-tjeneste' }]) });
    expect(parties.map((p) => [p.orgno, p.grants])).toEqual([
      ['310000001', [{ resourceId: 'eksempel-tjeneste', actions: [] }]],
      ['310000004', [{ resourceId: 'eksempel-tjeneste', actions: [] }]],
    ]);
    expect(pdpRequests()).toHaveLength(0);
  });

  it('a PDP that is down, slow, failing or answering garbage → AuthorisationSourceError, never a guess', async () => {
    pdpHandler = (_req, _body, res) => json(res, 503, {});
    expect((await sourceError(source().listParties({ pid: PID, clientId: 'c', rar: resourceRar }))).message).toMatch(/PDP decision failed: HTTP 503/);

    pdpHandler = (_req, _body, res) => {
      const t = setTimeout(() => json(res, 200, {}), 1500);
      res.on('close', () => clearTimeout(t));
    };
    const slow = new AltinnAuthorisationSource({ baseUrl, timeoutMs: 150 });
    expect((await sourceError(slow.listParties({ pid: PID, clientId: 'c', rar: resourceRar }))).message).toMatch(/PDP decision timed out after 150 ms/);

    pdpHandler = (_req, _body, res) => { res.writeHead(200); res.end('<html>'); };
    expect((await sourceError(source().listParties({ pid: PID, clientId: 'c', rar: resourceRar }))).message).toMatch(/PDP answer is not JSON/);

    const garbage: ((body: string) => unknown)[] = [
      () => ({}),
      () => ({ Response: 'Permit' }),
      () => ({ Response: [{ Decision: 'Maybe' }] }),
      // decisions without the attributes that say what they decide
      (b) => ({ Response: (pdpAnswer(b, () => 'Permit') as { Response: unknown[] }).Response.map(() => ({ Decision: 'Permit' })) }),
      // one question left unanswered
      (b) => ({ Response: (pdpAnswer(b, () => 'Permit') as { Response: unknown[] }).Response.slice(1) }),
      // Indeterminate
      (b) => pdpAnswer(b, () => 'Indeterminate' as 'Deny'),
    ];
    for (const g of garbage) {
      pdpHandler = (_req, body, res) => json(res, 200, g(body));
      await sourceError(source().listParties({ pid: PID, clientId: 'c', rar: resourceRar }));
    }
  });
});

describe('altinn-pdp: request builder and answer parser', () => {
  const qs: PdpQuestion[] = [
    { resource: 'r', party: { orgno: '310000001' }, action: 'read' },
    { resource: 'r', party: { orgno: '310000001' }, action: 'write' },
    { resource: 'r', party: { partyId: '5001' }, action: 'read' },
    { resource: 'r', party: { orgno: '310000001' }, action: 'read' },
  ];

  it('builds one subject, distinct actions and resources, one reference per distinct question', () => {
    const req = buildPdpRequest({ userId: '20000' }, qs).Request;
    expect(req.AccessSubject[0]!.Attribute[0]).toMatchObject({ AttributeId: 'urn:altinn:userid', Value: '20000' });
    expect(req.Action.map((a) => a.Id)).toEqual(['a1', 'a2']);
    expect(req.Resource.map((r) => r.Attribute[1]!.AttributeId)).toEqual(['urn:altinn:organization:identifier-no', 'urn:altinn:partyid']);
    expect(req.MultiRequests.RequestReference).toEqual([
      { ReferenceId: ['s1', 'a1', 'r1'] },
      { ReferenceId: ['s1', 'a2', 'r1'] },
      { ReferenceId: ['s1', 'a1', 'r2'] },
    ]);
  });

  it('maps decisions back by the returned attributes, with short category names and array values', () => {
    const cat = (action: string, party: [string, string]) => [
      { CategoryId: 'Action', Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:action:action-id', Value: action }] },
      { CategoryId: 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource', Attribute: [{ AttributeId: 'urn:altinn:resource', Value: ['r'] }, { AttributeId: party[0], Value: party[1] }] },
    ];
    const d = parsePdpResponse({
      Response: [
        { Decision: 'NotApplicable', Category: cat('write', ['urn:altinn:organization:identifier-no', '310000001']) },
        { Decision: 'Permit', Category: cat('read', ['urn:altinn:partyid', '5001']) },
        { Decision: 'Permit', Category: cat('read', ['urn:altinn:organization:identifier-no', '310000001']) },
      ],
    }, qs);
    expect(d.get(questionKey(qs[0]!))).toBe('Permit');
    expect(d.get(questionKey(qs[1]!))).toBe('NotApplicable');
    expect(d.get(questionKey(qs[2]!))).toBe('Permit');
  });

  it('refuses answers to questions not asked, and contradicting answers', () => {
    const one: PdpQuestion[] = [qs[0]!];
    const answer = (orgno: string, decision: string) => ({
      Decision: decision,
      Category: [
        { CategoryId: 'urn:oasis:names:tc:xacml:3.0:attribute-category:action', Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:action:action-id', Value: 'read' }] },
        { CategoryId: 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource', Attribute: [{ AttributeId: 'urn:altinn:resource', Value: 'r' }, { AttributeId: 'urn:altinn:organization:identifier-no', Value: orgno }] },
      ],
    });
    expect(() => parsePdpResponse({ Response: [answer('310000001', 'Permit'), answer('999999999', 'Permit')] }, one)).toThrow(PdpAnswerError);
    expect(() => parsePdpResponse({ Response: [answer('310000001', 'Permit'), answer('310000001', 'Deny')] }, one)).toThrow(/twice/);
    expect(parsePdpResponse({ Response: [answer('310000001', 'Deny')] }, one).get(questionKey(one[0]!))).toBe('Deny');
  });
});
