/**
 * The AUP register page (PRODUCT.md §4; policy §7.2 "maintain a record of users who are granted
 * access"): everyone and every Acceptable Use Policy, with filters, counts, export, paper signatures,
 * publishing and reminders for those who keep it. API: tab/api/routes/register.ts.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Button,
  MessageBar,
  MessageBarBody,
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
  type RegisterFilter,
  type RegisterSort,
  type SignatureStatus,
} from '../../../core/aup';
import type { RegisterView } from '../../api/view';
import { saveFile } from '../components/download';
import { ReminderStatus, useReminderRun } from '../components/ReminderStatus';
import { SignatureBadge } from '../components/SignatureBadge';
import { ImportPanel } from '../register/ImportPanel';
import { PaperDialog, type PaperRequest } from '../register/PaperDialog';
import { PublishDialog, type Published } from '../register/PublishDialog';
import type { PageProps } from '../Shell';

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

export function RegisterPage({ api, sub }: PageProps) {
  const styles = useStyles();
  const [view, setView] = useState<RegisterView | undefined>();
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  // A deep link to "register:<document id>" opens the register on that document.
  const [filter, setFilter] = useState<RegisterFilter>(sub ? { documentId: sub } : {});
  const [sort, setSort] = useState<{ by: RegisterSort; descending: boolean }>({ by: 'name', descending: false });
  const [shown, setShown] = useState(PAGE);
  const [paper, setPaper] = useState<PaperRequest | undefined>();
  const [reminder, setReminder] = useReminderRun(useCallback((id: string) => api.reminderProgress(id), [api]));
  const [importing, setImporting] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [published, setPublished] = useState<Published | undefined>();

  const load = useCallback(async () => {
    try {
      setView(await api.register());
      setError('');
    } catch (e) {
      setError((e as Error).message);
    }
  }, [api]);
  useEffect(() => void load(), [load]);

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
  const fromWhere = view.directory === 'demo' ? 'the demo directory' : 'Microsoft 365';

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
      saveFile(blob, `aup-register-${new Date().toISOString().slice(0, 10)}.csv`);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const remind = async (documentId: string) => {
    try {
      setReminder(await api.remind(documentId));
      setPublished(undefined);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const syncStaff = async () => {
    try {
      const r = await api.syncStaff();
      const learners = 'unavailable' in r.learners ? ` ${r.learners.unavailable}` : ` Learners: ${r.learners.added} added, ${r.learners.left} left.`;
      setNotice(`Staff updated from ${r.source === 'demo' ? 'the demo directory (local mode, not Microsoft 365)' : 'Microsoft 365'}: ${r.added} added, ${r.left} left.${r.stale ? ' Microsoft 365 could not be reached; the last list was used.' : ''}${learners}`);
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const afterPublish = (p?: Published) => {
    setPublishing(false);
    if (!p) return;
    setNotice(`Published ${p.title}, version ${p.version}.${p.version > 1 ? ' Everyone it applies to is asked to sign again.' : ''}`);
    setPublished(p.signedInTeams ? p : undefined);
    set({ documentId: p.documentId, status: undefined });
    void load();
  };

  return (
    <main className={styles.page}>
      <Title3 as="h1">Acceptable Use Policy register</Title3>
      {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
      {notice && <MessageBar intent="success"><MessageBarBody>{notice}</MessageBarBody></MessageBar>}
      {published && (
        <MessageBar intent="info">
          <MessageBarBody>
            {`${published.title} is signed in Teams. Send its card to everyone who has not signed version ${published.version}?`}{' '}
            <Button size="small" appearance="primary" onClick={() => void remind(published.documentId)}>Remind everyone who must sign</Button>{' '}
            <Button size="small" appearance="transparent" onClick={() => setPublished(undefined)}>Not now</Button>
          </MessageBarBody>
        </MessageBar>
      )}
      {documents.length === 0 && <MessageBar intent="info"><MessageBarBody>No Acceptable Use Policy has been published yet.{keeper ? ' Publish one to start the register.' : ''}</MessageBarBody></MessageBar>}

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
          <Button appearance="primary" disabled={reminder?.status === 'running'} onClick={() => void remind(chosenDoc.id)}>
            Remind everyone unsigned
          </Button>
        )}
        {keeper && <Button onClick={() => setPublishing(true)}>Publish a policy</Button>}
        {keeper && <Button onClick={() => void syncStaff()}>{`Update staff from ${fromWhere}`}</Button>}
        {keeper && <Button onClick={() => setImporting((v) => !v)}>{importing ? 'Close import' : 'Import people (CSV)'}</Button>}
        <Button appearance="subtle" onClick={() => void load()}>Refresh</Button>
      </div>

      {reminder && <ReminderStatus run={reminder} subject={documents.find((d) => d.id === reminder.documentId)?.title ?? reminder.documentId} />}

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
          {rows.length === 0 && (
            <TableRow>
              <TableCell colSpan={3 + columns.length}>
                <Text id="register-empty">{view.rows.length === 0 ? 'Nobody is in the register yet.' : 'No one matches these filters.'}</Text>
              </TableCell>
            </TableRow>
          )}
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
                        <SignatureBadge cell={cell} />
                        {keeper && cell.status !== 'current' && (
                          <Button size="small" appearance="transparent" onClick={() => setPaper({ row: r, document: documents[i] })}>Record paper signature</Button>
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

      <PaperDialog
        api={api}
        request={paper}
        onClose={(saved) => {
          setPaper(undefined);
          if (saved) {
            setNotice(`Paper signature recorded for ${saved.row.person.displayName}.`);
            void load();
          }
        }}
      />
      {keeper && <PublishDialog api={api} open={publishing} documents={documents} onClose={afterPublish} />}
    </main>
  );
}
