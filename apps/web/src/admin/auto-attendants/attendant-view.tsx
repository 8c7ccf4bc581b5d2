import type { AttendantFlow, AutoAttendant, Menu } from "@switchboard/protocol";
import { summarizeBusinessHours } from "../entry-points/business-hours.js";
import { announcementText } from "./announcement.js";
import { describeAction } from "./attendant-form.js";
import { describeTarget, type TargetDirectory } from "./call-targets.js";
import "./call-flows.css";

/** A menu read-only: each key, its words and what it does; submenus nested. */
export function MenuView({ menu, directory }: { menu: Menu; directory: TargetDirectory }) {
  return (
    <div className="flow-view">
      <p className="flow-view-quote">“{announcementText(menu.prompt)}”</p>
      <ul className="menu-view">
        {menu.options.map((option) => (
          <li key={option.key}>
            <span className="menu-key">{option.key}</span>
            {option.phrases.length > 0 ? <span className="muted">“{option.phrases.join("”, “")}” · </span> : null}
            {describeAction(option.action, directory)}
            {option.action.kind === "submenu" ? <MenuView menu={option.action.menu} directory={directory} /> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function FlowView({ flow, directory }: { flow: AttendantFlow; directory: TargetDirectory }) {
  return (
    <div className="flow-view">
      {flow.greeting ? (
        <p>
          Greeting: <span className="flow-view-quote">“{announcementText(flow.greeting)}”</span>
        </p>
      ) : null}
      {flow.menu ? <MenuView menu={flow.menu} directory={directory} /> : null}
      {flow.target ? <p>Then: {describeTarget(flow.target, directory)}</p> : null}
    </div>
  );
}

/** A published version, read-only: what callers heard while it was the current one. */
export function AttendantView({ attendant, directory }: { attendant: AutoAttendant; directory: TargetDirectory }) {
  const schedule = attendant.schedule;
  return (
    <dl className="details attendant-view">
      <dt>Name</dt>
      <dd>{attendant.name}</dd>
      <dt>Voice</dt>
      <dd>{attendant.voice ?? "Default"}</dd>
      <dt>Schedule</dt>
      <dd>
        {schedule ? (
          <>
            {summarizeBusinessHours(schedule)} ({schedule.timeZone})
            {schedule.holidays.length > 0 ? (
              <div className="muted">
                Holidays: {schedule.holidays.map((h) => `${h.date}${h.name ? ` ${h.name}` : ""}`).join(", ")}
              </div>
            ) : null}
          </>
        ) : (
          "Business hours around the clock"
        )}
      </dd>
      <dt>Business hours</dt>
      <dd>
        <FlowView flow={attendant.businessHours} directory={directory} />
      </dd>
      <dt>After hours</dt>
      <dd>{attendant.afterHours ? <FlowView flow={attendant.afterHours} directory={directory} /> : "A short closed message"}</dd>
      <dt>Holidays</dt>
      <dd>{attendant.holiday ? <FlowView flow={attendant.holiday} directory={directory} /> : "The after-hours flow"}</dd>
      <dt>Operator</dt>
      <dd>{attendant.operator ? describeTarget(attendant.operator, directory) : "None"}</dd>
      <dt>Speech input</dt>
      <dd>{attendant.speechInput ? "On" : "Off"}</dd>
      <dt>No input</dt>
      <dd>
        {attendant.noInput.retries} retries, then {describeTarget(attendant.noInput.target, directory)}
      </dd>
      <dt>Invalid input</dt>
      <dd>
        {attendant.invalidInput.retries} retries, then {describeTarget(attendant.invalidInput.target, directory)}
      </dd>
    </dl>
  );
}
