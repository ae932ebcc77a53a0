/**
 * Adding one record for a person, or correcting one (PATCH with a reason: what it replaced stays in the
 * record's history). Kept mounted and opened by its `request`.
 */
import { useEffect, useState } from 'react';
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, MessageBar, MessageBarBody, Select, Textarea, makeStyles } from '@fluentui/react-components';
import type { CourseView, TrainingRecordView } from '../../api/view';
import { problemText, type TabApi, type TrainingCorrection } from '../api';
import { DetailsFields, detailsOf, draftOf, emptyDraft, type DetailsDraft } from './DetailsFields';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '10px' },
});

export type RecordRequest =
  | { kind: 'add'; person: { id: string; name: string }; courses: CourseView[] }
  | { kind: 'correct'; record: TrainingRecordView; courseTitle: string };

export function RecordDialog(props: { api: TabApi; today: string; request?: RecordRequest; onClose: (saved?: string) => void }) {
  const styles = useStyles();
  const { request } = props;
  const [courseId, setCourseId] = useState('');
  const [draft, setDraft] = useState<DetailsDraft>(emptyDraft());
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    setCourseId(request?.kind === 'add' ? (request.courses[0]?.id ?? '') : '');
    setDraft(request?.kind === 'correct' ? draftOf(request.record) : emptyDraft(props.today));
    setReason('');
    setError('');
    setSaving(false);
  }, [request, props.today]);

  const save = async () => {
    if (!request) return;
    const details = detailsOf(draft, props.today);
    if ('problem' in details) return setError(details.problem);
    const change = request.kind === 'correct' ? correction(request.record, details, reason.trim()) : undefined;
    if (request.kind === 'correct' && !change) return setError('Nothing has been changed.');
    setSaving(true);
    try {
      if (request.kind === 'add') {
        const r = await props.api.addTrainingRecord({ personId: request.person.id, courseId, ...details });
        props.onClose(r.outcome === 'created' ? 'Record added.' : 'That record was already there: nothing changed.');
      } else {
        await props.api.correctTrainingRecord(request.record.key, change!);
        props.onClose('Record corrected; what it said before is kept in its history.');
      }
    } catch (e) {
      setError(problemText(e));
      setSaving(false);
    }
  };

  const correcting = request?.kind === 'correct';
  return (
    <Dialog open={!!request} onOpenChange={(_e, d) => !d.open && props.onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{request?.kind === 'correct' ? `Correct a record: ${request.courseTitle}` : `Add a record for ${request?.person.name ?? ''}`}</DialogTitle>
          <DialogContent className={styles.form}>
            {request?.kind === 'add' && (
              <Field label="Course" required>
                <Select value={courseId} onChange={(_e, d) => setCourseId(d.value)}>
                  {request.courses.map((c) => <option key={c.id} value={c.id}>{c.title}</option>)}
                </Select>
              </Field>
            )}
            <DetailsFields draft={draft} onChange={setDraft} today={props.today} />
            {correcting && (
              <Field label="Reason for the correction" required>
                <Textarea value={reason} maxLength={500} onChange={(_e, d) => setReason(d.value)} />
              </Field>
            )}
            {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
          </DialogContent>
          <DialogActions>
            <Button onClick={() => props.onClose()}>Cancel</Button>
            <Button appearance="primary" disabled={saving || (correcting ? !reason.trim() : !courseId)} onClick={() => void save()}>
              {correcting ? 'Save the correction' : 'Add the record'}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

/** Only what changed (a field emptied is cleared with null), and why; undefined when nothing did. */
function correction(before: TrainingRecordView, after: { completedOn: string; provider?: string; hours?: number; evidence?: string }, reason: string): TrainingCorrection | undefined {
  const change: TrainingCorrection = { reason };
  if (after.completedOn !== before.completedOn) change.completedOn = after.completedOn;
  if (after.provider !== before.provider) change.provider = after.provider ?? null;
  if (after.hours !== before.hours) change.hours = after.hours ?? null;
  if (after.evidence !== before.evidence) change.evidence = after.evidence ?? null;
  return Object.keys(change).length > 1 ? change : undefined;
}
