/**
 * Words the schema and the application share: the database's enums and the rules and forms
 * that use them are the same lists. Kept free of imports so the browser bundle can use it.
 */

/** Roles are held per membership (user × body × delegation). */
export const roles = ["secretariat", "head", "delegate", "official"] as const;
export type Role = (typeof roles)[number];

/** Traffic Light Protocol 2.0 labels, least to most restricted. */
export const markings = ["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"] as const;
export type Marking = (typeof markings)[number];
