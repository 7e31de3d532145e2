/** Staff tokens, roles and scopes (architecture.md: core/staff). */
export * from "./tokens.js";
export * from "./scope.js";
