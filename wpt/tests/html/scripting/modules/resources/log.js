// Shared by the module tests: every module appends to self.moduleLog when it runs.
export function note(entry) {
  (self.moduleLog ||= []).push(entry);
}
