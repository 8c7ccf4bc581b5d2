import type { CallTarget, MenuKey } from "@switchboard/protocol";
import { Field } from "../../shell/ui/form.js";
import { PlusIcon, TrashIcon } from "../../shell/ui/icons.js";
import { AnnouncementField } from "./announcement-field.js";
import {
  ACTIONS,
  type ActionForm,
  type ActionKind,
  emptyMenu,
  type FlowForm,
  MAX_OPTIONS,
  MENU_KEYS,
  type MenuForm,
  menuOf,
  newOption,
  type OptionForm,
} from "./attendant-form.js";
import { MenuView } from "./attendant-view.js";
import { CallTargetPicker } from "./call-target-picker.js";
import { CALL_KINDS, type TargetDirectory } from "./call-targets.js";
import { type FieldProblem, fieldLabel, isUnder, messageAt, problemsUnder } from "./field-problems.js";
import "./call-flows.css";

/** What the menus of an attendant need to know around them. */
export interface MenuContext {
  directory: TargetDirectory;
  problems: readonly FieldProblem[];
  hasOperator: boolean;
  /** The attendant being edited (its own id is no target for itself). */
  autoAttendantId: string | undefined;
}

/** One period's flow: a greeting, then a menu or straight to a target. */
export function FlowEditor({
  flow,
  onChange,
  path,
  context,
}: {
  flow: FlowForm;
  onChange: (flow: FlowForm) => void;
  path: string;
  context: MenuContext;
}) {
  const { problems } = context;
  const set = (change: Partial<FlowForm>) => onChange({ ...flow, ...change });
  return (
    <div className="stack-sm">
      <AnnouncementField
        label="Greeting"
        value={flow.greeting}
        onChange={(greeting) => set({ greeting })}
        path={`${path}.greeting`}
        problems={problems}
        hint="Said first. Leave it empty for none."
        placeholder="Thank you for calling Northwind Bikes."
      />
      <Field
        label="Then"
        error={messageAt(problems, path, [`${path}.greeting`, `${path}.menu`, `${path}.target`])}
        hint={flow.mode === "menu" ? "The caller chooses by key (or by voice)." : "No menu: the call goes on after the greeting."}
      >
        {(c) => (
          <select
            id={c.id}
            className="input select"
            value={flow.mode}
            aria-describedby={c.describedBy}
            aria-invalid={c.invalid}
            onChange={(e) => set({ mode: e.target.value === "target" ? "target" : "menu" })}
          >
            <option value="menu">Offer a menu</option>
            <option value="target">Send the call on</option>
          </select>
        )}
      </Field>
      {flow.mode === "menu" ? (
        <MenuEditor menu={flow.menu} onChange={(menu) => set({ menu })} path={`${path}.menu`} depth={1} context={context} />
      ) : (
        <CallTargetPicker<CallTarget>
          label="Send the call to"
          value={flow.target}
          onChange={(target) => set({ target })}
          kinds={CALL_KINDS}
          directory={context.directory}
          path={`${path}.target`}
          problems={problems}
          excludeAutoAttendantId={context.autoAttendantId}
        />
      )}
    </div>
  );
}

/** A menu's prompt and options. Options of a submenu edit here too; menus deeper than that are shown read-only. */
export function MenuEditor({
  menu,
  onChange,
  path,
  depth,
  context,
}: {
  menu: MenuForm;
  onChange: (menu: MenuForm) => void;
  path: string;
  depth: number;
  context: MenuContext;
}) {
  const { problems, directory } = context;
  const setOption = (index: number, option: OptionForm) =>
    onChange({ ...menu, options: menu.options.map((o, i) => (i === index ? option : o)) });
  const optionPaths = menu.options.map((_, i) => `${path}.options.${i}`);
  const listError = messageAt(problems, path, [`${path}.prompt`, ...optionPaths]);
  const title = depth === 1 ? "Menu" : "Submenu";
  return (
    <div className="menu-editor">
      <AnnouncementField
        label={`${title} prompt`}
        value={menu.prompt}
        onChange={(prompt) => onChange({ ...menu, prompt })}
        path={`${path}.prompt`}
        problems={problems}
        hint="Lists the options; a key interrupts it."
        placeholder="For sales, press 1 or say sales. For support, press 2."
        rows={3}
      />
      {menu.options.length > 0 ? (
        <ol className="menu-options" aria-label={`${title} options`}>
          {menu.options.map((option, index) => (
            <li key={optionPaths[index]}>
              <OptionEditor
                option={option}
                index={index}
                onChange={(o) => setOption(index, o)}
                onRemove={() => onChange({ ...menu, options: menu.options.filter((_, i) => i !== index) })}
                path={`${path}.options.${index}`}
                depth={depth}
                context={context}
              />
            </li>
          ))}
        </ol>
      ) : (
        <p className="field-hint">No options yet: add one per key the caller may press.</p>
      )}
      {menu.options.length > 0 ? (
        <p className="field-hint">
          Spoken phrases, comma separated, are what a caller may say instead of pressing the key (with speech input on).
        </p>
      ) : null}
      {listError ? <p className="field-error">{listError}</p> : null}
      <div>
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => onChange({ ...menu, options: [...menu.options, newOption(menu, directory)] })}
          disabled={menu.options.length >= MAX_OPTIONS}
        >
          <PlusIcon size={16} /> Add option
        </button>
      </div>
    </div>
  );
}

