import "~/components/every-page";
import { CapitalTimes } from "~/components/meetings/capital-times";
import { AgendaZonePicker } from "./zone-picker";

/**
 * The agenda's "when" card, hydrated when needed (ADR 053): the meeting's time in each capital
 * is text that changes only with the meeting, and the zone picker is a plain GET form that works
 * before its code is here. The route renders them through `hydrateWhenNeeded`.
 */
export { CapitalTimes, AgendaZonePicker };
