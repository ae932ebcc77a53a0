/**
 * A completion's details as every training form asks them (a record, a correction, a session, a
 * self-report): the date, the provider, the hours, and evidence as a link or a certificate number
 * (PRODUCT.md §5: never an uploaded file). The server checks them again (tab/api/trainingImport.ts).
 */
import { Field, Input, makeStyles } from '@fluentui/react-components';
import type { TrainingRecordView } from '../../api/view';
import type { TrainingDetails } from '../api';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: '12px', alignItems: 'start' },
  short: { width: '110px' },
});

/** What the fields hold, as typed. */
export interface DetailsDraft {
  completedOn: string;
  provider: string;
  hours: string;
  evidence: string;
}

export function emptyDraft(completedOn = ''): DetailsDraft {
  return { completedOn, provider: '', hours: '', evidence: '' };
}

export function draftOf(r: TrainingRecordView): DetailsDraft {
  return { completedOn: r.completedOn, provider: r.provider ?? '', hours: r.hours === undefined ? '' : String(r.hours), evidence: r.evidence ?? '' };
}

/** The details to send, or what is wrong with them. */
export function detailsOf(d: DetailsDraft, today: string): TrainingDetails | { problem: string } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.completedOn)) return { problem: 'Give the date it was completed.' };
  if (d.completedOn > today) return { problem: 'The date cannot be in the future.' };
  const hours = d.hours.trim() === '' ? undefined : Number(d.hours);
  if (hours !== undefined && (!Number.isFinite(hours) || hours < 0 || hours > 1000)) return { problem: 'Hours are a number from 0 to 1,000.' };
  return { completedOn: d.completedOn, provider: d.provider.trim() || undefined, hours, evidence: d.evidence.trim() || undefined };
}

export function DetailsFields(props: { draft: DetailsDraft; onChange: (d: DetailsDraft) => void; today: string; dateLabel?: string }) {
  const styles = useStyles();
  const { draft } = props;
  const set = (patch: Partial<DetailsDraft>) => props.onChange({ ...draft, ...patch });
  return (
    <>
      <div className={styles.row}>
        <Field label={props.dateLabel ?? 'Date completed'} required>
          <Input type="date" value={draft.completedOn} max={props.today} onChange={(_e, d) => set({ completedOn: d.value })} />
        </Field>
        <Field label="Provider">
          <Input value={draft.provider} maxLength={120} onChange={(_e, d) => set({ provider: d.value })} placeholder="Who delivered it" />
        </Field>
        <Field label="Hours">
          <Input className={styles.short} type="number" min={0} max={1000} step={0.5} value={draft.hours} onChange={(_e, d) => set({ hours: d.value })} />
        </Field>
      </div>
      <Field label="Evidence" hint="A link (https://…) or a certificate number. Files are never uploaded here.">
        <Input value={draft.evidence} maxLength={300} onChange={(_e, d) => set({ evidence: d.value })} />
      </Field>
    </>
  );
}