function OptionEditor({
  option,
  index,
  onChange,
  onRemove,
  path,
  depth,
  context,
}: {
  option: OptionForm;
  index: number;
  onChange: (option: OptionForm) => void;
  onRemove: () => void;
  path: string;
  depth: number;
  context: MenuContext;
}) {
  const { problems, directory } = context;
  const action = option.action;
  const setAction = (change: Partial<ActionForm>) => onChange({ ...option, action: { ...action, ...change } });
  const actionPath = `${path}.action`;
  const shownBelow = [`${actionPath}.target`, `${actionPath}.announcement`, `${actionPath}.menu`];
  // One level of submenus edits here; a submenu inside a submenu is shown as it is.
  const canNest = depth < 2;
  const actions = ACTIONS.filter((a) => a.value !== "submenu" || canNest || action.kind === "submenu");
  const legend = `Option ${index + 1}`;
  const invalid = problems.some((p) => isUnder(p.field, path));
  return (
    <fieldset className={`menu-option${invalid ? " menu-option-invalid" : ""}`} aria-label={legend}>
      <div className="menu-option-head">
        <span className="menu-option-title">{legend}</span>
        <button type="button" className="icon-btn" aria-label={`Remove option ${index + 1}`} onClick={onRemove}>
          <TrashIcon size={16} />
        </button>
      </div>
      <div className="menu-option-fields">
        <Field label="Key" error={messageAt(problems, `${path}.key`)}>
          {(c) => (
            <select
              id={c.id}
              className="input select input-mono"
              value={option.key}
              aria-describedby={c.describedBy}
              aria-invalid={c.invalid}
              onChange={(e) => onChange({ ...option, key: e.target.value as MenuKey })}
            >
              {MENU_KEYS.map((key) => (
                <option key={key} value={key}>
                  {key}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Spoken phrases" error={messageAt(problems, `${path}.phrases`)}>
          {(c) => (
            <input
              id={c.id}
              className="input"
              value={option.phrases}
              aria-describedby={c.describedBy}
              aria-invalid={c.invalid}
              onChange={(e) => onChange({ ...option, phrases: e.target.value })}
              placeholder={index === 0 ? "e.g. sales, buy a bike" : undefined}
              autoComplete="off"
            />
          )}
        </Field>
        <Field
          label="Action"
          error={messageAt(problems, actionPath, shownBelow)}
          hint={action.kind === "operator" && !context.hasOperator ? "Set the operator below first." : undefined}
        >
          {(c) => (
            <select
              id={c.id}
              className="input select"
              value={action.kind}
              aria-describedby={c.describedBy}
              aria-invalid={c.invalid}
              onChange={(e) => {
                const kind = e.target.value as ActionKind;
                setAction(kind === "submenu" && !action.menu ? { kind, menu: emptyMenu() } : { kind });
              }}
            >
              {actions.map((a) => (
                <option key={a.value} value={a.value}>
                  {a.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {action.kind === "redirect" ? (
        <CallTargetPicker<CallTarget>
          label="Send to"
          value={action.target}
          onChange={(target) => setAction({ target })}
          kinds={CALL_KINDS}
          directory={directory}
          path={`${actionPath}.target`}
          problems={problems}
          excludeAutoAttendantId={context.autoAttendantId}
        />
      ) : null}
      {action.kind === "announcement" ? (
        <AnnouncementField
          label="Says"
          value={action.announcement}
          onChange={(announcement) => setAction({ announcement })}
          path={`${actionPath}.announcement`}
          problems={problems}
          placeholder="We are open Monday to Friday, nine to five."
        />
      ) : null}
      {action.kind === "submenu" ? (
        canNest ? (
          <div className="submenu">
            <MenuEditor
              menu={action.menu ?? emptyMenu()}
              onChange={(menu) => setAction({ menu })}
              path={`${actionPath}.menu`}
              depth={depth + 1}
              context={context}
            />
          </div>
        ) : (
          <ReadOnlySubmenu menu={action.menu ?? emptyMenu()} path={`${actionPath}.menu`} context={context} />
        )
      ) : null}
    </fieldset>
  );
}

/** A menu nested deeper than the editor goes: shown as it is (kept on publish), with its problems. */
function ReadOnlySubmenu({ menu, path, context }: { menu: MenuForm; path: string; context: MenuContext }) {
  // The form's own conversion, so that what shows is what will be published.
  const published = menuOf(menu);
  const problems = problemsUnder(context.problems, path);
  return (
    <div className="submenu">
      <p className="submenu-title">Another menu (edited with the API; shown as it is, kept when you publish)</p>
      <MenuView menu={published} directory={context.directory} />
      {problems.length > 0 ? (
        <ul className="problem-list field-error">
          {problems.map((p) => (
            <li key={`${p.field}:${p.message}`}>
              {fieldLabel(p.field.slice(path.length + 1))}: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
