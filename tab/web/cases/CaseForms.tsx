/**
 * The forms of the changes a DSL makes on a case (PRODUCT.md §3, §6), each against the same core
 * decision as the card's button (tab/api/routes/cases.ts). The server decides and refuses; these forms
 * mark what is required but leave the verdict to it, so the person sees the server's own reason.
 */
import { Field, Input, Select, Textarea } from '@fluentui/react-components';
import type { CasePageView } from '../../api/view';
import { ChangeDialog, useFields } from './ChangeDialog';

export interface FormProps {
  open: boolean;
  view: CasePageView;
  onClose: () => void;
  submit: (body: Record<string, string>) => Promise<void>;
}

/** An action or referral, from the category's checklist and the policy's referrals; some need a note (§11.2). */
export function RecordActionForm({ open, view, onClose, submit }: FormProps) {
  const [f, set] = useFields(open, { action: '', note: '' });
  const noteRequired = view.noteRequired.includes(f.action);
  return (
    <ChangeDialog open={open} title="Record an action" action="Record the action" onClose={onClose} submit={() => submit(f)}>
      <Field label="Action or referral" required>
        <Select value={f.action} onChange={(_e, d) => set({ action: d.value })}>
          <option value="">Choose…</option>
          {view.actionChoices.map((a) => <option key={a} value={a}>{a}</option>)}
        </Select>
      </Field>
      <Field label={noteRequired ? 'Note (required: say who, and why)' : 'Note'} required={noteRequired}>
        <Textarea value={f.note} onChange={(_e, d) => set({ note: d.value })} rows={4} resize="vertical" maxLength={2000} />
      </Field>
    </ChangeDialog>
  );
}

/** The next step: what, whose (one of those the case is with) and by when (§3: overdue ones are flagged). */
export function NextStepForm({ open, view, onClose, submit }: FormProps) {
  const [f, set] = useFields(open, { what: view.nextStep?.what ?? '', ownerId: view.nextStep?.ownerId ?? view.holders[0]?.id ?? '', dueOn: '' });
  return (
    <ChangeDialog open={open} title="Set the next step" action="Set the next step" onClose={onClose} submit={() => submit(f)}>
      <Field label="What is the next step" required>
        <Textarea value={f.what} onChange={(_e, d) => set({ what: d.value })} rows={2} resize="vertical" maxLength={500} />
      </Field>
      <Field label="Whose it is" required hint="One of the people the case is with.">
        <Select value={f.ownerId} onChange={(_e, d) => set({ ownerId: d.value })}>
          {view.holders.map((h) => <option key={h.id} value={h.id}>{`${h.name} (${h.role})`}</option>)}
        </Select>
      </Field>
      <Field label="Due on" required>
        <Input type="date" value={f.dueOn} onChange={(_e, d) => set({ dueOn: d.value })} />
      </Field>
    </ChangeDialog>
  );
}

/** Hands the case to another role (the deputy, the other phase's DSL, the OSL...): they are told by card. */
export function ReassignForm({ open, view, onClose, submit }: FormProps) {
  const [f, set] = useFields(open, { to: view.reassignTargets[0]?.value ?? '' });
  return (
    <ChangeDialog open={open} title="Reassign the case" action="Reassign" onClose={onClose} submit={() => submit(f)}>
      <Field label="Reassign to" required hint="The case leaves you and goes to whoever holds that role now.">
        <Select value={f.to} onChange={(_e, d) => set({ to: d.value })}>
          {view.reassignTargets.map((t) => <option key={t.value} value={t.value}>{t.title}</option>)}
        </Select>
      </Field>
    </ChangeDialog>
  );
}

/** §10 "debrief, identify lessons learnt"; KCSIE asks for decisions and their reasons in writing: all four are required. */
export function CloseForm({ open, view, onClose, submit }: FormProps) {
  const [f, set] = useFields(open, { decision: '', reason: '', outcome: '', lessonsLearnt: '' });
  return (
    <ChangeDialog open={open} title="Close the case" action="Close the case" onClose={onClose} submit={() => submit(f)}>
      <Field label="Decision" required>
        <Select value={f.decision} onChange={(_e, d) => set({ decision: d.value })}>
          <option value="">Choose…</option>
          {view.decisions.map((d) => <option key={d} value={d}>{d}</option>)}
        </Select>
      </Field>
      <Field label="Reason for the decision" required>
        <Textarea value={f.reason} onChange={(_e, d) => set({ reason: d.value })} rows={3} resize="vertical" maxLength={2000} />
      </Field>
      <Field label="Outcome" required>
        <Textarea value={f.outcome} onChange={(_e, d) => set({ outcome: d.value })} rows={3} resize="vertical" maxLength={2000} />
      </Field>
      <Field label="Lessons learnt" required hint="Write 'none' if there are none.">
        <Textarea value={f.lessonsLearnt} onChange={(_e, d) => set({ lessonsLearnt: d.value })} rows={3} resize="vertical" maxLength={2000} />
      </Field>
    </ChangeDialog>
  );
}

export function ReopenForm({ open, onClose, submit }: FormProps) {
  const [f, set] = useFields(open, { reason: '' });
  return (
    <ChangeDialog open={open} title="Reopen the case" action="Reopen the case" onClose={onClose} submit={() => submit(f)}>
      <Field label="Reason for reopening" required>
        <Textarea value={f.reason} onChange={(_e, d) => set({ reason: d.value })} rows={3} resize="vertical" maxLength={2000} />
      </Field>
    </ChangeDialog>
  );
}
