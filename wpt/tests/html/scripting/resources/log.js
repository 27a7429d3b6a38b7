// Logs this script's "name" query parameter (and whether it is document.currentScript).
(function () {
  const script = document.currentScript;
  const name = new URL(script.src).searchParams.get("name");
  (self.scriptLog = self.scriptLog || []).push(name);
})();
