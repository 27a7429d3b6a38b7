import "./not-javascript.txt";
self.wrongMimeRan = true;
