/**
 * The concern form as a page (PRODUCT.md §1): the chat card's categories, guidance and fields, sent
 * with the card's field names to the same checks (cases/concernSubmission.ts), whose sentences are
 * shown here as they are in the chat. "Someone is in immediate danger" says call 999 before anything.
 */
import { useState } from 'react';
import { Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Select, Text, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { CATEGORIES, categoryById } from '../../../core/categories';
import { LEARNER_ROWS } from '../../../core/concern';
import type { RaiseFormView, RaiseResultView } from '../../api/view';
import { ApiError, problemText, type TabApi } from '../api';
import { emptyLearner, LearnerRow, type LearnerDraft } from './LearnerRow';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '12px', maxWidth: '760px' },
  pair: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))', gap: '8px' },
  guidance: { margin: 0, paddingLeft: '20px' },
  learners: { display: 'flex', flexDirection: 'column', gap: '8px', padding: '8px', backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium },
});

interface Draft {
  category: string;
  staffInvolvedId: string;
  whatHappened: string;
  happenedOn: string;
  happenedAt: string;
  location: string;
  device: string;
  url: string;
  immediateDanger: 'yes' | 'no';
  actionsTaken: string;
  learners: LearnerDraft[];
}

const newDraft = (today: string): Draft => ({
  category: '',
  staffInvolvedId: '',
  whatHappened: '',
  happenedOn: today,
  happenedAt: '',
  location: '',
  device: '',
  url: '',
  immediateDanger: 'no',
  actionsTaken: '',
  learners: Array.from({ length: LEARNER_ROWS }, emptyLearner),
});

/** The fields as the chat's card sends them (readConcernSubmission reads both alike). */
function fieldsOf(d: Draft, formId: string): Record<string, string> {
  const category = categoryById(d.category);
  const fields: Record<string, string> = {
    formId,
    category: d.category,
    whatHappened: d.whatHappened,
    happenedOn: d.happenedOn,
    happenedAt: d.happenedAt,
    location: d.location,
    device: d.device,
    immediateDanger: d.immediateDanger,
    actionsTaken: d.actionsTaken,
    ...(category?.asksUrl ? { url: d.url } : {}),
    ...(category && category.staff !== 'none' ? { staffInvolvedId: d.staffInvolvedId } : {}),
  };
  d.learners.forEach((l, i) => {
    fields[`learnerPick${i + 1}`] = l.pick;
    fields[`learnerName${i + 1}`] = l.pick ? '' : l.name;
    fields[`learnerYear${i + 1}`] = l.pick ? '' : l.year;
  });
  return fields;
}

