/**
 * The concern categories (PRODUCT.md §1), each with the policy's own guidance for the reporter, how it
 * is routed and the checklist the DSL works through. A new category is one entry in this table.
 */

/** Who a category goes to, before immediate danger and the subject's removal are applied. */
export type RouteRule =
  | { kind: 'phaseDsl'; alsoOnlineSafetyLead?: boolean; alsoTechnicalStaff?: boolean }
  | { kind: 'onlineSafetyLead'; alsoPhaseDsl?: boolean }
  /** Allegations about staff: the Headteacher, or the Chair of Governors when about the Headteacher. */
  | { kind: 'headteacher' };

export type CategoryId =
  | 'filteringBreach'
  | 'monitoringAlert'
  | 'offensiveCommunication'
  | 'cyberbullying'
  | 'sexualViolence'
  | 'sharingNudes'
  | 'sexualAbuseExploitation'
  | 'indecentImages'
  | 'onlineHate'
  | 'radicalisation'
  | 'staffAllegation'
  | 'lowLevelStaff'
  | 'misinformation'
  | 'other';

export interface Category {
  id: CategoryId;
  title: string;
  /** Section of the St Michael's policy the rule comes from. */
  policy: string;
  /** Shown to the reporter when they choose the category, before they write anything. */
  guidance: string[];
  route: RouteRule;
  /** Told at once, with the urgent acknowledgement deadline ("immediately" in the policy). */
  urgent: boolean;
  /** Never accept, store or forward an image (§11.2, §11.4). */
  imageCategory: boolean;
  /** Ask for the web address (§7.3.2 "including the URL of the site if possible"). */
  asksUrl: boolean;
  /** Whether the concern names a member of staff, and what that means for routing. */
  staff: 'required' | 'optional' | 'none';
  staffLabel?: string;
  /** When a member of staff is involved, the Headteacher is told (§11.4 LADO, §11.7). */
  staffInvolvedGoesToHeadteacher?: boolean;
  /** When a member of staff is the person at risk, the Headteacher is told instead of the DSL (§11.7). */
  staffInvolvedReplacesDsl?: boolean;
  /** The DSL's checklist for the case (§10, §11). */
  checklist: string[];
}

const NEVER_VIEW = [
  'Do not view, copy, print, share, forward or screenshot the image, and do not ask anyone else to.',
  'This includes images made or altered with AI ("deepfakes", "nudify" apps): KCSIE treats them exactly as real ones.',
  'Secure the device (switch it off or put it in flight mode) and hand it to the DSL; do not attach or upload anything here.',
  'Describe what you were told in words only.',
];

