import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Input,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  SearchBox,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  PERSON_KINDS,
  PERSON_KIND_TITLES,
  STATUS_TITLES,
  countRegister,
  filterRegister,
  sortRegister,
  type PersonKind,
  type RegisterCell,
  type RegisterFilter,
  type RegisterRow,
  type RegisterSort,
  type SignatureStatus,
} from '../../core/aup';
import type { RegisterView, ReminderProgress } from '../api/view';
import { ApiError, type TabApi } from './api';
import { ImportPanel } from './Import';

const PAGE = 100;

const useStyles = makeStyles({
  page: { padding: '16px 20px', display: 'flex', flexDirection: 'column', gap: '12px' },
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: '12px', alignItems: 'end' },
  field: { display: 'flex', flexDirection: 'column', gap: '2px', minWidth: '150px' },
  counts: { display: 'flex', flexWrap: 'wrap', gap: '16px' },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  cell: { display: 'flex', alignItems: 'center', gap: '6px', flexWrap: 'wrap' },
  sort: { cursor: 'pointer' },
});

const STATUS_COLOR: Record<SignatureStatus, 'success' | 'warning' | 'danger'> = { current: 'success', older: 'warning', never: 'danger' };
const STATUS_SHORT: Record<SignatureStatus, string> = { current: 'Signed', older: 'Older version', never: 'Not signed' };

function formatDate(iso?: string): string {
  return iso ? new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }) : '';
}

function StatusBadge({ cell }: { cell: RegisterCell }) {
  const detail = cell.signedVersion ? ` v${cell.signedVersion}, ${formatDate(cell.signedAt)}${cell.channel === 'paper' ? ' (paper)' : ''}` : '';
  return (
    <Badge appearance="tint" color={STATUS_COLOR[cell.status]} title={`${STATUS_TITLES[cell.status]}${detail}`} data-status={cell.status}>
      {STATUS_SHORT[cell.status]}
      {cell.signedVersion ? ` v${cell.signedVersion}` : ''}
    </Badge>
  );
}

