import type { ReactNode } from "react";
import { Marking } from "~/components/marking";

/**
 * The marking of a live document, right above its editor (ADR 037): the label in FIRST's colours
 * on black (DESIGN.md) and who the text is for, so nobody types for the wrong audience.
 */
export function LiveMarking({ marking, children }: { marking: string; children: ReactNode }) {
  const tone = marking.replace("TLP:", "").replace("+", "-");
  return (
    <div className={`live-marking live-marking--${tone}`} role="note" data-marking={marking}>
      <Marking value={marking} />
      <div className="live-marking__text">{children}</div>
    </div>
  );
}
