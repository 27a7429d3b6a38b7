export const value = "dynamic";
export const meta = import.meta.url;