export function RegisterPage({ api }: { api: TabApi }) {
  const styles = useStyles();
  const [view, setView] = useState<RegisterView | undefined>();
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [filter, setFilter] = useState<RegisterFilter>({});
  const [sort, setSort] = useState<{ by: RegisterSort; descending: boolean }>({ by: 'name', descending: false });
  const [shown, setShown] = useState(PAGE);
  const [paper, setPaper] = useState<{ row: RegisterRow; docIndex: number } | undefined>();
  const [reminder, setReminder] = useState<ReminderProgress | undefined>();
  const [importing, setImporting] = useState(false);

  const load = useCallback(async () => {
    try {
      setView(await api.register());
      setError('');
    } catch (e) {
      setError((e as Error).message);
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  useEffect(() => {
    if (!reminder || reminder.status === 'done') return;
    const t = setTimeout(() => void api.reminderProgress(reminder.id).then(setReminder, () => undefined), 1000);
    return () => clearTimeout(t);
  }, [api, reminder]);

  const documents = view?.documents ?? [];
  const docIndex = filter.documentId ? documents.findIndex((d) => d.id === filter.documentId) : -1;
  const rows = useMemo(() => {
    if (!view) return [];
    return sortRegister(filterRegister(view.rows, view.documents, filter), sort.by, sort.descending, docIndex);
  }, [view, filter, sort, docIndex]);
  const counts = useMemo(() => countRegister(rows, documents.length), [rows, documents.length]);

  if (error && !view) return <div className={styles.page}><MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar></div>;
  if (!view) return <div className={styles.page}><Spinner label="Loading the register…" /></div>;

  const keeper = view.access === 'keep';
  if (view.access === 'own') return <OwnSignatures view={view} />;

  const columns = docIndex >= 0 ? [docIndex] : documents.map((_, i) => i);
  const set = (patch: Partial<RegisterFilter>) => {
    setFilter((f) => ({ ...f, ...patch }));
    setShown(PAGE);
  };
  const sortBy = (by: RegisterSort) => setSort((s) => ({ by, descending: s.by === by ? !s.descending : false }));
  const arrow = (by: RegisterSort) => (sort.by === by ? (sort.descending ? ' ▼' : ' ▲') : '');
  const totals = (i: number) => counts[i] ?? { current: 0, older: 0, never: 0 };
  const chosenDoc = docIndex >= 0 ? documents[docIndex] : undefined;

  const exportCsv = async () => {
    try {
      const blob = await api.exportCsv({ ...(filter as Record<string, string>), sort: sort.by, descending: String(sort.descending) });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `aup-register-${new Date().toISOString().slice(0, 10)}.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const remind = async () => {
    if (!chosenDoc) return;
    try {
      setReminder(await api.remind(chosenDoc.id));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const syncStaff = async () => {
    try {
      const r = await api.syncStaff();
      setNotice(`Staff updated from Microsoft 365: ${r.added} added, ${r.left} left.${r.stale ? ' Microsoft 365 could not be reached; the last list was used.' : ''}`);
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <main className={styles.page}>
      <Title3 as="h1">Acceptable Use Policy register</Title3>
      {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
      {notice && <MessageBar intent="success"><MessageBarBody>{notice}</MessageBarBody></MessageBar>}
      {documents.length === 0 && <MessageBar intent="info"><MessageBarBody>No Acceptable Use Policy has been published yet.</MessageBarBody></MessageBar>}

      <div className={styles.toolbar} role="search">
        <div className={styles.field}>
          <label htmlFor="f-search">Search by name</label>
          <SearchBox id="f-search" value={filter.search ?? ''} onChange={(_e, d) => set({ search: d.value || undefined })} placeholder="Name" />
        </div>
        <div className={styles.field}>
          <label htmlFor="f-kind">Role</label>
          <Select id="f-kind" value={filter.kind ?? ''} onChange={(_e, d) => set({ kind: (d.value || undefined) as PersonKind | undefined })}>
            <option value="">Everyone</option>
            {PERSON_KINDS.map((k) => <option key={k} value={k}>{PERSON_KIND_TITLES[k]}</option>)}
          </Select>
        </div>
        <div className={styles.field}>
          <label htmlFor="f-year">Year group</label>
          <Select id="f-year" value={filter.yearGroup ?? ''} onChange={(_e, d) => set({ yearGroup: d.value || undefined })}>
            <option value="">All year groups</option>
            {view.yearGroups.map((y) => <option key={y} value={y}>{y}</option>)}
          </Select>
        </div>
        <div className={styles.field}>
          <label htmlFor="f-doc">Document</label>
          <Select id="f-doc" value={filter.documentId ?? ''} onChange={(_e, d) => set({ documentId: d.value || undefined })}>
            <option value="">All documents</option>
            {documents.map((d) => <option key={d.id} value={d.id}>{`${d.title} (v${d.version})`}</option>)}
          </Select>
        </div>
        <div className={styles.field}>
          <label htmlFor="f-status">Status</label>
          <Select id="f-status" value={filter.status ?? ''} onChange={(_e, d) => set({ status: (d.value || undefined) as SignatureStatus | undefined })}>
            <option value="">Any status</option>
            {(['current', 'older', 'never'] as const).map((s) => <option key={s} value={s}>{STATUS_TITLES[s]}</option>)}
          </Select>
        </div>
        <Button onClick={() => void exportCsv()}>Export CSV</Button>
        {keeper && chosenDoc?.signedInTeams && (
          <Button appearance="primary" disabled={reminder?.status === 'running'} onClick={() => void remind()}>
            Remind everyone unsigned
          </Button>
        )}
        {keeper && <Button onClick={() => void syncStaff()}>Update staff from Microsoft 365</Button>}
        {keeper && <Button onClick={() => setImporting((v) => !v)}>{importing ? 'Close import' : 'Import people (CSV)'}</Button>}
        <Button appearance="subtle" onClick={() => void load()}>Refresh</Button>
      </div>

      {reminder && (
        <div aria-live="polite">
          <Text>{`Reminders for ${documents.find((d) => d.id === reminder.documentId)?.title ?? reminder.documentId}: ${reminder.sent} of ${reminder.total} sent${reminder.failed ? `, ${reminder.failed} could not be delivered` : ''}${reminder.status === 'done' ? '. Done.' : '…'}`}</Text>
          <ProgressBar value={reminder.total ? (reminder.sent + reminder.failed) / reminder.total : 1} />
        </div>
      )}

      {importing && keeper && <ImportPanel api={api} onImported={() => void load()} />}

      <div className={styles.counts} id="register-counts" aria-live="polite">
        <Text weight="semibold">{`${rows.length} ${rows.length === 1 ? 'person' : 'people'}`}</Text>
        {columns.map((i) => (
          <Text key={documents[i].id} data-document={documents[i].id}>
            {`${documents[i].title}: ${totals(i).current} signed, ${totals(i).older} older version, ${totals(i).never} never`}
          </Text>
        ))}
      </div>

      <Table className={styles.table} aria-label="AUP register" size="small">
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.sort} onClick={() => sortBy('name')} aria-sort={sort.by === 'name' ? (sort.descending ? 'descending' : 'ascending') : 'none'}>{`Name${arrow('name')}`}</TableHeaderCell>
            <TableHeaderCell className={styles.sort} onClick={() => sortBy('kind')}>{`Role${arrow('kind')}`}</TableHeaderCell>
            <TableHeaderCell className={styles.sort} onClick={() => sortBy('yearGroup')}>{`Year group${arrow('yearGroup')}`}</TableHeaderCell>
            {columns.map((i) => (
              <TableHeaderCell key={documents[i].id} className={styles.sort} onClick={() => sortBy('status')}>{`${documents[i].title} (v${documents[i].version})${columns.length === 1 ? arrow('status') : ''}`}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.slice(0, shown).map((r) => (
            <TableRow key={r.person.id} data-person={r.person.id}>
              <TableCell>{r.person.displayName}</TableCell>
              <TableCell>{PERSON_KIND_TITLES[r.person.kind]}</TableCell>
              <TableCell>{r.person.yearGroup ?? ''}</TableCell>
              {columns.map((i) => {
                const cell = r.cells[i];
                return (
                  <TableCell key={documents[i].id} data-document={documents[i].id}>
                    {cell ? (
                      <span className={styles.cell}>
                        <StatusBadge cell={cell} />
                        {keeper && cell.status !== 'current' && (
                          <Button size="small" appearance="transparent" onClick={() => setPaper({ row: r, docIndex: i })}>Record paper signature</Button>
                        )}
                      </span>
                    ) : (
                      <Text size={200} aria-label="Does not apply">—</Text>
                    )}
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {rows.length > shown && (
        <Button onClick={() => setShown((n) => n + PAGE * 5)}>{`Show more (${rows.length - shown} more)`}</Button>
      )}

      {paper && (
        <PaperDialog
          api={api}
          row={paper.row}
          document={documents[paper.docIndex]}
          onClose={(saved) => {
            setPaper(undefined);
            if (saved) {
              setNotice(`Paper signature recorded for ${paper.row.person.displayName}.`);
              void load();
            }
          }}
        />
      )}
    </main>
  );
}

function PaperDialog(props: { api: TabApi; row: RegisterRow; document: RegisterView['documents'][number]; onClose: (saved: boolean) => void }) {
  const [signedOn, setSignedOn] = useState(new Date().toISOString().slice(0, 10));
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    try {
      await props.api.recordPaper({ personId: props.row.person.id, documentId: props.document.id, signedOn });
      props.onClose(true);
    } catch (e) {
      setError(e instanceof ApiError && e.details.length ? e.details.join(' ') : (e as Error).message);
      setSaving(false);
    }
  };
  return (
    <Dialog open onOpenChange={(_e, d) => !d.open && props.onClose(false)}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Record a paper signature</DialogTitle>
          <DialogContent>
            <p>{`${props.row.person.displayName} signed ${props.document.title}, version ${props.document.version}, on paper.`}</p>
            <label htmlFor="signed-on">Date signed</label>
            <Input id="signed-on" type="date" value={signedOn} max={new Date().toISOString().slice(0, 10)} onChange={(_e, d) => setSignedOn(d.value)} />
            {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
          </DialogContent>
          <DialogActions>
            <Button onClick={() => props.onClose(false)}>Cancel</Button>
            <Button appearance="primary" disabled={saving || !signedOn} onClick={() => void save()}>Record signature</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

function OwnSignatures({ view }: { view: RegisterView }) {
  const styles = useStyles();
  const row = view.rows[0];
  const mine = row ? view.documents.map((d, i) => ({ d, cell: row.cells[i] })).filter((x) => x.cell) : [];
  return (
    <main className={styles.page}>
      <Title3 as="h1">Your Acceptable Use Policies</Title3>
      {mine.length === 0 && <Text>There is nothing for you to sign at the moment.</Text>}
      {mine.length > 0 && (
        <Table aria-label="Your signatures" className={styles.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Document</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {mine.map(({ d, cell }) => (
              <TableRow key={d.id}>
                <TableCell>{`${d.title} (version ${d.version})`}</TableCell>
                <TableCell>
                  <StatusBadge cell={cell!} /> {cell!.status !== 'current' && (d.signedInTeams ? 'Sign it from the card the bot sends you in chat.' : 'Please sign it with the school office.')}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </main>
  );
}
