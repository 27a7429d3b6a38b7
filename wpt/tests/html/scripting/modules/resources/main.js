import { note } from "./log.js";
import { runs } from "./counter.js";
import defaultValue, { named } from "./exports.js";
note("main:" + runs + ":" + defaultValue + ":" + named + ":" + document.readyState + ":" + (document.currentScript === null));
self.mainMeta = import.meta.url;
