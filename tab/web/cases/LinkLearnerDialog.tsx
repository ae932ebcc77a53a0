/**
 * A learner named in free text on the concern form, linked to the roster (PRODUCT.md §6): the case
 * then joins that child's chronology. The roster is searched by name as the person types.
 */
import { useEffect, useState } from 'react';
import { Field, Radio, RadioGroup, SearchBox, Spinner, Text } from '@fluentui/react-components';
import type { CasePageView, LearnerMatch } from '../../api/view';
import type { TabApi } from '../api';
import { ChangeDialog } from './ChangeDialog';

export interface LinkRequest {
  index: number;
  name: string;
  yearGroup?: string;
}

export function LinkLearnerDialog(props: { api: TabApi; reference: string; request?: LinkRequest; onClose: () => void; onLinked: (view: CasePageView, notice: string) => void }) {
  const { api, request } = props;
  const [q, setQ] = useState('');
  const [matches, setMatches] = useState<LearnerMatch[] | undefined>();
  const [chosen, setChosen] = useState('');

  useEffect(() => {
    setQ(request?.name ?? '');
    setChosen('');
  }, [request]);

  useEffect(() => {
    if (!request) return;
    let live = true;
    setMatches(undefined);
    const t = setTimeout(() => {
      api.learners(q.trim()).then((r) => live && setMatches(r.learners), () => live && setMatches([]));
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [api, q, request]);

  const submit = async () => {
    if (!request) return;
    const learner = matches?.find((m) => m.id === chosen);
    const view = await api.linkLearner(props.reference, request.index, chosen);
    props.onLinked(view, `${request.name || 'The learner'} is linked to ${learner?.name ?? 'the roster'}.`);
  };

  return (
    <ChangeDialog open={!!request} title="Link to the roster" action="Link" onClose={props.onClose} submit={submit}>
      {request && <Text>{`The reporter wrote "${request.name || '(no name)'}"${request.yearGroup ? `, ${request.yearGroup}` : ''}. Find the child in the school's roster:`}</Text>}
      <Field label="Search the roster by name">
        <SearchBox value={q} onChange={(_e, d) => setQ(d.value)} />
      </Field>
      {!matches && <Spinner size="tiny" label="Searching…" />}
      {matches && matches.length === 0 && <Text>No learner in the roster matches.</Text>}
      {matches && matches.length > 0 && (
        <RadioGroup value={chosen} onChange={(_e, d) => setChosen(d.value)} aria-label="Learners in the roster">
          {matches.map((m) => <Radio key={m.id} value={m.id} label={`${m.name}${m.yearGroup ? ` (${m.yearGroup})` : ''}`} />)}
        </RadioGroup>
      )}
    </ChangeDialog>
  );
}
