import type { Acr } from '../oauth/authorize/authorization-request.js';

/** An eID the user can pick in the selector. */
export interface EidDescriptor {
  id: string;
  name: string;
  /** The acr values this eID can deliver. */
  acr: Acr[];
}

export const TESTID: EidDescriptor = { id: 'testid', name: 'TestID', acr: ['substantial', 'high'] };

/** The eIDs that can satisfy at least one of the requested acr values (spec §5.3). */
export function eidsFor(eids: readonly EidDescriptor[], requested: readonly Acr[]): EidDescriptor[] {
  return eids.filter((e) => requested.some((r) => (r === 'substantial' ? e.acr.includes('substantial') || e.acr.includes('high') : e.acr.includes(r))));
}

/** The levels a TestID user may choose: at least the lowest level requested. */
export function testIdLevels(requested: readonly Acr[]): ('substantial' | 'high')[] {
  return requested.includes('substantial') ? ['substantial', 'high'] : ['high'];
}
