// https://w3c.github.io/hr-time/#sec-domhighrestimestamp
// Needed by Event.timeStamp.

typedef double DOMHighResTimeStamp;
