export const named = "named";
export default "default";
export function add(a, b) { return a + b; }
