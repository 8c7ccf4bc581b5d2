import type { FaqEntry, FaqInput } from "@switchboard/protocol";
import { type FormEvent, useCallback, useState } from "react";
import { useResource } from "../../shell/data/use-resource.js";
import { fieldError } from "../../shell/errors/describe-error.js";
import { useClient } from "../../shell/session/session-context.js";
import { Dialog } from "../../shell/ui/dialog.js";
import { EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { Field, ListEditor } from "../../shell/ui/form.js";
import { BookIcon, PlusIcon, SearchIcon } from "../../shell/ui/icons.js";
import { ConfirmButton } from "../../shell/ui/page.js";
import { searchFaqs } from "./faq-search.js";

type Editing = { kind: "new" } | { kind: "edit"; faq: FaqEntry } | undefined;

/** The knowledge base: questions customers ask and the bot's answers. */
export function FaqPage() {
  const client = useClient();
  const load = useCallback((signal: AbortSignal) => client.knowledge.faqs({ signal }), [client]);
  const { data, error, reload, update } = useResource(load);
  const [query, setQuery] = useState("");
  const [editing, setEditing] = useState<Editing>(undefined);

  const shown = data ? searchFaqs(data, query) : [];
  const addButton = (
    <button type="button" className="btn btn-primary" onClick={() => setEditing({ kind: "new" })}>
      <PlusIcon size={16} /> Add question
    </button>
  );

  return (
    <>
      <div className="toolbar">
        <label className="search">
          <SearchIcon size={16} />
          <input
            type="search"
            className="search-input"
            placeholder="Search questions and answers"
            aria-label="Search the knowledge base"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </label>
        {data ? <span className="muted toolbar-count">{countLabel(shown.length, data.length)}</span> : null}
        <div className="toolbar-end">{addButton}</div>
      </div>
      {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
      {!data && !error ? <SkeletonRows /> : null}
      {data && data.length === 0 ? (
        <EmptyState icon={<BookIcon size={28} />} title="The knowledge base is empty" action={addButton}>
          Add the questions customers ask most: the bot answers them on its own, at any hour.
        </EmptyState>
      ) : null}
      {data && data.length > 0 && shown.length === 0 ? (
        <EmptyState title="No question matches">Try other words, or add the question.</EmptyState>
      ) : null}
      {shown.length > 0 ? (
        <ul className="row-list" aria-label="Questions">
          {shown.map((faq) => (
            <li key={faq.id}>
              <button type="button" className="row-link faq-row" onClick={() => setEditing({ kind: "edit", faq })}>
                <div className="row-main">
                  <div className="row-title">{faq.question}</div>
                  <div className="faq-answer">{faq.answer}</div>
                  {faq.alternatives.length > 0 ? (
                    <div className="row-meta">
                      <span className="row-meta-item">
                        {faq.alternatives.length} other phrasing{faq.alternatives.length === 1 ? "" : "s"}
                      </span>
                    </div>
                  ) : null}
                </div>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <Dialog
        open={editing !== undefined}
        onClose={() => setEditing(undefined)}
        title={editing?.kind === "edit" ? "Edit question" : "Add a question"}
      >
        {editing ? (
          <FaqEditor
            key={editing.kind === "edit" ? editing.faq.id : "new"}
            faq={editing.kind === "edit" ? editing.faq : undefined}
            onCancel={() => setEditing(undefined)}
            onSaved={(saved) => {
              update((faqs) => [...faqs.filter((f) => f.id !== saved.id), saved]);
              setEditing(undefined);
            }}
            onDeleted={(id) => {
              update((faqs) => faqs.filter((f) => f.id !== id));
              setEditing(undefined);
            }}
          />
        ) : null}
      </Dialog>
    </>
  );
}

const countLabel = (shown: number, total: number) =>
  shown === total ? `${total} question${total === 1 ? "" : "s"}` : `${shown} of ${total}`;

function FaqEditor({
  faq,
  onCancel,
  onSaved,
  onDeleted,
}: {
  faq: FaqEntry | undefined;
  onCancel: () => void;
  onSaved: (faq: FaqEntry) => void;
  onDeleted: (id: string) => void;
}) {
  const client = useClient();
  const [question, setQuestion] = useState(faq?.question ?? "");
  const [answer, setAnswer] = useState(faq?.answer ?? "");
  const [alternatives, setAlternatives] = useState<string[]>(faq ? [...faq.alternatives] : []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [showErrors, setShowErrors] = useState(false);

  const missing = { question: question.trim() === "", answer: answer.trim() === "" };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setShowErrors(true);
    if (missing.question || missing.answer) return;
    const input: FaqInput = { question: question.trim(), answer: answer.trim(), alternatives };
    setBusy(true);
    setError(undefined);
    try {
      onSaved(faq ? await client.knowledge.updateFaq(faq.id, input) : await client.knowledge.createFaq(input));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!faq) return;
    setBusy(true);
    try {
      await client.knowledge.deleteFaq(faq.id);
      onDeleted(faq.id);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form className="dialog-form" onSubmit={submit} noValidate>
      <div className="dialog-body stack-sm">
        <Field
          label="Question"
          error={(showErrors && missing.question ? "Write the question." : undefined) ?? fieldError(error, "question")}
        >
          {(c) => (
            <input
              id={c.id}
              className="input"
              value={question}
              aria-describedby={c.describedBy}
              aria-invalid={c.invalid}
              onChange={(e) => setQuestion(e.target.value)}
              maxLength={500}
              placeholder="How long does delivery take?"
            />
          )}
        </Field>
        <Field
          label="Answer"
          hint="What the bot replies, as it should read in the chat."
          error={(showErrors && missing.answer ? "Write the answer." : undefined) ?? fieldError(error, "answer")}
        >
          {(c) => (
            <textarea
              id={c.id}
              className="input textarea"
              rows={5}
              value={answer}
              aria-describedby={c.describedBy}
              aria-invalid={c.invalid}
              onChange={(e) => setAnswer(e.target.value)}
              maxLength={4000}
            />
          )}
        </Field>
        <ListEditor
          label="Other ways to ask"
          values={alternatives}
          onChange={setAlternatives}
          placeholder="When will my bike arrive?"
          hint="Phrasings customers use; they help the bot recognize the question."
        />
        {error ? <ErrorNotice error={error} /> : null}
      </div>
      <footer className="dialog-footer">
        {faq ? <ConfirmButton label="Delete" confirmLabel="Delete question" onConfirm={remove} disabled={busy} /> : null}
        <span className="spacer" />
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : faq ? "Save" : "Add question"}
        </button>
      </footer>
    </form>
  );
}
