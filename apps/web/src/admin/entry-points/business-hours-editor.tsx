import type { BusinessHours } from "@switchboard/protocol";
import { useId, useMemo } from "react";
import { Field } from "../../shell/ui/form.js";
import { CloseIcon, PlusIcon } from "../../shell/ui/icons.js";
import { type Interval, timeZones, validateBusinessHours, WEEKDAYS } from "./business-hours.js";

/** A week of opening hours in one time zone: per weekday, any number of intervals; none means closed. */
export function BusinessHoursEditor({ value, onChange }: { value: BusinessHours; onChange: (value: BusinessHours) => void }) {
  const listId = useId();
  const zones = useMemo(timeZones, []);
  const errors = validateBusinessHours(value);

  const setDay = (key: string, intervals: Interval[]) => onChange({ ...value, weekly: { ...value.weekly, [key]: intervals } });
  const intervalsOf = (key: string): Interval[] => (value.weekly[key] ?? []).map(([a, b]): Interval => [a, b]);
  const copyMondayToWeekdays = () => {
    const monday = intervalsOf("1");
    onChange({ ...value, weekly: { ...value.weekly, 2: monday, 3: monday, 4: monday, 5: monday } });
  };

  return (
    <div className="hours-editor">
      <Field label="Time zone" error={errors.timeZone} hint="The hours below are in this zone.">
        {(c) => (
          <>
            <input
              id={c.id}
              className="input"
              list={listId}
              value={value.timeZone}
              aria-describedby={c.describedBy}
              aria-invalid={c.invalid}
              onChange={(e) => onChange({ ...value, timeZone: e.target.value })}
            />
            <datalist id={listId}>
              {zones.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <fieldset className="hours-week">
        <legend className="visually-hidden">Opening hours by weekday</legend>
        {WEEKDAYS.map(({ key, label }) => {
          const intervals = intervalsOf(key);
          return (
            <div key={key} className={`hours-day${errors[key] ? " hours-day-invalid" : ""}`}>
              <span className="hours-day-name">{label}</span>
              <div className="hours-day-intervals">
                {intervals.length === 0 ? <span className="hours-closed">Closed</span> : null}
                {intervals.map(([from, to], index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: intervals are edited in place, by position
                  <div key={index} className="hours-interval">
                    <input
                      type="time"
                      className="input input-time"
                      aria-label={`${label} opens`}
                      value={from}
                      onChange={(e) =>
                        setDay(
                          key,
                          intervals.map((iv, i) => (i === index ? [e.target.value, iv[1]] : iv)),
                        )
                      }
                    />
                    <span className="hours-dash" aria-hidden="true">
                      –
                    </span>
                    <input
                      type="time"
                      className="input input-time"
                      aria-label={`${label} closes`}
                      value={to}
                      onChange={(e) =>
                        setDay(
                          key,
                          intervals.map((iv, i) => (i === index ? [iv[0], e.target.value] : iv)),
                        )
                      }
                    />
                    <button
                      type="button"
                      className="icon-btn"
                      aria-label={`Remove ${label} ${from}–${to}`}
                      onClick={() =>
                        setDay(
                          key,
                          intervals.filter((_, i) => i !== index),
                        )
                      }
                    >
                      <CloseIcon size={16} />
                    </button>
                  </div>
                ))}
                {errors[key] ? <span className="field-error">{errors[key]}</span> : null}
              </div>
              <button
                type="button"
                className="btn btn-ghost btn-sm hours-add"
                aria-label={`Add hours on ${label}`}
                onClick={() => setDay(key, [...intervals, nextInterval(intervals)])}
              >
                <PlusIcon size={16} />
                <span className="hours-add-text">Add</span>
              </button>
            </div>
          );
        })}
      </fieldset>
      <button type="button" className="btn btn-ghost btn-sm" onClick={copyMondayToWeekdays}>
        Copy Monday to Tuesday–Friday
      </button>
    </div>
  );
}

/** A sensible next interval: after the last one of the day, or nine to five. */
function nextInterval(intervals: Interval[]): Interval {
  const last = intervals.at(-1);
  if (!last) return ["09:00", "17:00"];
  const hour = Math.min(Number(last[1].slice(0, 2)) + 1, 22);
  const pad = (h: number) => `${String(h).padStart(2, "0")}:00`;
  return [pad(hour), pad(hour + 1)];
}
