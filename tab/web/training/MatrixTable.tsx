/**
 * The matrix itself: a row per person, a column per course shown, each cell the status in words with
 * when it is due or was done, and "awaiting confirmation" when a self-report waits. Rows are drawn in
 * slices ("Show more") and each row only when it changes, so 300 staff × 10 courses stays quick.
 */
import { memo } from 'react';
import { Button, Link, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { CourseView } from '../../api/view';
import { TrainingBadge } from '../components/TrainingBadge';
import { cellDetail, cellTitle, type MatrixRow, type TrainingSort } from './matrixRows';

const useStyles = makeStyles({
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  cell: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: '2px', paddingTop: '2px', paddingBottom: '2px' },
  detail: { color: tokens.colorNeutralForeground2 },
  waiting: { color: tokens.colorPaletteMarigoldForeground2 },
  name: { minWidth: '160px' },
});

const MatrixLine = memo(function MatrixLine(props: { row: MatrixRow; columns: readonly number[]; courses: readonly CourseView[]; courseTitles: ReadonlyMap<string, string>; onOpen: (personId: string) => void }) {
  const styles = useStyles();
  const { row } = props;
  return (
    <TableRow data-person={row.person.id}>
      <TableCell className={styles.name}>
        <Link onClick={() => props.onOpen(row.person.id)}>{row.person.name}</Link>
      </TableCell>
      {props.columns.map((i) => {
        const c = row.cells[i];
        const detail = cellDetail(c);
        return (
          <TableCell key={props.courses[i].id} data-course={props.courses[i].id} data-status={c.status} title={cellTitle(c, props.courseTitles)}>
            <span className={styles.cell}>
              <TrainingBadge status={c.status} />
              {detail && <Text size={200} className={styles.detail}>{detail}</Text>}
              {c.awaitingConfirmation && <Text size={200} className={styles.waiting}>Awaiting confirmation</Text>}
            </span>
          </TableCell>
        );
      })}
    </TableRow>
  );
});

export function MatrixTable(props: {
  rows: readonly MatrixRow[];
  /** How many rows are drawn. */
  shown: number;
  onShowMore: () => void;
  columns: readonly number[];
  courses: readonly CourseView[];
  courseTitles: ReadonlyMap<string, string>;
  sort: TrainingSort;
  nobody: string;
  onOpen: (personId: string) => void;
}) {
  const styles = useStyles();
  const { rows, columns, courses } = props;
  return (
    <>
      <Table className={styles.table} aria-label="Training matrix" size="small">
        <TableHeader>
          <TableRow>
            <TableHeaderCell aria-sort={props.sort === 'name' ? 'ascending' : props.sort === 'nameDescending' ? 'descending' : 'none'}>Name</TableHeaderCell>
            {columns.map((i) => (
              <TableHeaderCell key={courses[i].id} title={`${courses[i].policy}; ${courses[i].renewal}; for ${courses[i].audience}`}>{courses[i].title}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.length === 0 && (
            <TableRow>
              <TableCell colSpan={1 + columns.length}>
                <Text id="training-empty">{props.nobody}</Text>
              </TableCell>
            </TableRow>
          )}
          {rows.slice(0, props.shown).map((r) => (
            <MatrixLine key={r.person.id} row={r} columns={columns} courses={courses} courseTitles={props.courseTitles} onOpen={props.onOpen} />
          ))}
        </TableBody>
      </Table>
      {rows.length > props.shown && <Button onClick={props.onShowMore}>{`Show more (${rows.length - props.shown} more)`}</Button>}
    </>
  );
}
