import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formConstraints, LIMITS, optionalText } from "~/lib/validation";

describe("formConstraints", () => {
  it("reads each field's limits from the zod schema the model validates with", () => {
    const schema = z.object({
      title: z.string().trim().min(1).max(LIMITS.title),
      venue: optionalText(500),
      minutes: z.coerce.number().int().min(0).max(600),
      description: z.string().max(LIMITS.text).default(""),
    });
    expect(formConstraints(schema)).toEqual({
      title: { required: true, minLength: 1, maxLength: 300 },
      venue: { maxLength: 500 },
      minutes: { required: true, min: 0, max: 600 },
      description: { maxLength: 20_000 },
    });
  });

  it("merges the parts of a schema built with .and() and keeps refinements out of the way", () => {
    const schema = z
      .object({ password: z.string().min(12).max(LIMITS.password), confirm: z.string().max(LIMITS.password) })
      .refine((v) => v.password === v.confirm, { path: ["confirm"] })
      .and(z.object({ version: z.coerce.number().int().min(1) }));
    expect(formConstraints(schema)).toEqual({
      password: { required: true, minLength: 12, maxLength: 200 },
      confirm: { required: true, maxLength: 200 },
      version: { required: true, min: 1 },
    });
  });
});
