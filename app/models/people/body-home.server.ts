import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { getHome } from "~/models/home/home.server";
import { getProfile } from "~/models/people/accounts.server";
import { getBodyContext } from "~/models/people/bodies.server";
import { nextMeeting } from "~/models/meetings/meetings.server";

/** What a body's start page shows its member, "Waiting for you" included. */
export async function getBodyHome({ actor, slug, now = new Date() }: { actor: Actor; slug: string; now?: Date }) {
  const context = await getBodyContext({ actor, slug });
  const [upcoming, profile, home] = await Promise.all([nextMeeting(db(), context.body.id, now), getProfile(actor.id), getHome({ actor, now, onlyBodyId: context.body.id })]);
  return { ...context, upcoming, viewerZone: profile!.effectiveTimeZone, waiting: home.bodies[0]?.waiting ?? [] };
}
