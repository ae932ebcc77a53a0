/**
 * One learner on the concern form, as the chat's card asks: found on the school's list by name (the
 * roster), or else their name and year group typed in; the year group alone when the name is not known.
 */
import { useEffect, useRef, useState } from 'react';
import { Combobox, Field, Input, Option, Select, makeStyles } from '@fluentui/react-components';
import type { LearnerMatch } from '../../api/view';
import type { TabApi } from '../api';

const useStyles = makeStyles({
  row: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))', gap: '8px', alignItems: 'end' },
});

export interface LearnerDraft {
  pick: string;
  pickTitle: string;
  name: string;
  year: string;
}

export const emptyLearner = (): LearnerDraft => ({ pick: '', pickTitle: '', name: '', year: '' });

const title = (l: LearnerMatch) => (l.yearGroup ? `${l.name} (${l.yearGroup})` : l.name);

export function LearnerRow(props: { api: TabApi; index: number; value: LearnerDraft; yearGroups: { value: string; title: string }[]; nameMax: number; onChange: (v: LearnerDraft) => void }) {
  const styles = useStyles();
  const { value, index } = props;
  const [query, setQuery] = useState(value.pickTitle);
  const [found, setFound] = useState<LearnerMatch[]>([]);
  const [open, setOpen] = useState(false);
  const asked = useRef(0);

  useEffect(() => setQuery(value.pickTitle), [value.pickTitle]);
  useEffect(() => {
    const q = query.trim();
    if (!q || q === value.pickTitle) return setFound([]);
    const mine = ++asked.current;
    const timer = setTimeout(() => {
      props.api.raiseLearners(q).then(
        (r) => {
          if (mine !== asked.current) return;
          setFound(r.learners);
          setOpen(r.learners.length > 0);
        },
        () => setFound([]),
      );
    }, 200);
    return () => clearTimeout(timer);
  }, [query, value.pickTitle, props.api]);

  return (
    <div className={styles.row}>
      <Field label={`Learner ${index}: find on the school's list`}>
        <Combobox
          freeform
          placeholder="Type a name"
          value={query}
          selectedOptions={value.pick ? [value.pick] : []}
          open={open && found.length > 0}
          onOpenChange={(_e, d) => setOpen(d.open)}
          onChange={(e) => {
            setQuery(e.target.value);
            if (value.pick) props.onChange({ ...value, pick: '', pickTitle: '' });
          }}
          onOptionSelect={(_e, d) => {
            const l = found.find((x) => x.id === d.optionValue);
            if (l) props.onChange({ ...value, pick: l.id, pickTitle: title(l) });
            setOpen(false);
          }}
        >
          {found.map((l) => <Option key={l.id} value={l.id} text={title(l)}>{title(l)}</Option>)}
        </Combobox>
      </Field>
      <Field label={`Learner ${index}: or their name, if not on the list`}>
        <Input value={value.name} maxLength={props.nameMax} disabled={!!value.pick} onChange={(_e, d) => props.onChange({ ...value, name: d.value })} />
      </Field>
      <Field label={`Learner ${index}: year group`}>
        <Select value={value.year} disabled={!!value.pick} onChange={(_e, d) => props.onChange({ ...value, year: d.value })}>
          <option value="">Choose…</option>
          <option value="unknown">Not known</option>
          {props.yearGroups.map((y) => <option key={y.value} value={y.value}>{y.title}</option>)}
        </Select>
      </Field>
    </div>
  );
}
