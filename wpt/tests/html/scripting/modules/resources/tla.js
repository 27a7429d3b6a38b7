await new Promise(resolve => setTimeout(resolve, 10));
export const afterAwait = "awaited";
