"""nginx in front of several forum-live processes, run from a prefix folder of its own (never
the system service), with deploy/nginx/forum-live.conf as it ships, only its ports changed."""
import re
import shutil
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "deploy" / "nginx" / "forum-live.conf"


def site_config(listen_port: int, upstreams: list[str]) -> str:
    """deploy/nginx/forum-live.conf with ``listen`` on 127.0.0.1:``listen_port`` and the
    upstream ``server`` lines replaced by ``upstreams`` (``host:port`` each)."""
    text = SITE.read_text("utf-8")
    servers = "".join(f"    server {u};\n" for u in upstreams)
    text, n = re.subn(r"(?m)^    server 127\.0\.0\.1:\d+;\n(?:    server 127\.0\.0\.1:\d+;\n)*", servers, text)
    if n != 1:
        raise ValueError(f"{SITE}: expected one block of upstream server lines")
    text, n = re.subn(r"(?m)^    listen 80;", f"    listen 127.0.0.1:{listen_port};", text)
    if n != 1:
        raise ValueError(f"{SITE}: expected one 'listen 80;'")
    return text


def main_config(prefix: Path, listen_port: int, upstreams: list[str], connections: int = 8192) -> str:
    """A whole nginx.conf for one worker in ``prefix`` (pid, logs, temp folders there); each
    phone takes two connections (phone side, server side)."""
    import resource

    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    files = 2 * connections + 64 if hard == resource.RLIM_INFINITY else min(hard, 2 * connections + 64)
    return f"""worker_processes 1;
worker_rlimit_nofile {files};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections {connections}; multi_accept on; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
{site_config(listen_port, upstreams)}
}}
"""


def nginx_binary() -> str | None:
    """Path of the nginx binary (Debian's /usr/sbin/nginx), or None."""
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


class Nginx:
    """``nginx -g 'daemon off;'`` in the foreground as our own child process."""

    def __init__(self, prefix: Path, listen_port: int, upstreams: list[str]):
        self.prefix, self.listen_port, self.upstreams = Path(prefix), listen_port, upstreams
        self.error_log = self.prefix / "error.log"
        self.proc = None

    def start(self) -> "Nginx":
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (Debian: apt-get install nginx)")
        self.prefix.mkdir(parents=True, exist_ok=True)
        conf = self.prefix / "nginx.conf"
        conf.write_text(main_config(self.prefix, self.listen_port, self.upstreams), "utf-8")
        self.error_log.touch()
        with open(self.prefix / "stderr.log", "wb") as stderr:
            self.proc = subprocess.Popen([binary, "-p", str(self.prefix), "-c", str(conf), "-g", "daemon off;"],
                                         stdout=subprocess.DEVNULL, stderr=stderr)
        time.sleep(0.2)
        if self.proc.poll() is not None:
            raise RuntimeError("nginx did not start: " + (self.prefix / "stderr.log").read_text(errors="replace")
                               + self.error_log.read_text(errors="replace"))
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
