import { b } from "./cycle-b.js";
export const a = "a";
export function fromB() { return b; }
