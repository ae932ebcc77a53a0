/**
 * The training half of "My records" (PRODUCT.md §5: everyone sees their own): the person's courses with
 * status and due dates, their records with what the office did to them, and "I completed [course] on
 * [date] with [provider]", which waits for the office to confirm it before it counts.
 * API: GET /my-records (its `training`), POST /my-records/training.
 */
import { useMemo, useState } from 'react';
import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { MyRecordsView } from '../../api/view';
import { problemText, type TabApi } from '../api';
import { TrainingBadge } from '../components/TrainingBadge';
import { DetailsFields, detailsOf, emptyDraft, type DetailsDraft } from './DetailsFields';
import { cellTitle, formatDay } from './matrixRows';
import { RecordsTable } from './RecordsTable';

const useStyles = makeStyles({
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  form: { display: 'flex', flexDirection: 'column', gap: '10px', maxWidth: '720px', padding: '8px 12px', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
});

export function MyTraining(props: { api: TabApi; training: MyRecordsView['training']; onReported: () => void }) {
  const styles = useStyles();
  const { training } = props;
  const courseTitles = useMemo(() => new Map(training.courses.map((c) => [c.course.id, c.course.title])), [training]);
  // A must-read is confirmed from its card in Teams, not reported here.
  const reportable = training.courses.filter((c) => !c.course.confirmedInTeams).map((c) => c.course);
  const [courseId, setCourseId] = useState('');
  const [draft, setDraft] = useState<DetailsDraft>(emptyDraft(training.today));
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [sending, setSending] = useState(false);
  const chosen = courseId || reportable[0]?.id || '';

  const report = async () => {
    const details = detailsOf(draft, training.today);
    if ('problem' in details) return setError(details.problem);
    setSending(true);
    setError('');
    try {
      const r = await props.api.reportTraining({ courseId: chosen, ...details });
      setNotice(r.outcome === 'created' ? `Sent to the office: ${courseTitles.get(chosen) ?? chosen} on ${formatDay(details.completedOn)} shows as awaiting confirmation until they confirm it.` : 'That was already recorded: nothing changed.');
      setDraft(emptyDraft(training.today));
      props.onReported();
    } catch (e) {
      setError(problemText(e));
    }
    setSending(false);
  };

  return (
    <>
      <Text as="h2" weight="semibold">Training</Text>
      {training.courses.length === 0 ? (
        <Text>No training is required of you at the moment.</Text>
      ) : (
        <Table aria-label="Your training" className={styles.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Course</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell>Last done</TableHeaderCell>
              <TableHeaderCell>Due</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {training.courses.map(({ course, status }) => (
              <TableRow key={course.id} data-course={course.id}>
                <TableCell title={`${course.policy}; ${course.renewal}`}>{course.title}</TableCell>
                <TableCell>
                  <TrainingBadge status={status.status} title={cellTitle(status, courseTitles)} />
                  {status.awaitingConfirmation && <Text size={200}>{` Awaiting confirmation by the office (${formatDay(status.awaitingConfirmation)})`}</Text>}
                </TableCell>
                <TableCell>{formatDay(status.lastCompletedOn)}</TableCell>
                <TableCell>{status.status === 'never' ? 'Now' : formatDay(status.dueOn)}{course.confirmedInTeams && status.status !== 'current' ? ' (confirm it from the card the bot sends you)' : ''}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}

      <Text as="h3" weight="semibold">Your training records</Text>
      <RecordsTable label="Your training records" records={training.records} courseTitles={courseTitles} />

      {reportable.length > 0 && (
        <section className={styles.form} aria-label="Report training you have done">
          <Text weight="semibold">I have completed a course</Text>
          <Text size={200}>The office confirms it (with your certificate or their sign-in sheet) before it counts.</Text>
          <Field label="Course" required>
            <Select value={chosen} onChange={(_e, d) => setCourseId(d.value)}>
              {reportable.map((c) => <option key={c.id} value={c.id}>{c.title}</option>)}
            </Select>
          </Field>
          <DetailsFields draft={draft} onChange={setDraft} today={training.today} />
          {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
          {notice && <MessageBar intent="success"><MessageBarBody>{notice}</MessageBarBody></MessageBar>}
          <div>
            <Button appearance="primary" disabled={sending || !chosen} onClick={() => void report()}>Send to the office</Button>
          </div>
        </section>
      )}
    </>
  );
}
