/**
 * A person's training records, newest first, each with its history: every correction, withdrawal,
 * confirmation or rejection, who made it and when, why, and what the record said before. Nothing is
 * ever deleted (PRODUCT.md §5), so withdrawn and rejected records are listed too.
 */
import { Fragment, type ReactNode } from 'react';
import { Link, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { TrainingRecordView } from '../../api/view';
import { formatDay, formatMoment } from './matrixRows';

const useStyles = makeStyles({
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  history: { margin: '0 0 4px 0', paddingLeft: '20px', color: tokens.colorNeutralForeground2 },
  gone: { color: tokens.colorNeutralForeground3, textDecorationLine: 'line-through' },
  actions: { display: 'flex', gap: '4px', flexWrap: 'wrap' },
});

export const RECORD_STATE_TITLES: Record<TrainingRecordView['state'], string> = {
  confirmed: 'Confirmed',
  pending: 'Awaiting confirmation',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

const SOURCE_TITLES: Record<TrainingRecordView['source'], string> = {
  tab: 'Recorded by the office',
  csv: 'Imported from the MIS',
  self: 'Self-report',
  teams: 'Confirmed in Teams',
};

const FIELD_TITLES: Record<string, string> = { completedOn: 'date completed', provider: 'provider', hours: 'hours', evidence: 'evidence', state: 'state' };

/** A link as a link; a certificate number as it is. */
export function Evidence({ value }: { value?: string }) {
  if (!value) return null;
  return /^https?:\/\//i.test(value) ? <Link href={value} target="_blank" rel="noreferrer">{value}</Link> : <>{`Certificate ${value}`}</>;
}

function beforeText(before: Record<string, unknown>): string {
  const parts = Object.entries(before).map(([k, v]) => {
    const value = v === undefined || v === null || v === '' ? '(none)' : k === 'completedOn' ? formatDay(String(v)) : k === 'state' ? (RECORD_STATE_TITLES[v as TrainingRecordView['state']] ?? String(v)) : String(v);
    return `${FIELD_TITLES[k] ?? k} ${value}`;
  });
  return parts.length ? ` Before: ${parts.join(', ')}.` : '';
}

/** "Corrected by Lucy Brown, 23 Nov 2026, 10:04: the sign-in sheet says 3 September. Before: hours 1." */
export function historyText(h: TrainingRecordView['history'][number]): string {
  const what = h.what.charAt(0).toUpperCase() + h.what.slice(1);
  return `${what} by ${h.byName}, ${formatMoment(h.at)}${h.reason ? `: ${h.reason}` : ''}.${beforeText(h.before)}`;
}

export function RecordsTable(props: {
  label: string;
  records: TrainingRecordView[];
  courseTitles: ReadonlyMap<string, string>;
  /** Buttons for a record (those who keep the records), if any. */
  actions?: (r: TrainingRecordView) => ReactNode;
}) {
  const styles = useStyles();
  const columns = props.actions ? 8 : 7;
  if (props.records.length === 0) return <Text>No training recorded yet.</Text>;
  return (
    <Table aria-label={props.label} size="small" className={styles.table}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Course</TableHeaderCell>
          <TableHeaderCell>Completed</TableHeaderCell>
          <TableHeaderCell>Provider</TableHeaderCell>
          <TableHeaderCell>Hours</TableHeaderCell>
          <TableHeaderCell>Evidence</TableHeaderCell>
          <TableHeaderCell>State</TableHeaderCell>
          <TableHeaderCell>Recorded</TableHeaderCell>
          {props.actions && <TableHeaderCell>Actions</TableHeaderCell>}
        </TableRow>
      </TableHeader>
      <TableBody>
        {props.records.map((r) => {
          const title = props.courseTitles.get(r.courseId) ?? r.courseId;
          const counted = r.state === 'confirmed' || r.state === 'pending';
          return (
            <Fragment key={r.key}>
              <TableRow data-record={r.key} data-state={r.state}>
                <TableCell><span className={counted ? undefined : styles.gone}>{title}</span></TableCell>
                <TableCell>{formatDay(r.completedOn)}</TableCell>
                <TableCell>{r.provider ?? ''}</TableCell>
                <TableCell>{r.hours ?? ''}</TableCell>
                <TableCell><Evidence value={r.evidence} /></TableCell>
                <TableCell>{RECORD_STATE_TITLES[r.state]}</TableCell>
                <TableCell>{`${SOURCE_TITLES[r.source]}, ${r.recordedByName}, ${formatMoment(r.recordedAt)}`}</TableCell>
                {props.actions && <TableCell><span className={styles.actions}>{props.actions(r)}</span></TableCell>}
              </TableRow>
              {r.history.length > 0 && (
                <TableRow data-history-of={r.key}>
                  <TableCell colSpan={columns}>
                    <ul className={styles.history} aria-label={`History of ${title}, ${formatDay(r.completedOn)}`}>
                      {r.history.map((h, i) => <li key={i}>{historyText(h)}</li>)}
                    </ul>
                  </TableCell>
                </TableRow>
              )}
            </Fragment>
          );
        })}
      </TableBody>
    </Table>
  );
}
