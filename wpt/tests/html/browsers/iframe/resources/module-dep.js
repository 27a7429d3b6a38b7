export const value = "from a module of the frame";
