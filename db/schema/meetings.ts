import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, instant, updatedAt } from "./columns";
import { users } from "./accounts";
import { bodies, delegations } from "./bodies";

export const meetingFormats = ["in_person", "virtual", "hybrid"] as const;
export type MeetingFormat = (typeof meetingFormats)[number];
export const meetingStatuses = ["draft", "scheduled", "held", "cancelled"] as const;
export type MeetingStatus = (typeof meetingStatuses)[number];

export const meetings = sqliteTable(
  "meetings",
  {
    id: id(),
    bodyId: text("body_id")
      .notNull()
      .references(() => bodies.id, { onDelete: "cascade" }),
    ordinal: integer("ordinal").notNull(),
    /** "2027-Q1" */
    quarter: text("quarter").notNull(),
    /** Optional name beyond "5th meeting". */
    title: text("title"),
    hostDelegationId: text("host_delegation_id").references(() => delegations.id, { onDelete: "restrict" }),
    startsAt: instant("starts_at").notNull(),
    /** The IANA zone the time was set in: what "10:00" meant to the person who set it. */
    timeZone: text("time_zone").notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    format: text("format", { enum: meetingFormats }).notNull(),
    venue: text("venue"),
    link: text("link"),
    status: text("status", { enum: meetingStatuses }).notNull().default("draft"),
    /** iCalendar SEQUENCE: rises with every published change of time, duration, venue or status. */
    sequence: integer("sequence").notNull().default(0),
    /** Set when invitations were first sent; drafts never reach calendars. */
    publishedAt: instant("published_at"),
    organizerName: text("organizer_name"),
    /** SHA-256 of what calendars show (title, time, place, status, shareable agenda titles) as last sent. */
    calendarDigest: text("calendar_digest"),
    organizerEmail: text("organizer_email"),
    /** Optimistic concurrency: every save names the version it started from. */
    version: integer("version").notNull().default(1),
    updatedBy: text("updated_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("meetings_body_start_idx").on(t.bodyId, t.startsAt)],
);

export const invitationResponses = ["accepted", "tentative", "declined", "none"] as const;
export type InvitationResponse = (typeof invitationResponses)[number];

export const invitations = sqliteTable(
  "invitations",
  {
    id: id(),
    meetingId: text("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The delegation the person was invited for (null: the secretariat). */
    delegationId: text("delegation_id").references(() => delegations.id, { onDelete: "set null" }),
    response: text("response", { enum: invitationResponses }).notNull().default("none"),
    respondedAt: instant("responded_at"),
    /** The SEQUENCE the answer was given to; a reschedule raises SEQUENCE and clears the answer. */
    respondedSequence: integer("responded_sequence"),
    /** Where the answer came from: the meeting page, or the person's calendar client (iTIP REPLY). */
    respondedVia: text("responded_via", { enum: ["page", "calendar"] }),
    invitedAt: instant("invited_at").notNull(),
  },
  (t) => [uniqueIndex("invitations_meeting_user_unique").on(t.meetingId, t.userId), index("invitations_user_idx").on(t.userId)],
);

/** Secret calendar-feed addresses. Only the token's hash is stored; the address is shown once. */
export const feedTokens = sqliteTable(
  "feed_tokens",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Null: the person's own feed of all their bodies. Set: the secretariat's feed of one body. */
    bodyId: text("body_id").references(() => bodies.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    lastUsedAt: instant("last_used_at"),
    revokedAt: instant("revoked_at"),
  },
  (t) => [uniqueIndex("feed_tokens_hash_unique").on(t.tokenHash), index("feed_tokens_user_idx").on(t.userId)],
);

export const outboxStates = ["queued", "sending", "sent", "failed"] as const;
export type OutboxState = (typeof outboxStates)[number];

/** One e-mail per recipient; delivered by SMTP when SMTP_URL is set, and kept as the record of what was sent. */
export const outboxMessages = sqliteTable(
  "outbox_messages",
  {
    id: id(),
    bodyId: text("body_id")
      .notNull()
      .references(() => bodies.id, { onDelete: "cascade" }),
    meetingId: text("meeting_id").references(() => meetings.id, { onDelete: "set null" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    /** What the message is about: "invitation", "update", "cancellation", later "minutes.circulated"… */
    kind: text("kind").notNull(),
    toEmail: text("to_email").notNull(),
    toName: text("to_name").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    /** An attachment, when there is one: name, MIME type and content (text, or base64 for binary). */
    attachmentName: text("attachment_name"),
    attachmentType: text("attachment_type"),
    attachmentContent: text("attachment_content"),
    attachmentEncoding: text("attachment_encoding"),
    /**
     * An attachment rendered at delivery rather than stored (a PDF of the minutes): what to
     * render, so no document is rendered while the change that queued it holds the write lock.
     */
    attachmentSource: text("attachment_source", { mode: "json" }).$type<{ kind: string } & Record<string, unknown>>(),
    state: text("state", { enum: outboxStates }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    nextAttemptAt: instant("next_attempt_at").notNull(),
    /**
     * The lease of the deliverer sending it (state "sending"): who holds it and until when.
     * Another instance may take the message over only once the lease has run out (ADR 022).
     */
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: instant("lease_expires_at"),
    sentAt: instant("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [index("outbox_body_created_idx").on(t.bodyId, t.createdAt), index("outbox_state_next_idx").on(t.state, t.nextAttemptAt)],
);

export const counterStates = ["pending", "accepted", "declined"] as const;
export type CounterState = (typeof counterStates)[number];

/** A new time an invitee's calendar client proposed (iTIP COUNTER), for the secretariat to accept or decline. */
export const meetingCounters = sqliteTable(
  "meeting_counters",
  {
    id: id(),
    meetingId: text("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The SEQUENCE the proposal was made against; a later change makes it moot. */
    sequence: integer("sequence").notNull(),
    proposedStart: instant("proposed_start").notNull(),
    proposedDurationMinutes: integer("proposed_duration_minutes").notNull(),
    comment: text("comment"),
    state: text("state", { enum: counterStates }).notNull().default("pending"),
    decidedBy: text("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: instant("decided_at"),
    createdAt: createdAt(),
  },
  (t) => [index("meeting_counters_meeting_idx").on(t.meetingId, t.state)],
);

export const inboundOutcomes = ["applied", "counter", "stale", "unknown-meeting", "not-invited", "sender-mismatch", "cancelled", "unsupported", "unreadable"] as const;
export type InboundOutcome = (typeof inboundOutcomes)[number];

/** Every calendar reply Concord received, with what it did about it: the secretariat's record of the inbound path. */
export const inboundMessages = sqliteTable(
  "inbound_messages",
  {
    id: id(),
    bodyId: text("body_id").references(() => bodies.id, { onDelete: "cascade" }),
    meetingId: text("meeting_id").references(() => meetings.id, { onDelete: "set null" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    messageId: text("message_id"),
    fromEmail: text("from_email"),
    method: text("method"),
    partstat: text("partstat"),
    sequence: integer("sequence"),
    outcome: text("outcome", { enum: inboundOutcomes }).notNull(),
    receivedAt: instant("received_at").notNull(),
  },
  (t) => [index("inbound_body_received_idx").on(t.bodyId, t.receivedAt), uniqueIndex("inbound_message_id_unique").on(t.messageId)],
);
