import { describe, expect, it } from "vitest";
import { cookieFor, createCast } from "#tests/factories";
import { newRequestMemo, runInRequestScope } from "~/lib/request-scope.server";
import { findMembership } from "~/models/core/access.server";
import { db } from "~/lib/db.server";
import { getProfile, updatePreferences } from "~/models/people/accounts.server";
import { requireUser } from "~/models/people/current-user.server";

/**
 * One request, one lookup of the session, the profile and each membership (ADR 032), however
 * many loaders ask — Remix gives each loader its own Request, which is why a cache keyed on the
 * Request never hit — and nothing stale after the request wrote.
 */

const page = (cookie: string) => new Request("http://localhost/bodies/x", { headers: { cookie } });

describe("the per-request memo", () => {
  it("looks the session, profile and membership up once for several loaders' Requests", async () => {
    const cast = await createCast();
    const cookie = await cookieFor(cast.delegate.user.id);
    const memo = newRequestMemo();
    await runInRequestScope(memo, async () => {
      // The root loader, the layout and the page: three Request objects for one request.
      for (let i = 0; i < 3; i++) {
        const user = await requireUser(page(cookie));
        await getProfile(user.id);
        await findMembership(db(), user.id, cast.body.body.id);
      }
    });
    // findSession (1, its row is the profile's too), the memberships with their bodies and
    // capitals (1: the membership and the profile's zone) — ADR 040.
    expect(memo.queries).toBe(2);
  });

  it("reads again after the request changed something", async () => {
    const cast = await createCast();
    const cookie = await cookieFor(cast.delegate.user.id);
    await runInRequestScope(newRequestMemo(), async () => {
      const user = await requireUser(page(cookie));
      expect((await getProfile(user.id))?.locale).toBeNull();
      await updatePreferences({ actor: user, input: { name: "Renamed", locale: "ja", timeZone: "" } });
      // The loaders that run after an action see what the action wrote.
      expect(await getProfile(user.id)).toMatchObject({ locale: "ja", name: "Renamed" });
      expect((await requireUser(page(cookie))).locale).toBe("ja");
    });
  });

  it("keeps requests apart", async () => {
    const cast = await createCast();
    const delegate = await cookieFor(cast.delegate.user.id);
    const head = await cookieFor(cast.head.user.id);
    const [a, b] = await Promise.all([
      runInRequestScope(newRequestMemo(), () => requireUser(page(delegate))),
      runInRequestScope(newRequestMemo(), () => requireUser(page(head))),
    ]);
    expect(a.id).toBe(cast.delegate.user.id);
    expect(b.id).toBe(cast.head.user.id);
  });
});
