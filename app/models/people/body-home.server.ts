import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { getHome } from "~/models/home/home.server";
import { getProfile } from "~/models/people/accounts.server";
import { getBodyContext } from "~/models/people/bodies.server";
import { nextAmong } from "~/models/meetings/meetings.server";
import { meetingsOfBody } from "~/models/core/scope.server";

/** What a body's start page shows its member, "Waiting for you" included. */
export async function getBodyHome({ actor, slug, now = new Date() }: { actor: Actor; slug: string; now?: Date }) {
  const context = await getBodyContext({ actor, slug });
  // The next meeting from the request's one read of the body's meetings (ADR 044).
  const [upcoming, profile, home] = await Promise.all([
    meetingsOfBody(db(), context.body.id, actor.id).then((list) => nextAmong(list, now)),
    getProfile(actor.id),
    getHome({ actor, now, onlyBodyId: context.body.id }),
  ]);
  return { ...context, upcoming, viewerZone: profile!.effectiveTimeZone, waiting: home.bodies[0]?.waiting ?? [] };
}
