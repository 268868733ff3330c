import { Link, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState, type ComponentProps } from "react";
import { useTranslation } from "~/components/i18n";
import { loadWhenRendered } from "~/components/ui/load-when-rendered";
import type { ProposeForm as ProposeFormType } from "./agenda-item-form";

const loadForms = () => import("./agenda-item-form");
// The form comes on the first click (ADR 058): the page carries only the button. Pointing at or
// focusing the button fetches it already; a click whose fetch fails (offline) does nothing, and
// the next one tries again.
const ProposeForm = loadWhenRendered(() => loadForms().then((m) => m.ProposeForm));
const prefetch = () => void loadForms().catch(() => undefined);

type FormProps = Omit<ComponentProps<typeof ProposeFormType>, "titleId" | "focusOnOpen" | "onPage" | "onClose">;

/**
 * "Propose an item": a button that opens the proposal form in place. Without JavaScript the
 * button is a link to `?propose=1`, where the server renders the form (as `?confirm=` does for
 * a confirmation, ADR 052), and the form posts to that page. Escape or Cancel closes it and
 * focus returns to the button.
 */
export function ProposeItem(props: FormProps) {
  const { t } = useTranslation("agenda");
  const [params] = useSearchParams();
  const onPage = params.get("propose") === "1";
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLAnchorElement>(null);
  const returnFocus = useRef(false);
  const shown = open || onPage;

  const withIt = new URLSearchParams(params);
  withIt.set("propose", "1");

  useEffect(() => {
    if (shown || !returnFocus.current) return;
    returnFocus.current = false;
    button.current?.focus();
  }, [shown]);

  const close = () => {
    returnFocus.current = true;
    setOpen(false);
  };

  return (
    <section className={shown ? "card no-print" : "no-print"} aria-labelledby="propose-title" style={{ marginTop: "1rem" }}>
      {shown ? (
        <ProposeForm {...props} titleId="propose-title" focusOnOpen={open} onPage={onPage} onClose={close} />
      ) : (
        <>
          <h2 id="propose-title" className="visually-hidden">
            {t("items.add")}
          </h2>
          {props.notice}
          <Link
            ref={button}
            to={`?${withIt}`}
            role="button"
            className="button button--primary"
            preventScrollReset
            onPointerEnter={prefetch}
            onFocus={prefetch}
            onClick={(event) => {
              event.preventDefault();
              // Opened only once its code is here: offline the page stays as it was.
              loadForms().then(
                () => setOpen(true),
                () => undefined,
              );
            }}
          >
            {t("items.add")}
          </Link>
        </>
      )}
    </section>
  );
}
