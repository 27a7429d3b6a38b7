import "lodash";
self.bareRan = true;
