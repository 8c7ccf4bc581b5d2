import type { FaqEntry, FaqInput } from "@switchboard/protocol";
import { useCallback, useState } from "react";
import { useResource } from "../../shell/data/use-resource.js";
import { useClient } from "../../shell/session/session-context.js";
import { DialogForm, useEditorForm } from "../../shell/ui/dialog-form.js";
import { AddButton, EditDialog, useEditDialog } from "../../shell/ui/edit-dialog.js";
import { EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { TextField } from "../../shell/ui/fields.js";
import { Field, ListEditor } from "../../shell/ui/form.js";
import { BookIcon, SearchIcon } from "../../shell/ui/icons.js";
import { searchFaqs } from "./faq-search.js";

/** The knowledge base: questions customers ask and the bot's answers. */
export function FaqPage() {
  const client = useClient();
  const load = useCallback((signal: AbortSignal) => client.knowledge.faqs({ signal }), [client]);
  const { data, error, reload, update } = useResource(load);
  const [query, setQuery] = useState("");
  const dialog = useEditDialog<FaqEntry>(update);

  const shown = data ? searchFaqs(data, query) : [];
  const addButton = <AddButton state={dialog} label="Add question" />;

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
              <button type="button" className="row-link faq-row" onClick={() => dialog.openEdit(faq)}>
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
      <EditDialog state={dialog} title={(faq) => (faq ? "Edit question" : "Add a question")}>
        {(faq, handlers) => <FaqEditor faq={faq} {...handlers} />}
      </EditDialog>
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
  const editor = useEditorForm(
    { question: faq?.question ?? "", answer: faq?.answer ?? "", alternatives: faq ? [...faq.alternatives] : [] },
    ({ question, answer }) => {
      const missing: Record<string, string> = {};
      if (question.trim() === "") missing.question = "Write the question.";
      if (answer.trim() === "") missing.answer = "Write the answer.";
      return missing;
    },
  );
  const { form, set } = editor;

  const save = () => {
    const input: FaqInput = { question: form.question.trim(), answer: form.answer.trim(), alternatives: form.alternatives };
    editor.save(async () =>
      onSaved(faq ? await client.knowledge.updateFaq(faq.id, input) : await client.knowledge.createFaq(input)),
    );
  };
  const remove = faq && {
    confirmLabel: "Delete question",
    action: async () => {
      await client.knowledge.deleteFaq(faq.id);
      onDeleted(faq.id);
    },
  };

  return (
    <DialogForm
      onSubmit={save}
      onCancel={onCancel}
      submitLabel={faq ? "Save" : "Add question"}
      submission={editor.submission}
      remove={remove}
    >
      <TextField
        label="Question"
        error={editor.error("question")}
        value={form.question}
        onChange={(question) => set({ question })}
        maxLength={500}
        placeholder="How long does delivery take?"
      />
      <Field label="Answer" hint="What the bot replies, as it should read in the chat." error={editor.error("answer")}>
        {(c) => (
          <textarea
            id={c.id}
            className="input textarea"
            rows={5}
            value={form.answer}
            aria-describedby={c.describedBy}
            aria-invalid={c.invalid}
            onChange={(e) => set({ answer: e.target.value })}
            maxLength={4000}
          />
        )}
      </Field>
      <ListEditor
        label="Other ways to ask"
        values={form.alternatives}
        onChange={(alternatives) => set({ alternatives })}
        placeholder="When will my bike arrive?"
        hint="Phrasings customers use; they help the bot recognize the question."
      />
    </DialogForm>
  );
}
