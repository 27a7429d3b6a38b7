(self.scriptLog = self.scriptLog || []).push("throws");
throw new Error("thrown by throws.js");
