/**
 * Recording an entry in the filtering and monitoring log, or correcting one: a filtering change (what was
 * blocked or allowed, why, the risk assessment, who asked and who approved: policy §7.3.1), a check
 * (when, who, what was tested, the result and what follows: the DfE standards' log of checks), or the
 * annual review (with the named senior leader and governor, filled in from the setup). A correction is
 * a new entry with its reason; what it corrects stays in the log. Kept mounted and opened by `request`.
 */
import { useEffect, useState } from 'react';
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, MessageBar, MessageBarBody, Select, Textarea, makeStyles } from '@fluentui/react-components';
import { CHANGE_ACTION_TITLES, CHANGE_ACTIONS, CHECK_RESULT_TITLES, CHECK_RESULTS, ENTRY_KIND_TITLES, type EntryDetails, type EntryKind } from '../../../core/filteringLog';
import type { FilteringEntryView } from '../../api/view';
import { problemText, type TabApi } from '../api';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '10px' },
  row: { display: 'flex', flexWrap: 'wrap', gap: '12px', alignItems: 'start' },
});

export type EntryRequest = { kind: 'add'; entryKind: EntryKind } | { kind: 'correct'; entry: FilteringEntryView };

/** Every field of every kind, as typed (only the kind's own are sent). */
type Draft = Record<string, string>;

function blank(kind: EntryKind, today: string, named: { seniorLeader?: string; governor?: string; me: string }): Draft {
  if (kind === 'change') return { kind, on: today, action: 'blocked', what: '', why: '', riskAssessment: '', requestedBy: '', approvedBy: '' };
  if (kind === 'check') return { kind, on: today, checkedBy: named.me, whatWasTested: '', result: 'working', followUp: '' };
  return { kind, on: today, seniorLeader: named.seniorLeader ?? '', governor: named.governor ?? '', findings: '', actions: '' };
}

const FIELDS: Record<EntryKind, { key: string; label: string; max: number; long?: boolean; optional?: boolean; hint?: string }[]> = {
  change: [
    { key: 'what', label: 'What was blocked or allowed', max: 500, hint: 'The site, category or setting' },
    { key: 'why', label: 'Why', max: 2000, long: true },
    { key: 'riskAssessment', label: 'Risk assessment', max: 2000, long: true, hint: '§7.3.1: changes are risk assessed by staff with educational and technical experience' },
    { key: 'requestedBy', label: 'Requested by', max: 120 },
    { key: 'approvedBy', label: 'Approved by', max: 120, hint: 'With the leadership team\'s consent where appropriate (§7.3.1)' },
  ],
  check: [
    { key: 'checkedBy', label: 'Who checked', max: 120 },
    { key: 'whatWasTested', label: 'What was tested', max: 2000, long: true, hint: 'For example: the SWGfL test filtering site from a Year 5 laptop; a monitoring test phrase on an ICT suite PC' },
    { key: 'followUp', label: 'Follow-up', max: 2000, long: true, optional: true, hint: 'Required when a problem was found' },
  ],
  review: [
    { key: 'seniorLeader', label: 'Senior leader', max: 120, hint: 'The member of the senior leadership team named in the setup' },
    { key: 'governor', label: 'Governor', max: 120, hint: 'The governor named in the setup' },
    { key: 'findings', label: 'Findings', max: 4000, long: true },
    { key: 'actions', label: 'Actions', max: 4000, long: true, optional: true },
  ],
};

export function EntryDialog(props: { api: TabApi; today: string; named: { seniorLeader?: string; governor?: string; me: string }; request?: EntryRequest; onClose: (saved?: string) => void }) {
  const styles = useStyles();
  const { request, today, named } = props;
  const [draft, setDraft] = useState<Draft>({});
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (request?.kind === 'add') setDraft(blank(request.entryKind, today, named));
    if (request?.kind === 'correct') setDraft(Object.fromEntries(Object.entries(request.entry.details).map(([k, v]) => [k, String(v)])));
    setReason('');
    setError('');
    setSaving(false);
    // Filled once when the dialog opens: the names come from the page and do not change while it is open.
  }, [request]);

  const kind = (draft.kind ?? 'check') as EntryKind;
  const set = (key: string, value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const correcting = request?.kind === 'correct';

  const save = async () => {
    if (!request) return;
    const missing = FIELDS[kind].filter((f) => !f.optional && !(draft[f.key] ?? '').trim()).map((f) => f.label);
    if (missing.length) return setError(`Fill in: ${missing.join(', ')}.`);
    if (!draft.on || draft.on > today) return setError('Give the date (not in the future).');
    const details = Object.fromEntries(Object.entries(draft).map(([k, v]) => [k, v.trim()])) as unknown as EntryDetails;
    setSaving(true);
    try {
      if (request.kind === 'add') {
        await props.api.addFilteringEntry(details);
        props.onClose(`${ENTRY_KIND_TITLES[kind]} recorded.`);
      } else {
        await props.api.correctFilteringEntry(request.entry.id, details, reason.trim());
        props.onClose('Correction recorded; the entry it corrects stays in the log.');
      }
    } catch (e) {
      setError(problemText(e));
      setSaving(false);
    }
  };

  return (
    <Dialog open={!!request} onOpenChange={(_e, d) => !d.open && props.onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{correcting ? `Correct: ${ENTRY_KIND_TITLES[kind].toLowerCase()}` : `Record: ${ENTRY_KIND_TITLES[kind].toLowerCase()}`}</DialogTitle>
          <DialogContent className={styles.form}>
            <div className={styles.row}>
              <Field label={kind === 'change' ? 'Date of the change' : kind === 'check' ? 'Date of the check' : 'Date of the review'} required>
                <Input type="date" value={draft.on ?? ''} max={today} onChange={(_e, d) => set('on', d.value)} />
              </Field>
              {kind === 'change' && (
                <Field label="Decision" required>
                  <Select value={draft.action} onChange={(_e, d) => set('action', d.value)}>
                    {CHANGE_ACTIONS.map((a) => <option key={a} value={a}>{CHANGE_ACTION_TITLES[a]}</option>)}
                  </Select>
                </Field>
              )}
              {kind === 'check' && (
                <Field label="Result" required>
                  <Select value={draft.result} onChange={(_e, d) => set('result', d.value)}>
                    {CHECK_RESULTS.map((r) => <option key={r} value={r}>{CHECK_RESULT_TITLES[r]}</option>)}
                  </Select>
                </Field>
              )}
            </div>
            {FIELDS[kind].map((f) => (
              <Field key={f.key} label={f.label} required={!f.optional} hint={f.hint}>
                {f.long ? <Textarea value={draft[f.key] ?? ''} maxLength={f.max} onChange={(_e, d) => set(f.key, d.value)} /> : <Input value={draft[f.key] ?? ''} maxLength={f.max} onChange={(_e, d) => set(f.key, d.value)} />}
              </Field>
            ))}
            {correcting && (
              <Field label="Reason for the correction" required>
                <Textarea value={reason} maxLength={500} onChange={(_e, d) => setReason(d.value)} />
              </Field>
            )}
            {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
          </DialogContent>
          <DialogActions>
            <Button onClick={() => props.onClose()}>Cancel</Button>
            <Button appearance="primary" disabled={saving || (correcting && !reason.trim())} onClick={() => void save()}>
              {correcting ? 'Save the correction' : 'Record it'}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
