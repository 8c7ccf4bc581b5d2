import type { PhoneNumber, PhoneNumberPatch, Trunk } from "@switchboard/protocol";
import { type FormEvent, useCallback, useId, useState } from "react";
import { Link } from "wouter";
import { useResource } from "../../shell/data/use-resource.js";
import { coveredByFields, fieldError } from "../../shell/errors/describe-error.js";
import { useClient } from "../../shell/session/session-context.js";
import { Dialog } from "../../shell/ui/dialog.js";
import { Badge, EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { Field } from "../../shell/ui/form.js";
import { HashIcon, PlusIcon } from "../../shell/ui/icons.js";
import { ConfirmButton, PageHeader } from "../../shell/ui/page.js";

/** The call flows a number can name today; the server also accepts other names (flows still to come). */
const KNOWN_FLOWS = ["demo"] as const;

type Editing = { kind: "new" } | { kind: "edit"; number: PhoneNumber } | undefined;

/** The tenant's phone numbers: what answers each, and the trunk it arrives on. */
export function PhoneNumbersPage() {
  const client = useClient();
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [numbers, trunks] = await Promise.all([
        client.telephony.phoneNumbers.list({ signal }),
        client.telephony.trunks.list({ signal }),
      ]);
      return { numbers, trunks };
    },
    [client],
  );
  const { data, error, reload, update } = useResource(load);
  const [editing, setEditing] = useState<Editing>(undefined);

  const addButton = (
    <button type="button" className="btn btn-primary" onClick={() => setEditing({ kind: "new" })}>
      <PlusIcon size={16} /> Add number
    </button>
  );
  return (
    <div className="page">
      <PageHeader
        title="Phone numbers"
        description="The numbers callers dial, each answered by a call flow. Calls arrive from the platform's carrier, or from your own trunk."
        actions={data && data.numbers.length > 0 ? addButton : undefined}
      />
      {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
      {!data && !error ? <SkeletonRows rows={3} /> : null}
      {data && data.numbers.length === 0 ? (
        <EmptyState icon={<HashIcon size={28} />} title="No phone numbers yet" action={addButton}>
          Add a number your carrier routes to Switchboard, and choose the flow that answers it.
        </EmptyState>
      ) : null}
      {data && data.numbers.length > 0 ? (
        <div className="table-wrap card">
          <table className="table" aria-label="Phone numbers">
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Label</th>
                <th scope="col">Answered by</th>
                <th scope="col" className="col-optional">
                  Trunk
                </th>
                <th scope="col" className="col-optional">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...data.numbers]
                .sort((a, b) => a.e164.localeCompare(b.e164))
                .map((number) => (
                  <tr key={number.id}>
                    <td className="cell-strong cell-mono">
                      {/* On a phone the actions column is hidden: the number opens the editor. */}
                      <button type="button" className="link-button" onClick={() => setEditing({ kind: "edit", number })}>
                        {number.e164}
                      </button>
                    </td>
                    <td>{number.label || <span className="muted">—</span>}</td>
                    <td>
                      Flow <code>{number.entry.flow}</code>
                    </td>
                    <td className="col-optional">
                      <TrunkName trunkId={number.trunkId} trunks={data.trunks} />
                    </td>
                    <td className="cell-actions col-optional">
                      <button
                        type="button"
                        className="btn btn-sm"
                        onClick={() => setEditing({ kind: "edit", number })}
                        aria-label={`Edit ${number.e164}`}
                      >
                        Edit
                      </button>
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Dialog
        open={editing !== undefined}
        onClose={() => setEditing(undefined)}
        title={editing?.kind === "edit" ? `Edit ${editing.number.e164}` : "Add a phone number"}
      >
        {editing && data ? (
          <NumberEditor
            key={editing.kind === "edit" ? editing.number.id : "new"}
            number={editing.kind === "edit" ? editing.number : undefined}
            trunks={data.trunks}
            onCancel={() => setEditing(undefined)}
            onSaved={(saved) => {
              update((d) => ({ ...d, numbers: [...d.numbers.filter((n) => n.id !== saved.id), saved] }));
              setEditing(undefined);
            }}
            onDeleted={(id) => {
              update((d) => ({ ...d, numbers: d.numbers.filter((n) => n.id !== id) }));
              setEditing(undefined);
            }}
          />
        ) : null}
      </Dialog>
    </div>
  );
}

function TrunkName({ trunkId, trunks }: { trunkId: string | null; trunks: readonly Trunk[] }) {
  if (trunkId === null) return <span className="muted">Platform carrier</span>;
  const trunk = trunks.find((t) => t.id === trunkId);
  if (!trunk) return <code>{trunkId}</code>;
  return (
    <span className="cell-inline">
      <Link href={`/trunks/${encodeURIComponent(trunk.id)}`}>{trunk.name}</Link>
      {trunk.enabled ? null : <Badge>Disabled</Badge>}
    </span>
  );
}

const FIELDS = ["e164", "label", "entry", "trunkId"] as const;

function NumberEditor({
  number,
  trunks,
  onCancel,
  onSaved,
  onDeleted,
}: {
  number: PhoneNumber | undefined;
  trunks: readonly Trunk[];
  onCancel: () => void;
  onSaved: (number: PhoneNumber) => void;
  onDeleted: (id: string) => void;
}) {
  const client = useClient();
  const flowsId = useId();
  const [e164, setE164] = useState(number?.e164 ?? "");
  const [label, setLabel] = useState(number?.label ?? "");
  const [flow, setFlow] = useState(number?.entry.flow ?? "demo");
  const [trunkId, setTrunkId] = useState<string | null>(number?.trunkId ?? null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [showErrors, setShowErrors] = useState(false);

  const missing = { e164: e164.trim() === "", flow: flow.trim() === "" };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setShowErrors(true);
    if (missing.e164 || missing.flow) return;
    // The number itself is not edited: another number is another entry.
    const patch: PhoneNumberPatch = { label: label.trim(), entry: { kind: "flow", flow: flow.trim() }, trunkId };
    setBusy(true);
    setError(undefined);
    try {
      onSaved(
        number
          ? await client.telephony.phoneNumbers.update(number.id, patch)
          : await client.telephony.phoneNumbers.create({
              ...patch,
              e164: e164.trim(),
              entry: { kind: "flow", flow: flow.trim() },
            }),
      );
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!number) return;
    setBusy(true);
    try {
      await client.telephony.phoneNumbers.delete(number.id);
      onDeleted(number.id);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form className="dialog-form" onSubmit={submit} noValidate>
      <div className="dialog-body stack-sm">
        {number ? null : (
          <Field
            label="Number"
            hint="In E.164: a plus, the country code and the number, without spaces, e.g. +15550123."
            error={(showErrors && missing.e164 ? "Enter the number." : undefined) ?? fieldError(error, "e164")}
          >
            {(c) => (
              <input
                id={c.id}
                className="input input-mono"
                value={e164}
                aria-describedby={c.describedBy}
                aria-invalid={c.invalid}
                onChange={(e) => setE164(e.target.value)}
                placeholder="+15550123"
                inputMode="tel"
                autoComplete="off"
                maxLength={32}
              />
            )}
          </Field>
        )}
        <Field label="Label" hint="Only your team sees it, e.g. Main line." error={fieldError(error, "label")}>
          {(c) => (
            <input
              id={c.id}
              className="input"
              value={label}
              aria-describedby={c.describedBy}
              aria-invalid={c.invalid}
              onChange={(e) => setLabel(e.target.value)}
              maxLength={200}
              autoComplete="off"
            />
          )}
        </Field>
        <Field
          label="Answered by flow"
          hint="The call flow that answers: demo greets the caller, reads keys back, records a message and rings extension 1001 on 0."
          error={(showErrors && missing.flow ? "Name the flow that answers." : undefined) ?? fieldError(error, "entry")}
        >
          {(c) => (
            <>
              <input
                id={c.id}
                className="input input-mono"
                value={flow}
                list={flowsId}
                aria-describedby={c.describedBy}
                aria-invalid={c.invalid}
                onChange={(e) => setFlow(e.target.value)}
                maxLength={100}
                autoComplete="off"
              />
              <datalist id={flowsId}>
                {KNOWN_FLOWS.map((f) => (
                  <option key={f} value={f} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field
          label="Trunk"
          hint="Your own carrier's trunk (BYOC): the number is then reached only through it."
          error={fieldError(error, "trunkId")}
        >
          {(c) => (
            <select
              id={c.id}
              className="input select"
              value={trunkId ?? ""}
              aria-describedby={c.describedBy}
              aria-invalid={c.invalid}
              onChange={(e) => setTrunkId(e.target.value === "" ? null : e.target.value)}
            >
              <option value="">None: the platform's carrier</option>
              {trunks.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                  {t.byoc ? " (BYOC)" : ""}
                  {t.enabled ? "" : " (disabled)"}
                </option>
              ))}
              {trunkId !== null && !trunks.some((t) => t.id === trunkId) ? (
                <option value={trunkId}>Unknown trunk ({trunkId})</option>
              ) : null}
            </select>
          )}
        </Field>
        {error && !coveredByFields(error, FIELDS) ? <ErrorNotice error={error} /> : null}
      </div>
      <footer className="dialog-footer">
        {number ? <ConfirmButton label="Delete" confirmLabel="Delete number" onConfirm={remove} disabled={busy} /> : null}
        <span className="spacer" />
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : number ? "Save" : "Add number"}
        </button>
      </footer>
    </form>
  );
}
