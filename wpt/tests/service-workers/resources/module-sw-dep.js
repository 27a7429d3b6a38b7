export const greeting = "hello from a module";
