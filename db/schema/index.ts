export * from "./accounts";
export * from "./bodies";
export * from "./audit";
export * from "./meetings";
export * from "./actions";
