log.push("defer:" + document.readyState + ":" + (document.currentScript && document.currentScript.defer));
