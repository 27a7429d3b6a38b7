import { fromB } from "./cycle-a.js";
import { fromA } from "./cycle-b.js";
self.cycleResult = fromA() + fromB();
