import { useEffect, useReducer } from "react";
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
  commands?: ToolbarCommands;
  onWant?: () => void;
}

/** What the editor lends the toolbar: its commands, whether each is on, and word of every change (to show it). */
export interface ToolbarCommands {
  run: (command: ToolbarCommand) => void;
  active: (command: ToolbarCommand) => boolean;
  subscribe: (changed: () => void) => () => void;
}

/**
 * The minutes' toolbar: one element from before the editor came to after, so that nothing moves
 * and a button keeps the keyboard's focus across the take-over.
 */
export function MinutesToolbar({ decisions, action, commands, onWant }: MinutesToolbarProps) {
  const { t } = useTranslation("minutes");
  const toolbar = useRovingToolbar<HTMLDivElement>();
  // Drawn again on each of the editor's transactions: a button says whether its format is on where the caret is.
  const [, changed] = useReducer((n: number) => n + 1, 0);
  useEffect(() => commands?.subscribe(changed), [commands]);
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
