import type { CallerIdPolicy, Trunk } from "@switchboard/protocol";
import { type FormEvent, type ReactNode, useCallback, useState } from "react";
import { useLocation } from "wouter";
import { useBriefly } from "../../shell/data/use-briefly.js";
import { useResource } from "../../shell/data/use-resource.js";
import { coveredByFields, fieldErrors } from "../../shell/errors/describe-error.js";
import { formatDateTime } from "../../shell/format/time.js";
import { useClient } from "../../shell/session/session-context.js";
import { Badge, ErrorNotice, Loading } from "../../shell/ui/feedback.js";
import { Field, Toggle } from "../../shell/ui/form.js";
import { CheckIcon } from "../../shell/ui/icons.js";
import { ConfirmButton, PageHeader, Section } from "../../shell/ui/page.js";
import { formFromTrunk, inputFromForm, keepsPassword, newTrunkForm, type TrunkForm, validateForm } from "./trunk-form.js";

/** One trunk's settings; without an id, the form for a new one. */
export function TrunkPage({ id }: { id?: string }) {
  const client = useClient();
  const load = useCallback(
    (signal: AbortSignal) => (id === undefined ? Promise.resolve(undefined) : client.telephony.trunks.get(id, { signal })),
    [client, id],
  );
  const { data, error, loading, reload, update } = useResource(load);
  // Kept here: a save remounts the editor (see its key), and "Saved" should outlive that.
  const [justSaved = false, setJustSaved] = useBriefly<true>();
  const back = { href: "/trunks", label: "Trunks" };

  if (error && !data) {
    return (
      <div className="page">
        <PageHeader back={back} title="Trunk" />
        <ErrorNotice error={error} onRetry={reload} />
      </div>
    );
  }
  if (loading && !data) {
    return (
      <div className="page">
        <PageHeader back={back} title={id === undefined ? "New trunk" : "Trunk"} />
        <Loading />
      </div>
    );
  }
  return (
    <TrunkEditor
      // A saved version starts the form afresh from what the server kept (password fields empty again).
      key={data?.updatedAt ?? "new"}
      trunk={data}
      justSaved={justSaved}
      onSaved={(saved) => {
        update(() => saved);
        setJustSaved(true);
      }}
    />
  );
}

const CALLER_ID: readonly { value: CallerIdPolicy["kind"]; label: string }[] = [
  { value: "pass-through", label: "Pass through the caller's number" },
  { value: "tenant-number", label: "One of your numbers" },
  { value: "fixed", label: "A fixed number" },
];

