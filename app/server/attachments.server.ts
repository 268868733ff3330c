import type { AttachmentSource } from "~/models/core/outbox.server";
import { renderMinutesAttachment } from "~/models/minutes/mail.server";

/**
 * Renders the attachments the outbox stores as a description (PDFs of the minutes…) when a
 * message is delivered. The outbox is part of models/core and knows no concept; the process
 * hands it this function, which asks each concept that renders attachments in turn.
 */
const renderers = [renderMinutesAttachment];

export async function renderOutboxAttachment(source: AttachmentSource): Promise<Buffer> {
  for (const render of renderers) {
    const rendered = await render(source);
    if (rendered) return rendered;
  }
  throw new Error(`no renderer for ${source.kind} attachments`);
}
