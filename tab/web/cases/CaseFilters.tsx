/**
 * The case list's filters (PRODUCT.md §6): status, category, phase, year group, who has it, what is
 * overdue, the days raised, and a search by reference or learner's name. Each change asks the server
 * again from the first page; the choices come from the list's own answer.
 */
import { Input, SearchBox, Select, makeStyles, mergeClasses } from '@fluentui/react-components';
import type { CaseListQuery, CaseListView } from '../../api/view';
import { STATUS_TITLES } from './format';

const useStyles = makeStyles({
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: '12px', alignItems: 'end' },
  field: { display: 'flex', flexDirection: 'column', gap: '2px', minWidth: '140px', maxWidth: '280px' },
  search: { minWidth: '260px' },
});

const OVERDUE: Record<NonNullable<CaseListQuery['overdue']>, string> = {
  nextStep: 'Next step overdue',
  acknowledgement: 'Not acknowledged in time',
  any: 'Either',
};

export function CaseFilters(props: { view: CaseListView; query: CaseListQuery; onQuery: (q: CaseListQuery) => void; fixedCategory?: string }) {
  const styles = useStyles();
  const { view, query } = props;
  // Any filter change starts again at the first page.
  const set = (patch: Partial<CaseListQuery>) => props.onQuery({ ...query, ...patch, offset: 0 });
  const value = (v: string) => v || undefined;
  return (
    <div className={styles.toolbar} role="search" aria-label="Filter the cases">
      <div className={mergeClasses(styles.field, styles.search)}>
        <label htmlFor="cases-q">Search by reference or learner</label>
        <SearchBox id="cases-q" value={query.q ?? ''} onChange={(_e, d) => set({ q: value(d.value) })} placeholder="SMP-2026-0001 or a name" />
      </div>
      <div className={styles.field}>
        <label htmlFor="cases-status">Status</label>
        <Select id="cases-status" value={query.status ?? ''} onChange={(_e, d) => set({ status: value(d.value) as CaseListQuery['status'] })}>
          <option value="">Any status</option>
          <option value="notClosed">Not closed</option>
          {(Object.keys(STATUS_TITLES) as (keyof typeof STATUS_TITLES)[]).map((s) => <option key={s} value={s}>{STATUS_TITLES[s]}</option>)}
        </Select>
      </div>
      {!props.fixedCategory && (
        <div className={styles.field}>
          <label htmlFor="cases-category">Category</label>
          <Select id="cases-category" value={query.category ?? ''} onChange={(_e, d) => set({ category: value(d.value) })}>
            <option value="">All categories</option>
            {view.categories.map((c) => <option key={c.id} value={c.id}>{c.title}</option>)}
          </Select>
        </div>
      )}
      {!props.fixedCategory && (
        <>
          <div className={styles.field}>
            <label htmlFor="cases-phase">Phase</label>
            <Select id="cases-phase" value={query.phase ?? ''} onChange={(_e, d) => set({ phase: value(d.value) })}>
              <option value="">All phases</option>
              {view.phases.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </Select>
          </div>
          <div className={styles.field}>
            <label htmlFor="cases-year">Year group</label>
            <Select id="cases-year" value={query.yearGroup ?? ''} onChange={(_e, d) => set({ yearGroup: value(d.value) })}>
              <option value="">All year groups</option>
              {view.yearGroups.map((y) => <option key={y} value={y}>{y}</option>)}
            </Select>
          </div>
        </>
      )}
      <div className={styles.field}>
        <label htmlFor="cases-owner">With</label>
        <Select id="cases-owner" value={query.owner ?? ''} onChange={(_e, d) => set({ owner: value(d.value) })}>
          <option value="">Anyone</option>
          {view.owners.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </Select>
      </div>
      <div className={styles.field}>
        <label htmlFor="cases-overdue">Overdue</label>
        <Select id="cases-overdue" value={query.overdue ?? ''} onChange={(_e, d) => set({ overdue: value(d.value) as CaseListQuery['overdue'] })}>
          <option value="">Overdue or not</option>
          {(Object.keys(OVERDUE) as (keyof typeof OVERDUE)[]).map((o) => <option key={o} value={o}>{OVERDUE[o]}</option>)}
        </Select>
      </div>
      <div className={styles.field}>
        <label htmlFor="cases-from">Raised from</label>
        <Input id="cases-from" type="date" value={query.from ?? ''} max={query.to} onChange={(_e, d) => set({ from: value(d.value) })} />
      </div>
      <div className={styles.field}>
        <label htmlFor="cases-to">Raised to</label>
        <Input id="cases-to" type="date" value={query.to ?? ''} min={query.from} onChange={(_e, d) => set({ to: value(d.value) })} />
      </div>
    </div>
  );
}
