import type { TransferRequest, Worker } from "@switchboard/protocol";
import { type FormEvent, useCallback, useState } from "react";
import { useResource } from "../../shell/data/use-resource.js";
import { PresencePill } from "../../shell/routing/presence-pill.js";
import { useClient } from "../../shell/session/session-context.js";
import { Dialog } from "../../shell/ui/dialog.js";
import { ErrorNotice, Loading } from "../../shell/ui/feedback.js";
import type { AgentQueue } from "../desk/desk-state.js";

type Target = { kind: "queue"; id: string; name: string } | { kind: "worker"; id: string; name: string };

/** Sends the conversation on to a queue or straight to a colleague, with a note the next agent reads first. */
export function TransferDialog({
  open,
  onClose,
  customer,
  queues,
  me,
  onTransfer,
}: {
  open: boolean;
  onClose: () => void;
  customer: string;
  queues: readonly AgentQueue[];
  me: string;
  onTransfer: (request: TransferRequest, targetName: string) => Promise<void>;
}) {
  return (
    <Dialog open={open} onClose={onClose} title={`Transfer ${customer}`}>
      {open ? <TransferForm queues={queues} me={me} onTransfer={onTransfer} onClose={onClose} /> : null}
    </Dialog>
  );
}

/** Who can take it now first: available, then by how busy they are. Offline colleagues cannot take it. */
function rankWorkers(workers: readonly Worker[], me: string): Worker[] {
  const order = { available: 0, wrap_up: 1, busy: 2, away: 3, offline: 4 } as const;
  return workers
    .filter((w) => w.id !== me)
    .sort(
      (a, b) =>
        order[a.presence] - order[b.presence] ||
        a.load / Math.max(1, a.settings.capacity) - b.load / Math.max(1, b.settings.capacity) ||
        a.name.localeCompare(b.name),
    );
}

function TransferForm({
  queues,
  me,
  onTransfer,
  onClose,
}: {
  queues: readonly AgentQueue[];
  me: string;
  onTransfer: (request: TransferRequest, targetName: string) => Promise<void>;
  onClose: () => void;
}) {
  const client = useClient();
  const [mode, setMode] = useState<"queue" | "worker">("queue");
  const [target, setTarget] = useState<Target | undefined>(undefined);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const workers = useResource(useCallback((signal: AbortSignal) => client.workers.list({ signal }), [client]));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!target) return;
    setBusy(true);
    setError(undefined);
    const trimmed = note.trim();
    const request: TransferRequest = {
      ...(target.kind === "queue" ? { queueId: target.id } : { workerId: target.id }),
      ...(trimmed ? { note: trimmed } : {}),
    };
    try {
      await onTransfer(request, target.kind === "queue" ? `the ${target.name} queue` : target.name);
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const switchMode = (next: "queue" | "worker") => {
    setMode(next);
    setTarget(undefined);
  };

  return (
    <form className="dialog-form" onSubmit={submit}>
      <div className="dialog-body stack-sm">
        <div className="segmented" role="tablist" aria-label="Transfer to">
          <button
            type="button"
            role="tab"
            className="segment"
            aria-selected={mode === "queue"}
            onClick={() => switchMode("queue")}
          >
            A queue
          </button>
          <button
            type="button"
            role="tab"
            className="segment"
            aria-selected={mode === "worker"}
            onClick={() => switchMode("worker")}
          >
            A colleague
          </button>
        </div>
        {mode === "queue" ? (
          queues.length === 0 ? (
            <p className="muted">There are no queues to transfer to.</p>
          ) : (
            <fieldset className="choice-group">
              <legend className="visually-hidden">Queue</legend>
              <div className="choice-list">
                {queues.map((q) => (
                  <label key={q.id} className={`choice${target?.id === q.id ? " choice-selected" : ""}`}>
                    <input
                      type="radio"
                      name="target"
                      checked={target?.id === q.id}
                      onChange={() => setTarget({ kind: "queue", id: q.id, name: q.name })}
                    />
                    <span className="choice-label">{q.name}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          )
        ) : workers.data ? (
          <WorkerChoices workers={rankWorkers(workers.data, me)} target={target} onChoose={setTarget} />
        ) : workers.error ? (
          <ErrorNotice error={workers.error} onRetry={workers.reload} />
        ) : (
          <Loading label="Loading colleagues…" />
        )}
        <div className="field">
          <label className="field-label" htmlFor="transfer-note">
            Note for the next agent <span className="muted">(optional)</span>
          </label>
          <textarea
            id="transfer-note"
            className="input textarea"
            rows={3}
            maxLength={1000}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder="What you found out, what is left to do"
          />
        </div>
        {error ? <ErrorNotice error={error} /> : null}
      </div>
      <footer className="dialog-footer">
        <span className="spacer" />
        <button type="button" className="btn btn-ghost" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy || !target}>
          {busy ? "Transferring…" : "Transfer"}
        </button>
      </footer>
    </form>
  );
}

function WorkerChoices({
  workers,
  target,
  onChoose,
}: {
  workers: readonly Worker[];
  target: Target | undefined;
  onChoose: (target: Target) => void;
}) {
  if (workers.length === 0) return <p className="muted">No other agents yet.</p>;
  return (
    <fieldset className="choice-group">
      <legend className="visually-hidden">Colleague</legend>
      <div className="choice-list choice-list-scroll">
        {workers.map((w) => {
          const offline = w.presence === "offline";
          return (
            <label
              key={w.id}
              className={`choice${target?.id === w.id ? " choice-selected" : ""}${offline ? " choice-disabled" : ""}`}
            >
              <input
                type="radio"
                name="target"
                disabled={offline}
                checked={target?.id === w.id}
                onChange={() => onChoose({ kind: "worker", id: w.id, name: w.name })}
              />
              <span className="choice-label">{w.name}</span>
              <PresencePill presence={w.presence} />
              <span className="choice-meta" title="Load / capacity">
                {w.load}/{w.settings.capacity}
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