export function ConcernForm(props: { api: TabApi; form: RaiseFormView; onSent: (result: RaiseResultView) => void }) {
  const styles = useStyles();
  const { form } = props;
  const [draft, setDraft] = useState<Draft>(() => newDraft(form.today));
  // One form, one id: however often it is sent, it makes one case (store/newCaseStore.ts).
  const [formId] = useState(() => crypto.randomUUID());
  const [errors, setErrors] = useState<string[]>([]);
  const [sending, setSending] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const category = categoryById(draft.category);

  const send = async () => {
    setSending(true);
    setErrors([]);
    try {
      props.onSent(await props.api.raise(fieldsOf(draft, formId)));
    } catch (e) {
      setErrors(e instanceof ApiError && e.status === 400 && e.details.length ? e.details : [problemText(e)]);
      setSending(false);
    }
  };

  return (
    // noValidate: the server's checks are the one set of checks, and their sentences are shown below.
    <form className={styles.form} aria-label="Raise a concern" noValidate onSubmit={(e) => { e.preventDefault(); void send(); }}>
      {draft.immediateDanger === 'yes' ? (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Call 999 now.</MessageBarTitle>
            Someone is in immediate danger: call the police on 999 before you do anything else. Then complete this form: every DSL and the Online Safety Lead will be told at once.
          </MessageBarBody>
        </MessageBar>
      ) : (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            If someone is in immediate danger, call 999 now, then raise the concern here.{' '}
            <Button size="small" appearance="primary" onClick={() => set('immediateDanger', 'yes')}>Someone is in immediate danger</Button>
          </MessageBarBody>
        </MessageBar>
      )}
      <Field label="What kind of concern is it?" required>
        <RadioGroup value={draft.category} onChange={(_e, d) => set('category', d.value)}>
          {CATEGORIES.map((c) => <Radio key={c.id} value={c.id} label={c.title} />)}
        </RadioGroup>
      </Field>
      {category && (
        <>
          <section aria-label="Guidance">
            <MessageBar intent={category.imageCategory ? 'error' : 'info'} layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>{`${category.title} (policy ${category.policy})`}</MessageBarTitle>
                <ul className={styles.guidance}>{category.guidance.map((g) => <li key={g}>{g}</li>)}</ul>
              </MessageBarBody>
            </MessageBar>
          </section>
          <Text weight="semibold">Learner(s) involved</Text>
          <Text size={200}>Find each learner on the school's list by typing their name. If they are not on it, type their name and year group instead; if you do not know the name, give the year group only.</Text>
          <div className={styles.learners}>
            {draft.learners.map((l, i) => (
              <LearnerRow key={i} api={props.api} index={i + 1} value={l} yearGroups={form.yearGroups} nameMax={form.limits.learnerName} onChange={(v) => set('learners', draft.learners.map((x, j) => (j === i ? v : x)))} />
            ))}
          </div>
          {category.staff !== 'none' && (
            <Field label={category.staffLabel ?? 'Member of staff'} required={category.staff === 'required'}>
              <Select value={draft.staffInvolvedId} onChange={(_e, d) => set('staffInvolvedId', d.value)}>
                <option value="">Choose…</option>
                {form.staff.map((p) => <option key={p.id} value={p.id}>{p.displayName}</option>)}
              </Select>
            </Field>
          )}
          <Field label="What happened? (words only: no images, no attachments)" required>
            <Textarea value={draft.whatHappened} maxLength={form.limits.whatHappened} rows={6} resize="vertical" onChange={(_e, d) => set('whatHappened', d.value)} />
          </Field>
          <div className={styles.pair}>
            <Field label="When (date)" required>
              <Input type="date" value={draft.happenedOn} max={form.today} onChange={(_e, d) => set('happenedOn', d.value)} />
            </Field>
            <Field label="Time (if known)">
              <Input type="time" value={draft.happenedAt} onChange={(_e, d) => set('happenedAt', d.value)} />
            </Field>
            <Field label="Where" required>
              <Select value={draft.location} onChange={(_e, d) => set('location', d.value)}>
                <option value="">Choose…</option>
                {form.locations.map((o) => <option key={o.value} value={o.value}>{o.title}</option>)}
              </Select>
            </Field>
            <Field label="Device" required>
              <Select value={draft.device} onChange={(_e, d) => set('device', d.value)}>
                <option value="">Choose…</option>
                {form.devices.map((o) => <option key={o.value} value={o.value}>{o.title}</option>)}
              </Select>
            </Field>
          </div>
          {category.asksUrl && (
            <Field label="Web address (URL), if relevant">
              <Input type="url" value={draft.url} maxLength={form.limits.url} onChange={(_e, d) => set('url', d.value)} />
            </Field>
          )}
          <Field label="Is anyone in immediate danger?" required>
            <RadioGroup value={draft.immediateDanger} onChange={(_e, d) => set('immediateDanger', d.value === 'yes' ? 'yes' : 'no')}>
              <Radio value="no" label="No" />
              <Radio value="yes" label="Yes: I have called, or will call, 999" />
            </RadioGroup>
          </Field>
          <Field label="What has been done already?">
            <Textarea value={draft.actionsTaken} maxLength={form.limits.actionsTaken} rows={3} resize="vertical" onChange={(_e, d) => set('actionsTaken', d.value)} />
          </Field>
        </>
      )}
      {errors.length > 0 && (
        <section role="alert" aria-label="Please check the form">
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>Please check the form:</MessageBarTitle>
              <ul className={styles.guidance}>{errors.map((e) => <li key={e}>{e}</li>)}</ul>
            </MessageBarBody>
          </MessageBar>
        </section>
      )}
      <div>
        <Button type="submit" appearance="primary" disabled={sending || !category}>{sending ? 'Sending…' : 'Send to the DSL'}</Button>
      </div>
    </form>
  );
}
