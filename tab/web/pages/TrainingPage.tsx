/**
 * The Training page (PRODUCT.md §5; policy §5.3): the whole-staff matrix of people × courses with
 * filters, counts, export, the self-reports waiting for the office, and, for those who keep the records
 * (office staff, the Headteacher, the OSL), recording a session, the MIS import and reminders. DSLs
 * read. A name opens that person's page (also by the deep link `training:person:<id>`); a deep link
 * `training:<course id>` opens the matrix on that course. API: tab/api/routes/training.ts.
 */
import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { Button, MessageBar, MessageBarBody, SearchBox, Select, Spinner, Text, Title3, makeStyles } from '@fluentui/react-components';
import { ROLE_TITLES, type Role } from '../../../core/roles';
import { TRAINING_STATUSES, TRAINING_STATUS_TITLES, countTrainingMatrix, type TrainingStatus } from '../../../core/training';
import type { TrainingMatrixView, TrainingRecordView } from '../../api/view';
import { problemText } from '../api';
import { saveFile } from '../components/download';
import { ReminderStatus, useReminderRun } from '../components/ReminderStatus';
import type { PageProps } from '../Shell';
import { MatrixTable } from '../training/MatrixTable';
import { filterMatrix, rolesHeld, shownCourses, sortMatrix, SORT_TITLES, type TrainingFilter, type TrainingSort } from '../training/matrixRows';
import { PendingPanel } from '../training/PendingPanel';
import { PersonTraining } from '../training/PersonTraining';
import { SessionDialog } from '../training/SessionDialog';
import { TrainingImportPanel } from '../training/TrainingImportPanel';

/** Rows drawn at first, and how many more each "Show more" adds. */
const SLICE = 100;

const useStyles = makeStyles({
  page: { padding: '16px 20px', display: 'flex', flexDirection: 'column', gap: '12px' },
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: '12px', alignItems: 'end' },
  field: { display: 'flex', flexDirection: 'column', gap: '2px', minWidth: '150px' },
  counts: { display: 'flex', flexDirection: 'column', gap: '2px' },
});

/** "person:<id>" opens a person; anything else names a course. */
function readSub(sub: string | undefined): { personId?: string; courseId?: string } {
  if (!sub) return {};
  return sub.startsWith('person:') ? { personId: sub.slice('person:'.length) || undefined } : { courseId: sub };
}

