import type { ReactNode } from "react";

/** A TLP label: its colour on black, as FIRST's standard asks, with the words always shown. */
export function Marking({ value }: { value: string }) {
  const tone = value.replace("TLP:", "").replace("+", "-");
  return <span className={`tlp tlp--${tone}`}>{value}</span>;
}

/** A page's highest marking at the top and bottom of its content. */
export function MarkedPage({ marking, children }: { marking: string; children: ReactNode }) {
  return (
    <>
      <div className="marking-bar" role="note">
        <Marking value={marking} />
      </div>
      {children}
      <div className="marking-bar marking-bar--bottom" role="note">
        <Marking value={marking} />
      </div>
    </>
  );
}
