// An uncaught error at the top level (line 2).
throw new Error("boom from the worker");
