/**
 * Training records from the MIS (PRODUCT.md §5: "CSV import with a per-row report, preview, then commit
 * with progress, and re-import changes nothing twice"): the file is checked and every row with a problem
 * reported by its number first; the new rows are written only when the office says so, with progress.
 * The columns are those tab/api/trainingImport.ts reads.
 */
import {
  Button,
  MessageBar,
  MessageBarBody,
  ProgressBar,
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
import type { TrainingImportProgress } from '../../api/view';
import type { TabApi } from '../api';
import { useCsvImport } from '../components/csvImport';
import { formatDay } from './matrixRows';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: '8px', maxWidth: '1000px', padding: '8px 12px', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  list: { margin: 0, paddingLeft: '20px' },
});

/** How many problem rows are listed; the counts say how many there are. */
const LISTED = 500;

export function TrainingImportPanel(props: { api: TabApi; onImported: () => void }) {
  const styles = useStyles();
  const { check, progress, result, error, running, choose, start } = useCsvImport({
    check: (csv: string) => props.api.checkTrainingImport(csv),
    run: (csv: string, onLine: (p: TrainingImportProgress) => void) => props.api.runTrainingImport(csv, onLine),
    meaning: (p: TrainingImportProgress) => {
      if (p.stage === 'checked') return { progress: { done: 0, of: p.new } };
      if (p.stage === 'importing') return { progress: { done: p.done, of: p.of } };
      if (p.stage === 'done') return { result: `${p.imported} imported, ${p.alreadyRecorded} already recorded (nothing changed), ${p.refused} ${p.refused === 1 ? 'row' : 'rows'} with problems not imported.` };
      return { error: p.error };
    },
    onImported: props.onImported,
  });

  const problems = check?.rows.filter((r) => r.outcome === 'problem') ?? [];
  return (
    <section className={styles.panel} aria-label="Import training records">
      <Text weight="semibold">Import training records from the MIS (CSV)</Text>
      <Text size={200}>
        The first row names the columns (any order; case and spaces do not matter): <b>email</b> and/or <b>staff code</b> (who), <b>course</b> (its title, id or a name
        the school's setup gives it), <b>date completed</b> (YYYY-MM-DD or DD/MM/YYYY, not in the future); optionally <b>surname</b> and <b>forename</b> or <b>name</b>{' '}
        (shown in the report), <b>provider</b>, <b>hours</b>, and <b>certificate</b> or <b>evidence</b> (a certificate number or a link: never a file). Rows already
        recorded are left as they are, so importing the same file again changes nothing.
      </Text>
      <label htmlFor="training-import-file">CSV file</label>
      <input id="training-import-file" type="file" accept=".csv,text/csv" disabled={running} onChange={(e) => void choose(e.target.files?.[0])} />
      {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
      {check?.fileProblem && <MessageBar intent="error"><MessageBarBody>{check.fileProblem}</MessageBarBody></MessageBar>}
      {check && !check.fileProblem && (
        <>
          <Text id="training-import-summary">
            {`${check.total} rows: ${check.counts.new} new, ${check.counts.alreadyRecorded} already recorded, ${check.counts.problem} with problems (not imported).`}
          </Text>
          {problems.length > 0 && (
            <Table aria-label="Rows with problems" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Row</TableHeaderCell>
                  <TableHeaderCell>Name</TableHeaderCell>
                  <TableHeaderCell>Course</TableHeaderCell>
                  <TableHeaderCell>Date</TableHeaderCell>
                  <TableHeaderCell>What is wrong</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {problems.slice(0, LISTED).map((r) => (
                  <TableRow key={r.row} data-row={r.row}>
                    <TableCell>{r.row}</TableCell>
                    <TableCell>{r.name}</TableCell>
                    <TableCell>{r.course}</TableCell>
                    <TableCell>{formatDay(r.completedOn)}</TableCell>
                    <TableCell>{r.problems.join('; ')}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {problems.length > LISTED && <Text>{`The first ${LISTED} of ${problems.length} rows with problems are listed.`}</Text>}
          {check.unmatched.length > 0 && (
            <div>
              <Text>Not staff here (check their email or staff code on the person's page):</Text>
              <ul className={styles.list} aria-label="People not matched">
                {check.unmatched.map((u) => <li key={u}>{u}</li>)}
              </ul>
            </div>
          )}
          <Button appearance="primary" disabled={running || check.counts.new === 0} onClick={() => void start(check.counts.new)}>{`Import ${check.counts.new} new ${check.counts.new === 1 ? 'row' : 'rows'}`}</Button>
        </>
      )}
      {progress && !result && (
        <div aria-live="polite">
          <Text id="training-import-progress">{`Importing: ${progress.done} of ${progress.of}…`}</Text>
          <ProgressBar value={progress.of ? progress.done / progress.of : 0} />
        </div>
      )}
      {result && <MessageBar intent="success"><MessageBarBody id="training-import-result">{result}</MessageBarBody></MessageBar>}
    </section>
  );
}
