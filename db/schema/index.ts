export * from "./accounts";
export * from "./bodies";
export * from "./audit";
export * from "./meetings";
export * from "./actions";
export * from "./agendas";
export * from "./minutes";
export * from "./outcomes";
