import { useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";

/**
 * After a form is submitted and its answer rendered, focus moves to what the answer says: an
 * error (role=alert), else a confirmation (role=status), else the page's heading. Without this,
 * focus falls to <body> and a keyboard or screen-reader user has to hunt for the result.
 * A dialog that is still open (its form showed an error) keeps the focus it manages itself.
 */
export function useFocusAfterSubmit() {
  const navigation = useNavigation();
  const submitted = useRef(false);
  useEffect(() => {
    // Any form, GET (a search, filters) or POST: both carry formData while under way.
    if (navigation.state !== "idle" && navigation.formData) submitted.current = true;
    if (navigation.state !== "idle" || !submitted.current) return;
    submitted.current = false;
    const frame = requestAnimationFrame(() => {
      if (document.querySelector("dialog[open]")) return;
      const main = document.getElementById("main");
      if (!main) return;
      const active = document.activeElement;
      // A control that kept focus inside the page (a field with its own error) stays where it is.
      if (active && active !== document.body && main.contains(active) && active.getAttribute("aria-invalid") === "true") return;
      const target = main.querySelector<HTMLElement>('[role="alert"]') ?? main.querySelector<HTMLElement>('[role="status"]:not(:empty)') ?? main.querySelector<HTMLElement>("h1");
      if (!target) return;
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [navigation.state]);
}