function TrunkEditor({
  trunk,
  justSaved,
  onSaved,
}: {
  trunk: Trunk | undefined;
  justSaved: boolean;
  onSaved: (trunk: Trunk) => void;
}) {
  const client = useClient();
  const [, navigate] = useLocation();
  const [initial] = useState<TrunkForm>(() => (trunk ? formFromTrunk(trunk) : newTrunkForm()));
  const [form, setForm] = useState(initial);
  const [showErrors, setShowErrors] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(undefined);
  const [deleteError, setDeleteError] = useState<unknown>(undefined);

  const set = <K extends keyof TrunkForm>(key: K, value: TrunkForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const errors = validateForm(form, trunk);
  const keeps = keepsPassword(form, trunk);
  const shown = (field: string): string | undefined => {
    const local = showErrors ? errors[field] : undefined;
    if (local) return local;
    const server = fieldErrors(saveError, field);
    return server.length > 0 ? server.join(" ") : undefined;
  };
  const dirty = JSON.stringify(inputFromForm(form)) !== JSON.stringify(inputFromForm(initial));
  const visibleFields = [
    "name",
    "enabled",
    "byoc",
    "inbound.allowList",
    ...(form.inboundDigest ? ["inbound.digest"] : []),
    ...(form.outbound ? ["outbound"] : []),
  ];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setShowErrors(true);
    if (Object.keys(errors).length > 0) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      const input = inputFromForm(form);
      if (trunk) {
        onSaved(await client.telephony.trunks.update(trunk.id, input));
      } else {
        await client.telephony.trunks.create(input);
        navigate("/trunks");
      }
    } catch (e) {
      setSaveError(e);
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!trunk) return;
    setSaving(true);
    setDeleteError(undefined);
    try {
      await client.telephony.trunks.delete(trunk.id);
      navigate("/trunks");
    } catch (e) {
      // Shown by the button: a trunk that numbers still arrive on cannot go.
      setDeleteError(e);
      setSaving(false);
    }
  };

  const passwordHint = (stored: boolean, kept: boolean): ReactNode =>
    stored && kept ? (
      <>
        <Badge tone="success">Password set</Badge> Leave this empty to keep it.
      </>
    ) : (
      "At least 8 characters. It is never shown again."
    );

  return (
    <div className="page">
      <PageHeader
        back={{ href: "/trunks", label: "Trunks" }}
        title={trunk ? trunk.name : "New trunk"}
        description={
          trunk
            ? "Changes apply to the next call as soon as you save."
            : "A carrier or a PBX that sends you calls, or that your calls to numbers go out through."
        }
        actions={
          trunk ? <Badge tone={trunk.enabled ? "success" : "neutral"}>{trunk.enabled ? "Enabled" : "Disabled"}</Badge> : undefined
        }
      />
      <div className={trunk ? "split" : "split split-single"}>
        <form className="stack" onSubmit={submit} noValidate aria-label="Trunk settings">
          <Section title="General">
            <Field label="Name" error={shown("name")} hint="Only your team sees it, e.g. the carrier's name.">
              {(c) => (
                <input
                  id={c.id}
                  className="input"
                  value={form.name}
                  aria-describedby={c.describedBy}
                  aria-invalid={c.invalid}
                  onChange={(e) => set("name", e.target.value)}
                  placeholder="Carrier"
                  maxLength={200}
                  autoComplete="off"
                />
              )}
            </Field>
            <Toggle
              checked={form.enabled}
              onChange={(value) => set("enabled", value)}
              label="Enabled"
              description="When off, calls from this trunk are refused and no call goes out through it."
            />
            <Toggle
              checked={form.byoc}
              onChange={(value) => set("byoc", value)}
              label="Your own carrier (BYOC)"
              description="A number assigned to this trunk is reached only through it."
            />
          </Section>

          <Section
            title="Inbound"
            description="Calls from an address on the allow list are this trunk's. With a password too, they must also authenticate; with a password only, they may come from anywhere."
          >
            <Field
              label="Allow list"
              error={shown("inbound.allowList")}
              hint="One IPv4 or IPv6 address or CIDR block per line, e.g. 203.0.113.0/24."
            >
              {(c) => (
                <textarea
                  id={c.id}
                  className="input textarea input-mono"
                  rows={4}
                  value={form.allowList}
                  aria-describedby={c.describedBy}
                  aria-invalid={c.invalid}
                  onChange={(e) => set("allowList", e.target.value)}
                  placeholder={"203.0.113.0/24\n2001:db8:10::/48"}
                  spellCheck={false}
                />
              )}
            </Field>
            <Toggle
              checked={form.inboundDigest}
              onChange={(value) => set("inboundDigest", value)}
              label="Require a password"
              description="The carrier answers a digest challenge with this account."
            />
            {form.inboundDigest ? (
              <div className="grid-2">
                <Field label="Inbound username" error={shown("inbound.digest.username")}>
                  {(c) => (
                    <input
                      id={c.id}
                      className="input"
                      value={form.inboundUsername}
                      aria-describedby={c.describedBy}
                      aria-invalid={c.invalid}
                      onChange={(e) => set("inboundUsername", e.target.value)}
                      maxLength={128}
                      autoComplete="off"
                    />
                  )}
                </Field>
                <Field
                  label="Inbound password"
                  error={shown("inbound.digest.password")}
                  hint={passwordHint(trunk?.inbound.digest != null, keeps.inbound)}
                >
                  {(c) => (
                    <input
                      id={c.id}
                      className="input"
                      type="password"
                      value={form.inboundPassword}
                      aria-describedby={c.describedBy}
                      aria-invalid={c.invalid}
                      onChange={(e) => set("inboundPassword", e.target.value)}
                      maxLength={256}
                      autoComplete="new-password"
                    />
                  )}
                </Field>
              </div>
            ) : null}
          </Section>

          <Section title="Outbound" description="Where calls to numbers go: your carrier's SIP server and your account there.">
            <Toggle
              checked={form.outbound}
              onChange={(value) => set("outbound", value)}
              label="Send calls out through this trunk"
            />
            {form.outbound ? (
              <>
                <div className="grid-host">
                  <Field label="Host" error={shown("outbound.host")} hint="A host name or an IP address.">
                    {(c) => (
                      <input
                        id={c.id}
                        className="input input-mono"
                        value={form.host}
                        aria-describedby={c.describedBy}
                        aria-invalid={c.invalid}
                        onChange={(e) => set("host", e.target.value)}
                        placeholder="sip.carrier.example"
                        maxLength={253}
                        autoComplete="off"
                        spellCheck={false}
                      />
                    )}
                  </Field>
                  <Field label="Port" error={shown("outbound.port")}>
                    {(c) => (
                      <input
                        id={c.id}
                        className="input input-mono"
                        value={form.port}
                        aria-describedby={c.describedBy}
                        aria-invalid={c.invalid}
                        onChange={(e) => set("port", e.target.value)}
                        inputMode="numeric"
                        maxLength={5}
                      />
                    )}
                  </Field>
                  <Field label="Transport" error={shown("outbound.transport")}>
                    {(c) => (
                      <select
                        id={c.id}
                        className="input select"
                        value={form.transport}
                        aria-describedby={c.describedBy}
                        onChange={(e) => set("transport", e.target.value === "tcp" ? "tcp" : "udp")}
                      >
                        <option value="udp">UDP</option>
                        <option value="tcp">TCP</option>
                      </select>
                    )}
                  </Field>
                </div>
                <Toggle
                  checked={form.outboundDigest}
                  onChange={(value) => set("outboundDigest", value)}
                  label="Authenticate with an account"
                  description="What Switchboard answers the carrier's challenge with."
                />
                {form.outboundDigest ? (
                  <div className="grid-2">
                    <Field label="Outbound username" error={shown("outbound.digest.username")}>
                      {(c) => (
                        <input
                          id={c.id}
                          className="input"
                          value={form.outboundUsername}
                          aria-describedby={c.describedBy}
                          aria-invalid={c.invalid}
                          onChange={(e) => set("outboundUsername", e.target.value)}
                          maxLength={128}
                          autoComplete="off"
                        />
                      )}
                    </Field>
                    <Field
                      label="Outbound password"
                      error={shown("outbound.digest.password")}
                      hint={passwordHint(trunk?.outbound?.digest != null, keeps.outbound)}
                    >
                      {(c) => (
                        <input
                          id={c.id}
                          className="input"
                          type="password"
                          value={form.outboundPassword}
                          aria-describedby={c.describedBy}
                          aria-invalid={c.invalid}
                          onChange={(e) => set("outboundPassword", e.target.value)}
                          maxLength={256}
                          autoComplete="new-password"
                        />
                      )}
                    </Field>
                  </div>
                ) : null}
                <Field label="Caller ID" hint="The number the called party sees." error={shown("outbound.callerIdPolicy.kind")}>
                  {(c) => (
                    <select
                      id={c.id}
                      className="input select"
                      value={form.callerId}
                      aria-describedby={c.describedBy}
                      onChange={(e) =>
                        set("callerId", CALLER_ID.find((p) => p.value === e.target.value)?.value ?? "pass-through")
                      }
                    >
                      {CALLER_ID.map((p) => (
                        <option key={p.value} value={p.value}>
                          {p.label}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                {form.callerId === "fixed" ? (
                  <Field label="Caller ID number" error={shown("outbound.callerIdPolicy.e164")} hint="In E.164, e.g. +15550100.">
                    {(c) => (
                      <input
                        id={c.id}
                        className="input input-mono"
                        value={form.callerIdNumber}
                        aria-describedby={c.describedBy}
                        aria-invalid={c.invalid}
                        onChange={(e) => set("callerIdNumber", e.target.value)}
                        inputMode="tel"
                        maxLength={32}
                        autoComplete="off"
                      />
                    )}
                  </Field>
                ) : null}
              </>
            ) : null}
          </Section>

          {saveError && !coveredByFields(saveError, visibleFields) ? <ErrorNotice error={saveError} /> : null}
          <div className="form-footer">
            {justSaved && !dirty ? (
              <span className="saved" role="status">
                <CheckIcon size={16} /> Saved
              </span>
            ) : dirty ? (
              <span className="muted">Unsaved changes</span>
            ) : null}
            <button type="submit" className="btn btn-primary" disabled={saving || (trunk !== undefined && !dirty)}>
              {saving ? "Saving…" : trunk ? "Save changes" : "Add trunk"}
            </button>
          </div>
        </form>

        {trunk ? (
          <aside className="stack">
            <Section title="Details">
              <dl className="details">
                <dt>ID</dt>
                <dd>
                  <code>{trunk.id}</code>
                </dd>
                <dt>Created</dt>
                <dd>{formatDateTime(trunk.createdAt)}</dd>
                <dt>Updated</dt>
                <dd>{formatDateTime(trunk.updatedAt)}</dd>
              </dl>
              <div className="danger-zone">
                <ConfirmButton label="Delete trunk" confirmLabel="Delete for good" onConfirm={remove} disabled={saving} />
              </div>
              {deleteError ? <ErrorNotice error={deleteError} /> : null}
            </Section>
          </aside>
        ) : null}
      </div>
    </div>
  );
}
