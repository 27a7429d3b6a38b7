import { afterAwait } from "./tla.js";
self.tlaResult = afterAwait;
