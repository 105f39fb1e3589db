"""A real OpenID Connect provider for the SSO tests: node-oidc-provider (npm; server.mjs and
the package-lock.json beside this file; ``bin/ensure-test-services`` runs ``npm ci`` here),
started on 127.0.0.1 in a child process by the ``oidc_idp`` fixture (tests/idp/oidc/fixtures.py).

``OidcIdp(folder, clients, accounts).start()`` writes the configuration, starts
``node server.mjs`` and waits for its "listening <issuer>" line; ``stop()`` ends it.
When node or the npm packages are missing, ``why_unavailable()`` says so and the fixture skips.
"""

import json
import shutil
import subprocess
import threading
import time
from pathlib import Path

HERE = Path(__file__).parent
SERVER = HERE / "server.mjs"
START_TIMEOUT = 20


def why_unavailable():
    """Why the provider cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed (Node 20 or later runs tests/idp/oidc/server.mjs)"
    if not (HERE / "node_modules" / "oidc-provider" / "package.json").is_file():
        return "the test IdP's npm packages are missing: run bin/ensure-test-services"
    return None


class OidcIdp:
    def __init__(self, folder, clients, accounts):
        self.folder = Path(folder)
        self.clients = clients
        self.accounts = accounts
        self.process = None
        self.issuer = None
        self.output = []

    def start(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "oidc-idp.json"
        config.write_text(json.dumps({"clients": self.clients, "accounts": self.accounts}))
        self.process = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
            [shutil.which("node"), str(SERVER), str(config)],
            cwd=HERE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        found = threading.Event()

        def read():
            for line in self.process.stdout:
                self.output.append(line.rstrip())
                if line.startswith("listening "):
                    self.issuer = line.split(" ", 1)[1].strip()
                    found.set()

        threading.Thread(target=read, daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT
        while not found.wait(0.1):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("The test OIDC provider did not start:\n" + self.log())
        return self

    def log(self):
        return "\n".join(self.output)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
