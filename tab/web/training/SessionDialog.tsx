/**
 * Recording one session for everyone who came (PRODUCT.md §5: "the September INSET: one course, one
 * date, tick eighty people"): the course and its details, then the people, ticked from a searchable list
 * or pasted from the sign-in sheet and matched by the server (matched, ambiguous: the office chooses,
 * or not found), then one POST and a result per person. Kept mounted and opened by `open`.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  MessageBar,
  MessageBarBody,
  SearchBox,
  Select,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { TRAINING_STATUS_TITLES } from '../../../core/training';
import type { CourseView, NameMatchView, SessionResultView } from '../../api/view';
import { problemText, type TabApi } from '../api';
import { DetailsFields, detailsOf, emptyDraft, type DetailsDraft } from './DetailsFields';
import type { MatrixRow } from './matrixRows';

const useStyles = makeStyles({
  surface: { width: '90vw', maxWidth: '900px' },
  form: { display: 'flex', flexDirection: 'column', gap: '10px' },
  row: { display: 'flex', flexWrap: 'wrap', gap: '8px', alignItems: 'end' },
  list: { maxHeight: '38vh', overflowY: 'auto', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: '4px 8px' },
  person: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: '8px', minHeight: '28px' },
  // Plain checkboxes: three hundred Fluent ones took over a second to draw on a small machine.
  tick: { display: 'flex', alignItems: 'center', gap: '8px', cursor: 'pointer', '& input': { width: '16px', height: '16px', margin: 0, accentColor: tokens.colorBrandBackground } },
  muted: { color: tokens.colorNeutralForeground3 },
});

export function SessionDialog(props: {
  api: TabApi;
  open: boolean;
  today: string;
  courses: CourseView[];
  rows: readonly MatrixRow[];
  /** The course the matrix is filtered on, if any: the likeliest. */
  courseId?: string;
  onRecorded: () => void;
  onClose: () => void;
}) {
  const styles = useStyles();
  const { api, open, rows } = props;
  const [courseId, setCourseId] = useState('');
  const [draft, setDraft] = useState<DetailsDraft>(emptyDraft());
  const [mode, setMode] = useState<'tick' | 'paste'>('tick');
  const [search, setSearch] = useState('');
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const [pasted, setPasted] = useState('');
  const [matches, setMatches] = useState<NameMatchView[] | undefined>();
  const [chosen, setChosen] = useState<ReadonlyMap<number, string>>(new Map());
  const [result, setResult] = useState<SessionResultView | undefined>();
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!open) return;
    setCourseId(props.courseId ?? props.courses[0]?.id ?? '');
    setDraft(emptyDraft(props.today));
    setMode('tick');
    setSearch('');
    setTicked(new Set());
    setPasted('');
    setMatches(undefined);
    setChosen(new Map());
    setResult(undefined);
    setError('');
    setSaving(false);
    // Only on opening: the matrix reloading behind the dialog must not clear what was ticked.
  }, [open]);

  const courseIndex = props.courses.findIndex((c) => c.id === courseId);
  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return needle ? rows.filter((r) => r.person.name.toLowerCase().includes(needle)) : rows;
  }, [rows, search]);
  const names = useMemo(() => new Map(rows.map((r) => [r.person.id, r.person.name])), [rows]);

  const tick = (ids: string[], on: boolean) =>
    setTicked((before) => {
      const next = new Set(before);
      for (const id of ids) (on ? next.add(id) : next.delete(id));
      return next;
    });

  const match = async () => {
    setError('');
    try {
      const { lines } = await api.matchNames(pasted);
      setMatches(lines);
      setChosen(new Map());
      tick(lines.flatMap((l) => (l.outcome === 'matched' ? [l.personId] : [])), true);
    } catch (e) {
      setError(problemText(e));
    }
  };
  /** An ambiguous line resolved: the one chosen is ticked, in place of whoever was chosen for that line before. */
  const choose = (line: number, personId: string) => {
    const before = chosen.get(line);
    if (before && before !== personId) tick([before], false);
    if (personId) tick([personId], true);
    setChosen((m) => new Map(m).set(line, personId));
  };

  const record = async () => {
    const details = detailsOf(draft, props.today);
    if ('problem' in details) return setError(details.problem);
    setSaving(true);
    setError('');
    try {
      setResult(await api.recordSession({ courseId, personIds: [...ticked], ...details }));
      props.onRecorded();
    } catch (e) {
      setError(problemText(e));
    }
    setSaving(false);
  };

  const matched = matches?.filter((m) => m.outcome === 'matched').length ?? 0;
  const ambiguous = (matches ?? []).flatMap((m, i) => (m.outcome === 'ambiguous' ? [{ m, i }] : []));
  const notFound = matches?.filter((m) => m.outcome === 'notFound') ?? [];

  return (
    <Dialog open={open} onOpenChange={(_e, d) => !d.open && props.onClose()}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>Record a session</DialogTitle>
          <DialogContent className={styles.form}>
            {result ? (
              <>
                <Text id="session-result" weight="semibold">{`${result.recorded} recorded, ${result.alreadyRecorded} already recorded.`}</Text>
                <Table aria-label="Result per person" size="small">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>Name</TableHeaderCell>
                      <TableHeaderCell>Result</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {result.results.map((r) => (
                      <TableRow key={r.personId} data-person={r.personId}>
                        <TableCell>{r.name}</TableCell>
                        <TableCell>{r.outcome === 'recorded' ? 'Recorded' : r.outcome === 'alreadyRecorded' ? 'Already recorded: nothing changed' : 'Not on the staff list'}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </>
            ) : (
              <>
                <Field label="Course" required>
                  <Select value={courseId} onChange={(_e, d) => setCourseId(d.value)}>
                    {props.courses.map((c) => <option key={c.id} value={c.id}>{c.title}</option>)}
                  </Select>
                </Field>
                <DetailsFields draft={draft} onChange={setDraft} today={props.today} dateLabel="Date of the session" />
                <TabList selectedValue={mode} onTabSelect={(_e, d) => setMode(d.value as 'tick' | 'paste')} aria-label="How to choose who came">
                  <Tab value="tick">Tick who came</Tab>
                  <Tab value="paste">Paste a list of names</Tab>
                </TabList>
                {mode === 'tick' ? (
                  <>
                    <div className={styles.row}>
                      <Field label="Find people">
                        <SearchBox value={search} onChange={(_e, d) => setSearch(d.value)} placeholder="Name" />
                      </Field>
                      <Button onClick={() => tick(shown.map((r) => r.person.id), true)}>{`Tick all shown (${shown.length})`}</Button>
                      <Button onClick={() => tick(shown.map((r) => r.person.id), false)}>Untick all shown</Button>
                    </div>
                    <div className={styles.list} role="group" aria-label="People who came">
                      {shown.length === 0 && <Text>No one by that name.</Text>}
                      {shown.map((r) => (
                        <div key={r.person.id} className={styles.person}>
                          <label className={styles.tick}>
                            <input type="checkbox" checked={ticked.has(r.person.id)} onChange={(e) => tick([r.person.id], e.currentTarget.checked)} />
                            {r.person.name}
                          </label>
                          {courseIndex >= 0 && <Text size={200} className={styles.muted}>{TRAINING_STATUS_TITLES[r.cells[courseIndex].status]}</Text>}
                        </div>
                      ))}
                    </div>
                  </>
                ) : (
                  <>
                    <Field label="Names or emails, one a line" hint="As on the sign-in sheet: “Sam Taylor”, “Taylor, Sam” or an email.">
                      <Textarea value={pasted} onChange={(_e, d) => setPasted(d.value)} rows={6} resize="vertical" />
                    </Field>
                    <div className={styles.row}>
                      <Button onClick={() => void match()} disabled={!pasted.trim()}>Match names</Button>
                    </div>
                    {matches && (
                      <div aria-live="polite" id="session-matches" className={styles.form}>
                        <Text>{`${matched} matched and ticked, ${ambiguous.length} to choose, ${notFound.length} not found.`}</Text>
                        {ambiguous.map(({ m, i }) => (
                          <Field key={`${i}-${m.line}`} label={`Who is “${m.line}”?`}>
                            <Select value={chosen.get(i) ?? ''} onChange={(_e, d) => choose(i, d.value)}>
                              <option value="">Choose…</option>
                              {m.candidates.map((c) => <option key={c.personId} value={c.personId}>{c.displayName}</option>)}
                            </Select>
                          </Field>
                        ))}
                        {notFound.length > 0 && (
                          <MessageBar intent="warning"><MessageBarBody>{`Not found (tick them by hand if they are staff here): ${notFound.map((m) => m.line).join('; ')}`}</MessageBarBody></MessageBar>
                        )}
                      </div>
                    )}
                  </>
                )}
                <Text id="session-ticked">{ticked.size === 0 ? 'No one ticked yet.' : `${ticked.size} ticked: ${[...ticked].slice(0, 8).map((id) => names.get(id) ?? id).join(', ')}${ticked.size > 8 ? ` and ${ticked.size - 8} more` : ''}.`}</Text>
              </>
            )}
            {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
          </DialogContent>
          <DialogActions>
            <Button onClick={props.onClose}>{result ? 'Close' : 'Cancel'}</Button>
            {!result && (
              <Button appearance="primary" disabled={saving || ticked.size === 0 || !courseId} onClick={() => void record()}>
                {`Record for ${ticked.size} ${ticked.size === 1 ? 'person' : 'people'}`}
              </Button>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
