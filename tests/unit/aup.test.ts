/** The AUP register's rules (PRODUCT.md §4), without storage or HTTP. */
import {
  buildRegister,
  countRegister,
  documentAppliesTo,
  filterRegister,
  latestSignatures,
  registerAccess,
  signatureStatus,
  sortRegister,
  unsignedFor,
  type CurrentDocument,
  type LatestSignature,
  type RegisterPerson,
} from '../../core/aup';

const staffAup: CurrentDocument = { id: 'staff', kind: 'staff', title: 'Staff AUP', version: 3, publishedAt: '2026-09-01T00:00:00Z', appliesTo: { kinds: ['staff'] } };
const social: CurrentDocument = { id: 'social', kind: 'socialMedia', title: 'Social media', version: 1, publishedAt: '2026-09-01T00:00:00Z', appliesTo: { kinds: ['staff'], tag: 'officialChannels' } };
const ks1: CurrentDocument = { id: 'ks1', kind: 'learner', title: 'Learner AUP (KS1)', version: 1, publishedAt: '2026-09-01T00:00:00Z', appliesTo: { kinds: ['learner'], yearGroups: ['Year 1', 'Year 2'] } };
const byod: CurrentDocument = { id: 'byod', kind: 'byod', title: 'BYOD', version: 2, publishedAt: '2026-09-01T00:00:00Z', appliesTo: { kinds: ['learner', 'parent'] } };
const docs = [staffAup, social, ks1, byod];

const sam: RegisterPerson = { id: 's1', displayName: 'Sam Taylor', kind: 'staff', tags: [] };
const lucy: RegisterPerson = { id: 's2', displayName: 'Lucy Brown', kind: 'staff', tags: ['officialChannels'] };
const amy: RegisterPerson = { id: 'l1', displayName: 'Amélie Adams', kind: 'learner', yearGroup: 'Year 1', tags: [] };
const ben: RegisterPerson = { id: 'l2', displayName: 'Ben Brown', kind: 'learner', yearGroup: 'Year 5', tags: [] };
const pat: RegisterPerson = { id: 'p1', displayName: 'Pat Adams', kind: 'parent', tags: [] };
const people = [sam, lucy, amy, ben, pat];

const sig = (personId: string, documentId: string, version: number): LatestSignature => ({ personId, documentId, version, signedAt: '2026-09-02T10:00:00Z', channel: 'teams' });

describe('who a document applies to', () => {
  it('the staff AUP applies to staff, not learners', () => {
    expect(documentAppliesTo(staffAup.appliesTo, sam)).toBe(true);
    expect(documentAppliesTo(staffAup.appliesTo, amy)).toBe(false);
  });
  it('the social-media AUP applies only to staff who run official channels (§7.8.2)', () => {
    expect(documentAppliesTo(social.appliesTo, sam)).toBe(false);
    expect(documentAppliesTo(social.appliesTo, lucy)).toBe(true);
  });
  it('an age-appropriate learner AUP applies to its year groups only', () => {
    expect(documentAppliesTo(ks1.appliesTo, amy)).toBe(true);
    expect(documentAppliesTo(ks1.appliesTo, ben)).toBe(false);
  });
  it('the BYOD letter is signed by learner and parent', () => {
    expect(documentAppliesTo(byod.appliesTo, ben)).toBe(true);
    expect(documentAppliesTo(byod.appliesTo, pat)).toBe(true);
    expect(documentAppliesTo(byod.appliesTo, sam)).toBe(false);
  });
});

describe('signature status', () => {
  it('never, older, current', () => {
    expect(signatureStatus(undefined, 3)).toBe('never');
    expect(signatureStatus(2, 3)).toBe('older');
    expect(signatureStatus(3, 3)).toBe('current');
  });
  it('a new version makes a current signature "older" until signed again', () => {
    const latest = latestSignatures([sig('s1', 'staff', 2), sig('s1', 'staff', 1)]);
    expect(latest.get('s1|staff')?.version).toBe(2);
    expect(buildRegister([sam], [{ ...staffAup, version: 2 }], latest)[0].cells[0]?.status).toBe('current');
    expect(buildRegister([sam], [staffAup], latest)[0].cells[0]?.status).toBe('older');
  });
});

describe('the register', () => {
  const latest = latestSignatures([sig('s1', 'staff', 3), sig('s2', 'staff', 2), sig('l1', 'ks1', 1)]);
  const rows = buildRegister(people, docs, latest);

  it('has a cell only where the document applies', () => {
    expect(rows[0].cells.map((c) => c?.status ?? null)).toEqual(['current', null, null, null]);
    expect(rows[1].cells.map((c) => c?.status ?? null)).toEqual(['older', 'never', null, null]);
    expect(rows[2].cells.map((c) => c?.status ?? null)).toEqual([null, null, 'current', 'never']);
  });

  it('filters by role, year group, document and status, and searches names ignoring accents', () => {
    expect(filterRegister(rows, docs, { kind: 'learner' }).map((r) => r.person.id)).toEqual(['l1', 'l2']);
    expect(filterRegister(rows, docs, { yearGroup: 'Year 5' }).map((r) => r.person.id)).toEqual(['l2']);
    expect(filterRegister(rows, docs, { documentId: 'staff', status: 'older' }).map((r) => r.person.id)).toEqual(['s2']);
    expect(filterRegister(rows, docs, { documentId: 'byod' }).map((r) => r.person.id)).toEqual(['l1', 'l2', 'p1']);
    expect(filterRegister(rows, docs, { search: 'amelie' }).map((r) => r.person.id)).toEqual(['l1']);
    expect(filterRegister(rows, docs, { status: 'never' }).map((r) => r.person.id)).toEqual(['s2', 'l1', 'l2', 'p1']);
  });

  it('counts each document\'s statuses', () => {
    expect(countRegister(rows, docs.length)[0]).toEqual({ current: 1, older: 1, never: 0 });
    expect(countRegister(rows, docs.length)[3]).toEqual({ current: 0, older: 0, never: 3 });
  });

  it('sorts by name, and by status with the unsigned first', () => {
    expect(sortRegister(rows, 'name').map((r) => r.person.displayName)).toEqual(['Amélie Adams', 'Ben Brown', 'Lucy Brown', 'Pat Adams', 'Sam Taylor']);
    expect(sortRegister(filterRegister(rows, docs, { documentId: 'staff' }), 'status', false, 0).map((r) => r.person.id)).toEqual(['s2', 's1']);
  });

  it('a reminder goes to everyone the document applies to who has not signed the current version', () => {
    expect(unsignedFor(rows, 0).map((p) => p.id)).toEqual(['s2']);
  });
});

describe('who may see the register', () => {
  it('office staff keep it; leadership read it; everyone else sees their own', () => {
    expect(registerAccess(['officeStaff', 'allStaff'])).toBe('keep');
    expect(registerAccess(['dslPrep', 'allStaff'])).toBe('view');
    expect(registerAccess(['allStaff'])).toBe('own');
    expect(registerAccess([])).toBe('own');
  });
});