export const CATEGORIES: readonly Category[] = [
  {
    id: 'filteringBreach',
    title: 'Filtering breach / unsuitable site',
    policy: '§7.3.2',
    guidance: [
      'Give the web address (URL) of the site if you can.',
      'Parents and carers are informed of filtering breaches involving their child.',
      'Material believed to be illegal is reported at once to the IWF, Kent Police or CEOP: say so below.',
    ],
    route: { kind: 'phaseDsl', alsoTechnicalStaff: true },
    urgent: false,
    imageCategory: false,
    asksUrl: true,
    staff: 'none',
    checklist: ['Breach recorded', 'Technical staff told and site blocked', 'Parents informed', 'Illegal material reported (IWF / Police / CEOP)'],
  },
  {
    id: 'monitoringAlert',
    title: 'Monitoring alert',
    policy: '§7.3.4',
    // §7.3.4: "If a concern is identified via monitoring approaches we will inform the Online Safety
    // Lead, DSL or Deputy Head which will be logged." Alerts at or above the school's risk threshold
    // arrive here by themselves (POST /api/monitoring/alerts, or the technician's CSV upload).
    guidance: [
      'Say what the monitoring system captured and when. The Online Safety Lead and DSL will log it.',
      'Alerts from the monitoring system arrive by themselves: raise one here only for a capture you saw yourself.',
      'Do not copy, print or attach the screenshot: give the link to it in the monitoring console. Captures are never stored here.',
    ],
    route: { kind: 'onlineSafetyLead', alsoPhaseDsl: true },
    urgent: false,
    imageCategory: false,
    asksUrl: true,
    staff: 'none',
    checklist: ['Alert logged', 'Capture reviewed in the monitoring console', 'Learner confirmed (the system names a login, not a child)', 'Parents informed where appropriate'],
  },
  {
    id: 'offensiveCommunication',
    title: 'Offensive communication received',
    policy: '§7.8',
    guidance: ['Tell the Online Safety Lead at once; it will be recorded in the safeguarding records.', 'Do not reply to the sender.'],
    route: { kind: 'onlineSafetyLead' },
    urgent: false,
    imageCategory: false,
    asksUrl: false,
    staff: 'none',
    checklist: ['Recorded in safeguarding records', 'Sender identified', 'Action taken'],
  },
  {
    id: 'cyberbullying',
    title: 'Cyberbullying',
    policy: '§11.5',
    guidance: [
      'Advise the learner to keep the evidence (do not delete messages) and not to reply.',
      'Our anti-bullying policy sets out how it is handled.',
    ],
    route: { kind: 'phaseDsl' },
    urgent: false,
    imageCategory: false,
    asksUrl: false,
    staff: 'none',
    checklist: ['Evidence kept', 'Support offered to those involved', 'Parents informed', 'Sanctions under the behaviour policy', 'Advice on blocking and reporting given'],
  },
  {
    id: 'sexualViolence',
    title: 'Online sexual violence or harassment between children',
    policy: '§11.1',
    guidance: [
      'The DSL (or deputy) is told immediately.',
      'If content is on a learner\'s device, do not search it yourself: the DSL follows the DfE searching, screening and confiscation advice.',
    ],
    route: { kind: 'phaseDsl' },
    urgent: true,
    imageCategory: false,
    asksUrl: false,
    staff: 'none',
    checklist: ['Device managed (searching, screening and confiscation)', 'Support offered to all learners involved', 'Parents informed', 'Referral to Children\'s Social Work Service / Police considered', 'Sanctions under the behaviour policy', 'Handling reviewed'],
  },
  {
    id: 'sharingNudes',
    title: 'Sharing nudes / youth-produced sexual imagery ("sexting")',
    policy: '§11.2',
    guidance: NEVER_VIEW,
    route: { kind: 'phaseDsl', alsoOnlineSafetyLead: true },
    urgent: true,
    imageCategory: true,
    asksUrl: false,
    staff: 'none',
    checklist: ['Device stored securely', 'Access blocked and image isolated on our network', 'Risk assessment', 'Parents informed', 'Referral to Children\'s Social Work Service / Police considered', 'Support offered', 'Sanctions considered', 'Deletion of images considered (only once agencies are not needed)', 'Image viewed? Record who and why'],
  },
  {
    id: 'sexualAbuseExploitation',
    title: 'Online child sexual abuse or exploitation (including criminal exploitation, grooming)',
    policy: '§11.3',
    guidance: [
      'If a child is at immediate risk, call 999 now. Otherwise the DSL informs Kent Police via 101.',
      'Learners can report to CEOP: www.ceop.police.uk/safety-centre/ (Click CEOP).',
      'Keep any device involved safe and do not investigate yourself.',
    ],
    route: { kind: 'phaseDsl' },
    urgent: true,
    imageCategory: false,
    asksUrl: false,
    staff: 'none',
    checklist: ['Devices stored securely', 'Referral to Children\'s Social Work Service', 'Kent Police informed (101 / 999)', 'Risk assessment', 'Parents informed', 'Support offered', 'CSET informed where relevant', 'Handling reviewed'],
  },
  {
    id: 'indecentImages',
    title: 'Indecent images of children (IIOC)',
    policy: '§11.4',
    guidance: [
      ...NEVER_VIEW,
      'Give the web address (URL) if you know it, so the DSL can report it to the IWF (www.iwf.org.uk).',
    ],
    route: { kind: 'phaseDsl', alsoOnlineSafetyLead: true },
    urgent: true,
    imageCategory: true,
    asksUrl: true,
    staff: 'optional',
    staffLabel: 'A member of staff is involved (the Headteacher and LADO are told)',
    staffInvolvedGoesToHeadteacher: true,
    checklist: ['Devices stored securely / quarantined', 'URLs reported to the IWF', 'Kent Police informed (101 / 999)', 'LADO informed (staff involved)', 'Copies deleted', 'Parents informed', 'Image viewed? Record who and why'],
  },
  {
    id: 'onlineHate',
    title: 'Online hate',
    policy: '§11.6',
    guidance: ['Keep the evidence. The Police will be contacted if a criminal offence is suspected.'],
    route: { kind: 'phaseDsl' },
    urgent: false,
    imageCategory: false,
    asksUrl: true,
    staff: 'none',
    checklist: ['Evidence kept', 'Police contacted if an offence is suspected', 'Support offered', 'Sanctions under the behaviour policy'],
  },
  {
    id: 'radicalisation',
    title: 'Radicalisation or extremism',
    policy: '§11.7',
    guidance: ['The DSL is informed immediately. If the person at risk is a member of staff, the Headteacher is told instead.'],
    route: { kind: 'phaseDsl' },
    urgent: true,
    imageCategory: false,
    asksUrl: true,
    staff: 'optional',
    staffLabel: 'The person at risk is a member of staff (the Headteacher is told)',
    staffInvolvedReplacesDsl: true,
    checklist: ['Prevent referral considered', 'Parents informed where appropriate', 'Support offered', 'Handling reviewed'],
  },
  {
    id: 'staffAllegation',
    title: 'Allegation about a member of staff\'s online conduct',
    policy: '§10.2, §9.2',
    guidance: [
      'This goes to the Headteacher (to the Chair of Governors if it is about the Headteacher), never to the person it is about.',
      'Do not discuss it with the member of staff concerned.',
    ],
    route: { kind: 'headteacher' },
    urgent: false,
    imageCategory: false,
    asksUrl: false,
    staff: 'required',
    staffLabel: 'Member of staff the allegation is about',
    checklist: ['LADO consulted', 'Managing allegations policy followed', 'Action under the staff code of conduct'],
  },
  {
    id: 'lowLevelStaff',
    title: 'Low-level concern about a member of staff',
    policy: 'KCSIE Part 4 (low-level concerns); §10.2',
    guidance: [
      'A low-level concern is any worry, however small, that a member of staff (or a volunteer or contractor) has acted in a way that does not fit the staff code of conduct, even if it does not meet the threshold of harm: for example being over-friendly with a child, using a personal phone or social media to contact a pupil, or taking photographs on a personal device.',
      'It goes to the Headteacher (to the Chair of Governors if it is about the Headteacher), never to the person it is about. Do not discuss it with them.',
      'If you think a child has been harmed or may be at risk of harm, choose "Allegation about a member of staff" instead.',
    ],
    route: { kind: 'headteacher' },
    urgent: false,
    imageCategory: false,
    asksUrl: false,
    staff: 'required',
    staffLabel: 'Member of staff the concern is about',
    checklist: ['Recorded in the low-level concerns log', 'Spoken to the member of staff where appropriate', 'Earlier low-level concerns about them reviewed for a pattern', 'Referred as an allegation (LADO) if the threshold is met'],
  },
  {
    id: 'misinformation',
    title: 'Misinformation, disinformation or conspiracy theories',
    policy: 'KCSIE 2025 Part 2 (content risk)',
    guidance: [
      'KCSIE names misinformation, disinformation (including fake news) and conspiracy theories as an online content risk.',
      'Say what the learner saw or shared and where (give the web address if you have it). Do not repeat or forward the content.',
      'If it is linked to extremism, choose "Radicalisation or extremism" instead.',
    ],
    route: { kind: 'phaseDsl' },
    urgent: false,
    imageCategory: false,
    asksUrl: true,
    staff: 'none',
    checklist: ['Content recorded (no copies kept)', 'Learner supported to question the source', 'Parents informed where appropriate', 'Curriculum or assembly follow-up considered'],
  },
  {
    id: 'other',
    title: 'Other online-safety or welfare concern',
    policy: '§10.1',
    guidance: ['The DSL records it in line with the child protection policy and tells parents where appropriate.'],
    route: { kind: 'phaseDsl' },
    urgent: false,
    imageCategory: false,
    asksUrl: true,
    staff: 'none',
    checklist: ['Recorded', 'Escalated to agencies where needed', 'Parents informed where appropriate'],
  },
];

const BY_ID = new Map<string, Category>(CATEGORIES.map((c) => [c.id, c]));

export function categoryById(id: string): Category | undefined {
  return BY_ID.get(id);
}

/**
 * Cases only the Headteacher may see (the Chair of Governors when about the Headteacher), never the
 * DSLs: allegations and low-level concerns about staff (§10.2, KCSIE Part 4), and a member of staff at
 * risk of radicalisation (§11.7).
 */
export function aboutStaff(category: Category, staffInvolvedId: string | undefined): boolean {
  return category.route.kind === 'headteacher' || (!!staffInvolvedId && !!category.staffInvolvedReplacesDsl);
}
