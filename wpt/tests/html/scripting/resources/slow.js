self.slowRan = true;
log.push("slow:" + document.currentScript.src.endsWith("slow.js?pipe=trickle(d0.2)") + ":" +
         !!document.getElementById("after-slow"));
