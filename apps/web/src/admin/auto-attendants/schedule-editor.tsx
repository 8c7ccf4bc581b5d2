import { CloseIcon, PlusIcon } from "../../shell/ui/icons.js";
import { BusinessHoursEditor } from "../entry-points/business-hours-editor.js";
import type { ScheduleForm } from "./attendant-form.js";
import { type FieldProblem, fieldLabel, messageAt, problemsUnder } from "./field-problems.js";
import "./call-flows.css";

/**
 * When the business is open, in its time zone: weekly hours (the entry points' editor) and holidays, each
 * a local date and a name. The server's problems with the zone and the hours are listed under the week;
 * a holiday's show on its row.
 */
export function ScheduleEditor({
  schedule,
  onChange,
  problems,
}: {
  schedule: ScheduleForm;
  onChange: (schedule: ScheduleForm) => void;
  problems: readonly FieldProblem[];
}) {
  const hoursProblems = [...problemsUnder(problems, "schedule.timeZone"), ...problemsUnder(problems, "schedule.weekly")];
  const setHoliday = (index: number, change: Partial<ScheduleForm["holidays"][number]>) =>
    onChange({ ...schedule, holidays: schedule.holidays.map((h, i) => (i === index ? { ...h, ...change } : h)) });
  const holidaysError = messageAt(problems, "schedule", [
    "schedule.timeZone",
    "schedule.weekly",
    ...schedule.holidays.map((_, i) => `schedule.holidays.${i}`),
  ]);

  return (
    <div className="stack-sm">
      <BusinessHoursEditor
        value={{ timeZone: schedule.timeZone, weekly: schedule.weekly }}
        onChange={(hours) => onChange({ ...schedule, timeZone: hours.timeZone, weekly: hours.weekly as ScheduleForm["weekly"] })}
      />
      {hoursProblems.length > 0 ? (
        <ul className="problem-list field-error" aria-label="Problems with the hours">
          {hoursProblems.map((p) => (
            <li key={`${p.field}:${p.message}`}>
              {fieldLabel(p.field).replace(/^Schedule › /, "")}: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      <fieldset className="field">
        <legend className="field-label">Holidays</legend>
        <p className="field-hint">Closed all day, whatever the weekday: the holiday flow answers.</p>
        {schedule.holidays.length > 0 ? (
          <ul className="holiday-list" aria-label="Holidays">
            {schedule.holidays.map((holiday, index) => {
              const at = `schedule.holidays.${index}`;
              const dateError = messageAt(problems, `${at}.date`);
              const nameError = messageAt(problems, at, [`${at}.date`]);
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: holidays are edited in place, by position (the server's paths too)
                <li key={index}>
                  <div className="holiday-row">
                    <input
                      type="date"
                      className="input"
                      aria-label={`Holiday ${index + 1} date`}
                      aria-invalid={dateError !== undefined}
                      value={holiday.date}
                      onChange={(e) => setHoliday(index, { date: e.target.value })}
                    />
                    <input
                      className="input"
                      aria-label={`Holiday ${index + 1} name`}
                      aria-invalid={nameError !== undefined}
                      value={holiday.name}
                      placeholder="New Year's Day"
                      maxLength={100}
                      onChange={(e) => setHoliday(index, { name: e.target.value })}
                    />
                    <button
                      type="button"
                      className="icon-btn"
                      aria-label={`Remove holiday ${index + 1}`}
                      onClick={() => onChange({ ...schedule, holidays: schedule.holidays.filter((_, i) => i !== index) })}
                    >
                      <CloseIcon size={16} />
                    </button>
                  </div>
                  {dateError || nameError ? (
                    <span className="field-error">{[dateError, nameError].filter(Boolean).join(" ")}</span>
                  ) : null}
                </li>
              );
            })}
          </ul>
        ) : null}
        {holidaysError ? <span className="field-error">{holidaysError}</span> : null}
        <div>
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => onChange({ ...schedule, holidays: [...schedule.holidays, { date: "", name: "" }] })}
          >
            <PlusIcon size={16} /> Add holiday
          </button>
        </div>
      </fieldset>
    </div>
  );
}