export function TrainingPage({ api, sub }: PageProps) {
  const styles = useStyles();
  const asked = readSub(sub);
  const [view, setView] = useState<TrainingMatrixView | undefined>();
  const [pending, setPending] = useState<TrainingRecordView[]>([]);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [filter, setFilter] = useState<TrainingFilter>(asked.courseId ? { courseId: asked.courseId } : {});
  const [sort, setSort] = useState<TrainingSort>('name');
  const [shown, setShown] = useState(SLICE);
  const [personId, setPersonId] = useState<string | undefined>(asked.personId);
  const [recording, setRecording] = useState(false);
  const [importing, setImporting] = useState(false);
  const [reminder, setReminder] = useReminderRun(useCallback((id: string) => api.trainingReminderProgress(id), [api]));

  const load = useCallback(async () => {
    try {
      const [matrix, waiting] = await Promise.all([api.training(), api.pendingTraining()]);
      setView(matrix);
      setPending(waiting.records);
      setError('');
    } catch (e) {
      setError(problemText(e));
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  const courses = useMemo(() => view?.courses ?? [], [view]);
  const courseTitles = useMemo(() => new Map(courses.map((c) => [c.id, c.title])), [courses]);
  const columns = useMemo(() => (view ? shownCourses(view, filter.courseId) : []), [view, filter.courseId]);
  const roles = useMemo(() => rolesHeld(view?.rows ?? []), [view]);
  // Typing a name stays quick with 300 staff: the rows follow the search box when React has time.
  const search = useDeferredValue(filter.search);
  const { courseId, role, status } = filter;
  const filtered = useMemo(() => (view ? filterMatrix(view.rows, columns, { courseId, role, status, search }) : []), [view, columns, courseId, role, status, search]);
  const rows = useMemo(() => sortMatrix(filtered, columns, sort), [filtered, columns, sort]);
  const counts = useMemo(() => countTrainingMatrix(filtered, courses.length), [filtered, courses.length]);
  const open = useCallback((id: string) => setPersonId(id), []);
  const showMore = useCallback(() => setShown((n) => n + SLICE * 5), []);

  if (error && !view) return <main className={styles.page}><MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar></main>;
  if (!view) return <main className={styles.page}><Spinner label="Loading the training records…" /></main>;
  if (personId) {
    return (
      <main className={styles.page}>
        <PersonTraining api={api} personId={personId} onBack={() => setPersonId(undefined)} onChanged={() => void load()} />
      </main>
    );
  }

  const keeper = view.access === 'keep';
  const chosen = filter.courseId ? courses.find((c) => c.id === filter.courseId) : undefined;
  const set = (patch: Partial<TrainingFilter>) => {
    setFilter((f) => ({ ...f, ...patch }));
    setShown(SLICE);
  };
  const changed = (message: string) => {
    setNotice(message);
    void load();
  };

  const exportCsv = async () => {
    try {
      saveFile(await api.exportTrainingCsv(filter), `training-${view.today}.csv`);
    } catch (e) {
      setError(problemText(e));
    }
  };
  const remind = async () => {
    try {
      setReminder(await api.remindTraining(filter.courseId));
    } catch (e) {
      setError(problemText(e));
    }
  };

  return (
    <main className={styles.page}>
      <Title3 as="h1">Training records</Title3>
      {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
      {notice && <MessageBar intent="success"><MessageBarBody>{notice}</MessageBarBody></MessageBar>}

      <div className={styles.toolbar} role="search">
        <div className={styles.field}>
          <label htmlFor="t-search">Search by name</label>
          <SearchBox id="t-search" value={filter.search ?? ''} onChange={(_e, d) => set({ search: d.value || undefined })} placeholder="Name" />
        </div>
        <div className={styles.field}>
          <label htmlFor="t-role">Role</label>
          <Select id="t-role" value={filter.role ?? ''} onChange={(_e, d) => set({ role: (d.value || undefined) as Role | undefined })}>
            <option value="">Everyone</option>
            {roles.map((r) => <option key={r} value={r}>{ROLE_TITLES[r]}</option>)}
          </Select>
        </div>
        <div className={styles.field}>
          <label htmlFor="t-course">Course</label>
          <Select id="t-course" value={filter.courseId ?? ''} onChange={(_e, d) => set({ courseId: d.value || undefined })}>
            <option value="">All courses</option>
            {courses.map((c) => <option key={c.id} value={c.id}>{c.title}</option>)}
          </Select>
        </div>
        <div className={styles.field}>
          <label htmlFor="t-status">Status</label>
          <Select id="t-status" value={filter.status ?? ''} onChange={(_e, d) => set({ status: (d.value || undefined) as TrainingStatus | undefined })}>
            <option value="">Any status</option>
            {TRAINING_STATUSES.map((s) => <option key={s} value={s}>{TRAINING_STATUS_TITLES[s]}</option>)}
          </Select>
        </div>
        <div className={styles.field}>
          <label htmlFor="t-sort">Sort by</label>
          <Select id="t-sort" value={sort} onChange={(_e, d) => setSort(d.value as TrainingSort)}>
            {(Object.keys(SORT_TITLES) as TrainingSort[]).map((s) => <option key={s} value={s}>{SORT_TITLES[s]}</option>)}
          </Select>
        </div>
        <Button onClick={() => void exportCsv()}>Export CSV</Button>
        {keeper && <Button appearance="primary" onClick={() => setRecording(true)}>Record a session</Button>}
        {keeper && (
          <Button disabled={reminder?.status === 'running'} onClick={() => void remind()} title={`A card from the bot to everyone due soon, overdue or never done for ${chosen ? chosen.title : 'any course'}`}>
            {chosen ? 'Remind everyone due for this course' : 'Remind everyone due (all courses)'}
          </Button>
        )}
        {keeper && <Button onClick={() => setImporting((v) => !v)}>{importing ? 'Close import' : 'Import from the MIS (CSV)'}</Button>}
        <Button appearance="subtle" onClick={() => void load()}>Refresh</Button>
      </div>

      {reminder && <ReminderStatus run={reminder} subject={courseTitles.get(reminder.documentId) ?? 'all courses'} />}
      {importing && keeper && <TrainingImportPanel api={api} onImported={() => void load()} />}
      <PendingPanel api={api} records={pending} keeper={keeper} courseTitles={courseTitles} onOpenPerson={open} onChanged={changed} />

      <div className={styles.counts} id="training-counts" aria-live="polite">
        <Text weight="semibold">{`${rows.length} ${rows.length === 1 ? 'person' : 'people'}`}</Text>
        {columns.map((i) => {
          const n = counts[i];
          return (
            <Text key={courses[i].id} data-course={courses[i].id}>
              {`${courses[i].title}: ${n.current} of ${n.required} current, ${n.dueSoon} due soon, ${n.overdue} overdue, ${n.never} never done${n.awaitingConfirmation ? `, ${n.awaitingConfirmation} awaiting confirmation` : ''}`}
            </Text>
          );
        })}
      </div>

      <MatrixTable
        rows={rows}
        shown={shown}
        onShowMore={showMore}
        columns={columns}
        courses={courses}
        courseTitles={courseTitles}
        sort={sort}
        nobody={view.rows.length === 0 ? 'No staff are on the training records yet.' : 'No one matches these filters.'}
        onOpen={open}
      />

      {keeper && (
        <SessionDialog
          api={api}
          open={recording}
          today={view.today}
          courses={courses}
          rows={view.rows}
          courseId={filter.courseId}
          onRecorded={() => void load()}
          onClose={() => setRecording(false)}
        />
      )}
    </main>
  );
}
