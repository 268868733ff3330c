import { Link, useLocation, useSearchParams } from "@remix-run/react";
import { useId, useRef, useState } from "react";
import type { ConfirmDialogProps } from "./confirm-form";
import { loadWhenRendered } from "./load-when-rendered";

const loadForm = () => import("./confirm-form").then((m) => m.ConfirmForm);
// The form itself comes when the dialog first opens (or with the confirmation page): the page
// carries only the button (ADR 052). Pointing at or focusing the button fetches it already.
const ConfirmForm = loadWhenRendered(loadForm);
// A failed fetch (offline) is tried again by the click.
const prefetch = () => void loadForm().catch(() => undefined);

/**
 * A step that cannot be undone, or that mails three governments, asks first and takes a reason.
 * With JavaScript it is a native modal `<dialog>` (focus moves in, Escape closes, focus returns
 * to the button). Without it, the button is a link to `?confirm=<name>`, where the same form
 * shows in the page: a confirmation page. Where a reason is required the model refuses the step
 * without one, however the request was made.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { name, trigger, danger, disabled } = props;
  const [params] = useSearchParams();
  const location = useLocation();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // Each click asks the form to open the dialog; 0 until the first (nothing of the form before).
  const [asked, setAsked] = useState(0);
  const onPage = params.get("confirm") === name;

  const close = new URLSearchParams(params);
  close.delete("confirm");
  const closeHref = `${location.pathname}${close.size ? `?${close}` : ""}`;
  const open = new URLSearchParams(params);
  open.set("confirm", name);
  const form = <ConfirmForm {...props} titleId={titleId} onPage={onPage} closeHref={closeHref} dialog={dialog} asked={asked} />;

  if (onPage) {
    // The confirmation page (no JavaScript, or a shared link): the form in place of the button.
    return (
      <section className="confirm confirm--page card" role="region" aria-labelledby={titleId}>
        {form}
      </section>
    );
  }
  const className = danger ? "button button--danger button--wrap" : "button button--primary button--wrap";
  return (
    <>
      <Link
        to={`?${open}`}
        role="button"
        aria-disabled={disabled || undefined}
        className={className}
        preventScrollReset
        onPointerEnter={prefetch}
        onFocus={prefetch}
        onClick={(event) => {
          if (disabled) return event.preventDefault();
          if (!dialog.current?.showModal) return;
          event.preventDefault();
          // Rendered only once its code is here: offline, a failed load leaves the page as it was
          // (the minutes editor included) instead of throwing to the error page.
          loadForm().then(
            () => setAsked((n) => n + 1),
            () => undefined,
          );
        }}
      >
        {trigger}
      </Link>
      <dialog ref={dialog} className="confirm" aria-labelledby={titleId}>
        {asked ? form : null}
      </dialog>
    </>
  );
}
