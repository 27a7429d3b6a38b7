"""The WPT server's Python side: runs a checkout's own `*.py` handlers in real wptserve.

Started by the Rust server (wpt/src/python.rs) on the first request for a `.py` path, with
the test root and a JSON description of the Rust server's hosts and ports. It serves two
loopback ports without TLS, one whose requests wptserve sees as `http` and one as `https`
(the Rust server terminates TLS and forwards each request to the matching one, Host header
unchanged), so `request.url_parts`, `request.server.config` and `stash` behave as upstream.
It prints `READY <http-port> <https-port>` once listening, and exits when its standard input
closes (the Rust server went away).

The checkout's own `tools/wptserve` is used through `tools/localpaths.py`, as `./wpt serve`
does; a root without `tools/` uses the `wptserve` package of the Python environment.
"""

import json
import logging
import os
import sys


def main():
    root = os.path.abspath(sys.argv[1])
    described = json.loads(sys.argv[2])
    tools = os.path.join(root, "tools")
    if os.path.isdir(os.path.join(tools, "wptserve")):
        sys.path.insert(0, tools)
        sys.path.insert(0, root)
        import localpaths  # noqa: F401 (puts tools/third_party on the path)

    from wptserve import config as wconfig
    from wptserve import handlers, server, stash
    from wptserve.router import any_method

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logger = logging.getLogger("wpt-sidecar")

    ports = {
        "http": described["http_ports"],
        "https": described["https_ports"],
        "ws": [],
        "wss": [],
        "h2": [],
    }
    class Builder(wconfig.ConfigBuilder):
        # TLS ends in the Rust server, so wptserve's SSL type is "none"; its HTTPS ports
        # still exist (wptserve would drop them without SSL).
        def _get_ports(self, data):
            return {scheme: list(p) for scheme, p in data["ports"].items()}

    builder = Builder(
        logger,
        subdomains=set(described["subdomains"]),
        not_subdomains={"nonexistent"},
        browser_host=described["browser_host"],
        alternate_hosts={"alt": described["alt_host"]},
        doc_root=root,
        ports=ports,
        ssl={"type": "none"},
    )
    config = builder.__enter__()

    # As tools/serve: every *.py file, and the origin policy manifest (a Python script
    # without the extension).
    routes = [
        ("GET", "/.well-known/origin-policy", handlers.python_script_handler),
        (any_method, "*.py", handlers.python_script_handler),
    ]
    # The stash handlers share lives in a manager process; leaving this block shuts it
    # down, so nothing outlives this process.
    with stash.StashServer(("127.0.0.1", 0), authkey=os.urandom(16)):
        servers = []
        for scheme in ("http", "https"):
            httpd = server.WebTestHttpd(
                host="127.0.0.1",
                port=0,
                doc_root=root,
                routes=routes,
                config=config,
            )
            # TLS ends in the Rust server: this one only tells handlers the scheme.
            httpd.httpd.scheme = scheme
            httpd.start()
            servers.append(httpd)
        print("READY %d %d" % (servers[0].port, servers[1].port), flush=True)
        # The Rust server holds our standard input: when it closes, we stop.
        while sys.stdin.buffer.read(4096):
            pass
        for httpd in servers:
            httpd.stop()
    sys.stdout.flush()
    os._exit(0)

if __name__ == "__main__":
    main()
