import { note } from "./log.js";
note("counter:" + import.meta.url.split("/").pop());
export let runs = (self.counterRuns = (self.counterRuns || 0) + 1);
