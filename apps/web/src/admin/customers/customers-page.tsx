import type { Customer, CustomerInput } from "@switchboard/protocol";
import { useCallback, useState } from "react";
import { useDebounced } from "../../shell/data/use-debounced.js";
import { usePages } from "../../shell/data/use-pages.js";
import { formatRelative } from "../../shell/format/time.js";
import { useClient } from "../../shell/session/session-context.js";
import { Dialog } from "../../shell/ui/dialog.js";
import { DialogForm, useEditorForm } from "../../shell/ui/dialog-form.js";
import { EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { TextField } from "../../shell/ui/fields.js";
import { PlusIcon, SearchIcon, UploadIcon, UsersIcon } from "../../shell/ui/icons.js";
import { LoadMore } from "../../shell/ui/load-more.js";
import { PageHeader } from "../../shell/ui/page.js";
import { CustomerImport } from "./customer-import.js";

const PAGE_SIZE = 50;

/** The customer directory the bot verifies against: search, add, import. */
export function CustomersPage() {
  const client = useClient();
  const [query, setQuery] = useState("");
  const search = useDebounced(query.trim());
  const load = useCallback(
    (after: string | undefined, signal: AbortSignal) =>
      client.customers.list({ limit: PAGE_SIZE, ...(after ? { after } : {}), ...(search ? { query: search } : {}) }, { signal }),
    [client, search],
  );
  const pages = usePages<Customer>(load);
  const { data, error, loading, reload } = pages;
  const [dialog, setDialog] = useState<"add" | "import" | undefined>(undefined);

  const actions = (
    <>
      <button type="button" className="btn" onClick={() => setDialog("import")}>
        <UploadIcon size={16} /> Import CSV
      </button>
      <button type="button" className="btn btn-primary" onClick={() => setDialog("add")}>
        <PlusIcon size={16} /> Add customer
      </button>
    </>
  );
  const empty = data && data.items.length === 0;
  return (
    <div className="page">
      <PageHeader
        title="Customers"
        description="People the bot can recognize and verify: by email, phone or account number."
        actions={actions}
      />
      <div className="toolbar">
        <label className="search">
          <SearchIcon size={16} />
          <input
            type="search"
            className="search-input"
            placeholder="Search by name, email or external id"
            aria-label="Search customers"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </label>
        {loading && data ? <span className="spinner spinner-sm" role="status" aria-label="Searching" /> : null}
      </div>
      {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
      {!data && !error ? <SkeletonRows /> : null}
      {empty && search ? <EmptyState title="No customer matches">Nobody matches “{search}”.</EmptyState> : null}
      {empty && !search ? (
        <EmptyState icon={<UsersIcon size={28} />} title="No customers yet" action={actions}>
          Add your customers, or import them from a spreadsheet, so the bot can verify who it is talking to.
        </EmptyState>
      ) : null}
      {data && data.items.length > 0 ? (
        <div className="table-wrap card">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col" className="col-optional">
                  Phone
                </th>
                <th scope="col" className="col-optional">
                  External ID
                </th>
                <th scope="col" className="col-wide">
                  Attributes
                </th>
                <th scope="col" className="col-optional">
                  Added
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((customer) => (
                <CustomerRow key={customer.id} customer={customer} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore pages={pages} />

      <Dialog open={dialog === "add"} onClose={() => setDialog(undefined)} title="Add a customer">
        <AddCustomer
          onCancel={() => setDialog(undefined)}
          onCreated={() => {
            setDialog(undefined);
            reload();
          }}
        />
      </Dialog>
      <Dialog open={dialog === "import"} onClose={() => setDialog(undefined)} title="Import customers" wide>
        <CustomerImport onDone={() => setDialog(undefined)} onImported={reload} />
      </Dialog>
    </div>
  );
}

function CustomerRow({ customer }: { customer: Customer }) {
  const attributes = Object.entries(customer.attributes);
  return (
    <tr>
      <td className="cell-strong">{customer.name}</td>
      <td>{customer.email ?? <span className="muted">—</span>}</td>
      <td className="col-optional">{customer.phone ?? <span className="muted">—</span>}</td>
      <td className="col-optional">
        {customer.externalId ? <code>{customer.externalId}</code> : <span className="muted">—</span>}
      </td>
      <td className="col-wide">
        {attributes.length > 0 ? (
          <span className="chips">
            {attributes.map(([key, value]) => (
              <span key={key} className="chip">
                {key}: {value}
              </span>
            ))}
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="col-optional cell-time">{formatRelative(customer.createdAt)}</td>
    </tr>
  );
}

function AddCustomer({ onCancel, onCreated }: { onCancel: () => void; onCreated: (customer: Customer) => void }) {
  const client = useClient();
  const editor = useEditorForm(
    { name: "", email: "", phone: "", externalId: "" },
    ({ name }): Record<string, string> => (name.trim() === "" ? { name: "Enter the customer's name." } : {}),
  );
  const { form, set } = editor;

  const save = () => {
    const input: CustomerInput = { name: form.name.trim() };
    if (form.email.trim()) input.email = form.email.trim();
    if (form.phone.trim()) input.phone = form.phone.trim();
    if (form.externalId.trim()) input.externalId = form.externalId.trim();
    editor.save(async () => onCreated(await client.customers.create(input)));
  };

  const fields = [
    { key: "email", label: "Email", type: "email", hint: "The bot sends one-time codes here to verify the customer." },
    { key: "phone", label: "Phone", type: "tel", hint: "With the country code, e.g. +44 20 7946 0958." },
    { key: "externalId", label: "External ID", type: "text", hint: "Their account or customer number in your systems." },
  ] as const;
  return (
    <DialogForm onSubmit={save} onCancel={onCancel} submitLabel="Add customer" busyLabel="Adding…" submission={editor.submission}>
      <TextField
        label="Name"
        error={editor.error("name")}
        value={form.name}
        onChange={(name) => set({ name })}
        maxLength={200}
        autoComplete="off"
      />
      {fields.map((f) => (
        <TextField
          key={f.key}
          label={f.label}
          hint={f.hint}
          error={editor.error(f.key)}
          type={f.type}
          value={form[f.key]}
          onChange={(value) => set({ [f.key]: value })}
          autoComplete="off"
        />
      ))}
    </DialogForm>
  );
}
