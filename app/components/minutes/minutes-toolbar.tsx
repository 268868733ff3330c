import { useTranslation } from "~/components/i18n";
import { useRovingToolbar } from "~/components/ui/use-roving-toolbar";

/** The formatting buttons, in their order, with what each shows. */
const FORMATS = [
  { name: "bold", text: "B" },
  { name: "italic", text: "I" },
  { name: "heading", text: "H2" },
  { name: "subheading", text: "H3" },
  { name: "bulletList", text: "•" },
  { name: "orderedList", text: "1." },
  { name: "quote", text: "❝" },
] as const;

export type ToolbarCommand = (typeof FORMATS)[number]["name"] | "decision" | "action";

export interface MinutesToolbarProps {
  /** Whether "Decision" is offered (the minutes' register; not the annex). */
  decisions: boolean;
  /** Whether "Action item" is offered. */
  action: boolean;
  /**
   * The editor's commands. Absent in the live view before the editor has come (ADR 056): the
   * same toolbar is drawn, so the text does not move when the editor takes over, and a press on
   * it starts the editor (`onWant`) without acting yet.
   */
  commands?: { run: (command: ToolbarCommand) => void; active: (command: ToolbarCommand) => boolean };
  onWant?: () => void;
}

/** The minutes' toolbar, for the editor and, until it has come, for the live view. */
export function MinutesToolbar({ decisions, action, commands, onWant }: MinutesToolbarProps) {
  const { t } = useTranslation("minutes");
  const toolbar = useRovingToolbar<HTMLDivElement>();
  const press = (command: ToolbarCommand) => (commands ? commands.run(command) : onWant?.());
  const waiting = commands ? undefined : "true";
  return (
    <div className="rich-text__toolbar" role="toolbar" aria-label={t("editor.toolbar")} ref={toolbar.ref} onKeyDown={toolbar.onKeyDown}>
      {FORMATS.map((b) => {
        const label = t(`editor.${b.name}`);
        return (
          <button key={b.name} type="button" className="rich-text__button" title={label} aria-pressed={commands?.active(b.name) ?? false} aria-disabled={waiting} onClick={() => press(b.name)}>
            <span aria-hidden="true">{b.text}</span>
            <span className="visually-hidden">{label}</span>
          </button>
        );
      })}
      {decisions ? (
        <button type="button" className="button button--small" title={t("editor.decisionHint")} aria-disabled={waiting} onClick={() => press("decision")}>
          {t("editor.decision")}
        </button>
      ) : null}
      {action ? (
        <button type="button" className="button button--small" title={t("editor.actionHint")} aria-disabled={waiting} onClick={() => press("action")}>
          {t("editor.action")}
        </button>
      ) : null}
    </div>
  );
}
