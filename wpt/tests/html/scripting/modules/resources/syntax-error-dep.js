import "./syntax-error.js";
self.syntaxErrorDepRan = true;
