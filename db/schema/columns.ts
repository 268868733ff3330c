import { integer, text } from "drizzle-orm/sqlite-core";
import { newId } from "../ids";

/** A random, URL-safe primary key: ids never reveal how many records exist. */
export const id = () =>
  text("id")
    .primaryKey()
    .$defaultFn(() => newId());

/** Instants are stored as UTC milliseconds. */
export const instant = (name: string) => integer(name, { mode: "timestamp_ms" });

export const createdAt = () =>
  instant("created_at")
    .notNull()
    .$defaultFn(() => new Date());

export const updatedAt = () =>
  instant("updated_at")
    .notNull()
    .$defaultFn(() => new Date())
    .$onUpdateFn(() => new Date());
