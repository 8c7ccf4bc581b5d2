import type { CustomerImportResult } from "@switchboard/protocol";
import { useId, useState } from "react";
import { useClient } from "../../shell/session/session-context.js";
import { Badge, ErrorNotice } from "../../shell/ui/feedback.js";
import { UploadIcon } from "../../shell/ui/icons.js";
import { previewCsv } from "./csv.js";

const EXAMPLE = "name,email,phone,externalId,tier\nAda Lovelace,ada@example.com,+441632960001,C-1001,gold";

/** Import customers from a CSV file or pasted text; shows what was created, updated and rejected. */
export function CustomerImport({ onDone, onImported }: { onDone: () => void; onImported: () => void }) {
  const client = useClient();
  const id = useId();
  const [mode, setMode] = useState<"file" | "paste">("file");
  const [text, setText] = useState("");
  const [fileName, setFileName] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [result, setResult] = useState<CustomerImportResult | undefined>(undefined);

  const preview = previewCsv(text);
  const pick = async (file: File | undefined) => {
    setError(undefined);
    if (!file) return;
    setFileName(file.name);
    setText(await file.text());
  };
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await client.customers.importCsv(text));
      onImported();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (result) {
    return (
      <div className="dialog-form">
        <div className="dialog-body stack-sm">
          <div className="import-result" role="status">
            <div className="stat">
              <span className="stat-value">{result.created}</span>
              <span className="stat-label">created</span>
            </div>
            <div className="stat">
              <span className="stat-value">{result.updated}</span>
              <span className="stat-label">updated</span>
            </div>
            <div className={`stat${result.rejected.length > 0 ? " stat-warning" : ""}`}>
              <span className="stat-value">{result.rejected.length}</span>
              <span className="stat-label">rejected</span>
            </div>
          </div>
          {result.rejected.length > 0 ? (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Rejected rows</caption>
                <thead>
                  <tr>
                    <th scope="col">Row</th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {result.rejected.map((r) => (
                    <tr key={`${r.row}:${r.reason}`}>
                      <td className="cell-num">{r.row}</td>
                      <td>{r.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="muted">Every row was imported. Existing customers (same email or external id) were updated.</p>
          )}
        </div>
        <footer className="dialog-footer">
          <span className="spacer" />
          <button type="button" className="btn btn-primary" onClick={onDone}>
            Done
          </button>
        </footer>
      </div>
    );
  }

  return (
    <div className="dialog-form">
      <div className="dialog-body stack-sm">
        <p className="muted">
          A header row, then one customer a row. Known columns: <code>name</code>, <code>email</code>, <code>phone</code>,{" "}
          <code>externalId</code>; any other column is kept as an attribute. A customer with the same email or external id is
          updated.
        </p>
        <div className="segmented" role="tablist" aria-label="CSV source">
          <button type="button" role="tab" aria-selected={mode === "file"} className="segment" onClick={() => setMode("file")}>
            Upload a file
          </button>
          <button type="button" role="tab" aria-selected={mode === "paste"} className="segment" onClick={() => setMode("paste")}>
            Paste CSV
          </button>
        </div>
        {mode === "file" ? (
          <label className="dropzone" htmlFor={`${id}-file`}>
            <UploadIcon size={22} />
            <span>{fileName ? fileName : "Choose a .csv file"}</span>
            <span className="field-hint">{fileName ? "Choose another file" : "Exported from a spreadsheet or your CRM"}</span>
            <input
              id={`${id}-file`}
              className="visually-hidden"
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => void pick(e.target.files?.[0])}
            />
          </label>
        ) : (
          <div className="field">
            <label className="field-label" htmlFor={`${id}-text`}>
              CSV text
            </label>
            <textarea
              id={`${id}-text`}
              className="input textarea input-mono"
              rows={7}
              value={text}
              placeholder={EXAMPLE}
              onChange={(e) => {
                setText(e.target.value);
                setFileName(undefined);
              }}
            />
          </div>
        )}
        {preview ? (
          <div className="csv-preview">
            <div className="csv-preview-head">
              <strong>
                {preview.rowCount} row{preview.rowCount === 1 ? "" : "s"}
              </strong>
              {preview.attributeColumns.length > 0 ? (
                <span className="muted">Attributes: {preview.attributeColumns.join(", ")}</span>
              ) : null}
              {!preview.hasName ? <Badge tone="warning">No name column</Badge> : null}
            </div>
            {preview.sample.length > 0 ? (
              <div className="table-wrap">
                <table className="table table-compact">
                  <thead>
                    <tr>
                      {preview.columns.map((column, i) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: columns may repeat a name
                        <th key={i} scope="col">
                          {column}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {preview.sample.map((row, r) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: a preview of rows by position
                      <tr key={r}>
                        {preview.columns.map((_, c) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: cells by position
                          <td key={c}>{row[c] ?? ""}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
          </div>
        ) : null}
        {error ? <ErrorNotice error={error} /> : null}
      </div>
      <footer className="dialog-footer">
        <span className="spacer" />
        <button type="button" className="btn btn-ghost" onClick={onDone}>
          Cancel
        </button>
        <button type="button" className="btn btn-primary" onClick={submit} disabled={busy || !preview || preview.rowCount === 0}>
          {busy
            ? "Importing…"
            : preview && preview.rowCount > 0
              ? `Import ${preview.rowCount} customer${preview.rowCount === 1 ? "" : "s"}`
              : "Import"}
        </button>
      </footer>
    </div>
  );
}
