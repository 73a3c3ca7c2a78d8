"""Nidaa under load: its servers, and clients that speak ``docs/protocol.md``.

Two targets: Nidaa as it ships (one Daphne process, SQLite, in-memory channel
layer) and scaled out (two Daphne processes, Redis channel layer and cache,
PostgreSQL, behind nginx with ``docs/nginx-nidaa.conf`` when nginx is
installed). Each scenario gets a fresh copy of a database prepared once per run
(migrate, ``demo_setup``, ``bench.seed``), so one scenario's conversations never
wait in the next one's queue.

Citizens are the widget: ``/ws/chat/`` opened with ``start`` (the pre-chat form
on the socket: ``started``, ``welcome``), ``message``/``ack``, and after a
reconnect ``hello`` with the token and ``last_seq``. Every citizen comes from a
loopback address of its own (the server limits per address).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import secrets
import shutil
import subprocess
import urllib.parse
from pathlib import Path
from typing import Any

from bench.clients import CONNECT_TIMEOUT, Endpoint, http_call, open_socket
from bench.procs import (
    PYTHON,
    REPO,
    Server,
    base_env,
    free_port,
    nidaa_web_argv,
    spawn,
    wait_listening,
)
from bench.seed import AGENT_PASSWORD, agent_username
from bench.stats import now_ns
from bench.worker import Kind, LoadWorker, register_kind

BENCH_TEXT = "bench"
# whether the agent console's socket (issue 4) is there to speak to
AGENT_SOCKET = True


def chat_text(stream: str, seq: int, sent_at_ns: int) -> str:
    return f"{BENCH_TEXT} {stream} {seq} {sent_at_ns}"


def parse_chat_text(text: str) -> tuple[str, int, int] | None:
    parts = text.split(" ")
    if len(parts) != 4 or parts[0] != BENCH_TEXT:
        return None
    return parts[1], int(parts[2]), int(parts[3])


# ---- citizens: the widget ------------------------------------------------------------------


class NidaaCitizen(Endpoint):
    role = "citizen"

    def __init__(self, *, worker: LoadWorker, url: str, origin: str, index: int) -> None:
        super().__init__(url=url, source_ip=worker.source_ip("citizen", index), sink=worker.on_chat)
        self.worker = worker
        self.origin = origin
        self.index = index
        self.token = ""
        self.conversation = ""
        self.first_frame_ns = 0  # when this connection's start or hello left
        self.state = ""
        self.last_seq = 0
        self.replayed = 0  # a seq the server sent again on the same connection: must stay 0
        self.errors: dict[str, int] = {}
        self.welcome: asyncio.Future[None] | None = None
        self.assigned: asyncio.Event = asyncio.Event()
        self.message_ids = itertools.count(1)
        self.pending_acks: dict[str, int] = {}

    async def start(self) -> None:
        """The pre-chat form on the socket, as the widget sends it; ``started`` brings the token."""
        await self._greet({"type": "start", "name": f"Bench {self.index}", "language": "ar"})

    async def connect(self) -> None:
        await self._greet({"type": "hello", "token": self.token, "last_seq": self.last_seq})

    async def _greet(self, first: dict[str, Any]) -> None:
        """Open the socket, send ``first`` (``start`` or ``hello``), wait for ``welcome``."""
        self.ws = await open_socket(self.url, source_ip=self.source_ip, origin=self.origin)
        self.welcome = asyncio.get_running_loop().create_future()
        self.reader = asyncio.create_task(self._read(self.ws))
        self.first_frame_ns = now_ns()
        await self.send_json(first)
        await asyncio.wait_for(self.welcome, CONNECT_TIMEOUT)

    def on_frame(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind == "message":
            message = frame["message"]
            if message["seq"] <= self.last_seq:
                self.replayed += 1
                return
            self.last_seq = message["seq"]
            if message["sender"] == "agent":
                parsed = parse_chat_text(message.get("text", ""))
                if parsed is not None:
                    self.sink(*parsed)
            elif message["sender"] == "system" and message.get("event") == "assigned":
                self.assigned.set()
        elif kind == "started":
            self.token, self.conversation = frame["token"], frame["conversation"]
        elif kind == "welcome":
            self.state = frame["state"]
            if self.state == "assigned":
                self.assigned.set()
            if self.welcome is not None and not self.welcome.done():
                self.welcome.set_result(None)
        elif kind == "state":
            self.state = frame["state"]
            if self.state == "assigned":
                self.assigned.set()
        elif kind == "ack":
            sent = self.pending_acks.pop(frame["client_msg_id"], None)
            if sent is not None:
                self.worker.ack_latency.record_ns(now_ns() - sent)
        elif kind == "error":
            code = str(frame.get("code"))
            self.errors[code] = self.errors.get(code, 0) + 1
            if frame.get("frame") == "message":
                self.worker.refused[code] = self.worker.refused.get(code, 0) + 1
            if self.welcome is not None and not self.welcome.done():
                refused = frame.get("frame", "connection")
                self.welcome.set_exception(RuntimeError(f"{refused} refused: {code}"))

    async def send_chat(self, conversation: str, stream: str, seq: int, sent_at_ns: int) -> None:
        client_msg_id = f"b{next(self.message_ids)}"
        self.pending_acks[client_msg_id] = now_ns()
        await self.send_json(
            {
                "type": "message",
                "client_msg_id": client_msg_id,
                "text": chat_text(stream, seq, sent_at_ns),
            }
        )


class NidaaKind(Kind):
    """Speaks to Nidaa as the widget and the agent console do."""

    def _citizen(self, index: int) -> NidaaCitizen:
        http = self.options["http"][index % len(self.options["http"])]
        url = http.replace("http://", "ws://") + "/ws/chat/"
        return NidaaCitizen(worker=self.worker, url=url, origin=self.options["origin"], index=index)

    async def open_citizen(self, index: int) -> Endpoint:
        citizen = self._citizen(index)
        await citizen.start()
        return citizen

    async def open_agent(self, index: int) -> Endpoint:
        from bench.nidaa_agent import open_agent

        return await open_agent(self, index)

    async def pair(self, per_agent: int) -> int:
        from bench.nidaa_agent import pair

        return await pair(self, per_agent)

    async def restore(self, endpoint: Endpoint) -> None:
        # the hello with last_seq in connect() is the whole of a citizen's resume
        return None

    async def cmd_counts(self) -> dict[str, Any]:
        """Protocol-level anomalies seen by this worker's citizens."""
        errors: dict[str, int] = {}
        replayed = 0
        for citizen in self.worker.citizens:
            if isinstance(citizen, NidaaCitizen):
                replayed += citizen.replayed
                for code, count in citizen.errors.items():
                    errors[code] = errors.get(code, 0) + count
        return {"replayed": replayed, "errors": errors}

    async def cmd_resume_agents(self) -> dict[str, Any]:
        """Every local console sends ``resume`` and reads the snapshot, as after a reconnect."""
        from bench.nidaa_agent import NidaaAgent

        agents = [a for a in self.worker.agents if isinstance(a, NidaaAgent)]
        await asyncio.gather(*(agent.resume() for agent in agents))
        return {"resumed": len(agents)}

    async def cmd_burst_arrivals(self, count: int, rate: float, first: int) -> dict[str, Any]:
        """``count`` new chats at ``rate`` a second; when each one's ``start`` frame left (ns),
        which the burst scenario subtracts from the time of the offer on a console."""
        joined: dict[str, int] = {}
        errors: dict[str, int] = {}
        interval = 1e9 / rate
        start = now_ns() + 20_000_000

        async def one(number: int) -> None:
            delay = start + number * interval - now_ns()
            if delay > 0:
                await asyncio.sleep(delay / 1e9)
            citizen = self._citizen(first + number)
            try:
                await citizen.start()
            except Exception as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                return
            self.worker.citizens.append(citizen)
            joined[citizen.conversation] = citizen.first_frame_ns

        await asyncio.gather(*(one(n) for n in range(count)))
        return {"joined": joined, "errors": errors}

    async def cmd_desk(self) -> dict[str, Any]:
        """What this worker's agents were offered and assigned, and when (ns)."""
        from bench.nidaa_agent import NidaaAgent

        offers: dict[str, list[int]] = {}
        assignments: dict[str, list[str]] = {}
        for agent in self.worker.agents:
            if isinstance(agent, NidaaAgent):
                for conversation, when in agent.offers.items():
                    offers.setdefault(conversation, []).append(when)
                for conversation in agent.assignments:
                    assignments.setdefault(conversation, []).append(str(agent.global_index))
        return {"offers": offers, "assignments": assignments}

    async def cmd_tickets(self, fields: dict[str, Any]) -> dict[str, Any]:
        """Every local agent turns each of its conversations into a ticket, all at once."""
        from bench.nidaa_agent import NidaaAgent
        from bench.stats import Latency

        latency = Latency()
        references: list[str] = []
        errors: dict[str, int] = {}

        async def one(agent: NidaaAgent, conversation: str) -> None:
            began = now_ns()
            try:
                references.append(await agent.ticket(conversation, fields))
            except Exception as exc:
                key = str(exc) or type(exc).__name__
                errors[key] = errors.get(key, 0) + 1
                return
            latency.record_ns(now_ns() - began)

        jobs = [
            one(agent, conversation)
            for conversation, agent in self.worker.agent_of.items()
            if isinstance(agent, NidaaAgent)
        ]
        began = now_ns()
        await asyncio.gather(*jobs)
        return {
            "references": references,
            "errors": errors,
            "seconds": (now_ns() - began) / 1e9,
            "latency": latency.encode(),
        }

    async def cmd_portal_reports(self, count: int, first: int) -> dict[str, Any]:
        """The public report form, filled by ``count`` citizens at once (one address each).

        Each citizen loads the form, waits the form's minimum filling time (the
        anti-spam check), then posts; only the posts are timed.
        """
        from bench.stats import Latency

        latency = Latency()
        errors: dict[str, int] = {}
        forms: list[tuple[str, str, dict[str, str], str]] = []

        async def load(index: int) -> None:
            http = self.options["http"][index % len(self.options["http"])]
            ip = self.worker.source_ip("citizen", index)
            page = await http_call("GET", f"{http}/report/", source_ip=ip)
            fields = dict(_HIDDEN.findall(page.body.decode()))
            categories = _OPTION.findall(page.body.decode())
            if page.status != 200 or not categories or "issued" not in fields:
                errors[f"form HTTP {page.status}"] = errors.get(f"form HTTP {page.status}", 0) + 1
                return
            fields.update(
                {
                    "category": categories[0],
                    "description": "Street light out (make bench).",
                    "phone": f"9{2000000 + index:07d}",
                    "address": "Bench street",
                    "website": "",
                }
            )
            forms.append((http, ip, fields, page.cookies().get("csrftoken", "")))

        await asyncio.gather(*(load(first + n) for n in range(count)))
        await asyncio.sleep(self.options["portal_min_seconds"] + 0.2)
        created = 0

        async def post(http: str, ip: str, fields: dict[str, str], csrf: str) -> None:
            nonlocal created
            began = now_ns()
            answer = await http_call(
                "POST",
                f"{http}/report/",
                source_ip=ip,
                body=urllib.parse.urlencode(fields).encode(),
                content_type="application/x-www-form-urlencoded",
                headers={"Cookie": f"csrftoken={csrf}", "Referer": f"{http}/report/"},
            )
            if answer.status == 302:
                created += 1
                latency.record_ns(now_ns() - began)
            else:
                key = f"HTTP {answer.status}"
                errors[key] = errors.get(key, 0) + 1

        began = now_ns()
        await asyncio.gather(*(post(*form) for form in forms))
        return {
            "created": created,
            "errors": errors,
            "seconds": (now_ns() - began) / 1e9,
            "latency": latency.encode(),
        }


_HIDDEN = re.compile(r'<input type="hidden" name="(csrfmiddlewaretoken|issued)" value="([^"]*)"')
_OPTION = re.compile(r'<option value="(\d+)"')


register_kind("nidaa", NidaaKind)


# ---- servers ----------------------------------------------------------------------------------


def _manage(env: dict[str, str], log: Path, *args: str) -> None:
    with open(log, "ab") as handle:
        subprocess.run(
            [PYTHON, *args], cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT, check=True
        )


class NidaaDeployment:
    """Prepares the database once, then starts fresh servers for each scenario."""

    def __init__(self, *, scaled: bool) -> None:
        self.scaled = scaled
        self.prepared = False
        self.work: Path | None = None
        self.sessions: list[str] = []
        self.category = ""
        # One key for the set-up and every server process: the agents' sessions signed
        # at set-up must read the same everywhere (a key per call broke every sign-in).
        self.secret_key = secrets.token_urlsafe(48)

    def env(self, work: Path, database: str) -> dict[str, str]:
        from bench.targets import redis_url

        env = base_env(
            # A throw-away local server: production settings, but demo logins and SMS to a
            # file are expected (nidaa/production.py would refuse them otherwise).
            SECRET_KEY=self.secret_key,
            DEBUG="0",
            NIDAA_ALLOW_DEMO_LOGINS="1",
            NIDAA_ALLOW_CONSOLE_SMS="1",
            SECURE_COOKIES="0",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            NIDAA_VAR_DIR=str(work),
            LOG_LEVEL="WARNING",
            DJANGO_SETTINGS_MODULE="nidaa.settings",
        )
        if self.scaled:
            env["DATABASE_URL"] = database
            env["REDIS_URL"] = redis_url()
            # A pool per process: under Daphne every HTTP request runs in a thread of
            # its own, and a connection per request or per thread exhausted
            # PostgreSQL's 100 slots (docs/deployment.md, "PostgreSQL").
            env["DATABASE_POOL_SIZE"] = "20"
            # nginx (docs/nginx-nidaa.conf) on this host says who the client is.
            env["NIDAA_TRUSTED_PROXIES"] = "127.0.0.1"
        return env

    def prepare(self, work: Path, log: Path, agents: int) -> None:
        from bench.services import postgres_url

        self.work = work
        work.mkdir(parents=True, exist_ok=True)
        template = postgres_url() + "_tpl"
        if self.scaled:
            _recreate_database(template)
        env = self.env(work, template)
        _manage(env, log, "manage.py", "migrate", "--no-input", "-v", "0")
        _manage(env, log, "manage.py", "collectstatic", "--no-input", "-v", "0")
        _manage(env, log, "manage.py", "demo_setup", "--force")
        sessions_file = work / "sessions.json"
        _manage(
            env,
            log,
            "-m",
            "bench.seed",
            "--agents",
            str(agents),
            "--sessions-file",
            str(sessions_file),
        )
        seeded = json.loads(sessions_file.read_text())
        self.sessions = seeded["sessions"]
        self.category = seeded["category"]
        if not self.scaled:
            shutil.copy(work / "nidaa.sqlite3", work / "template.sqlite3")
        self.prepared = True

    def fresh_database(self) -> str:
        from bench.services import postgres_url

        assert self.work is not None
        if self.scaled:
            _recreate_database(postgres_url(), template=postgres_url() + "_tpl")
            _flush_redis()
            return postgres_url()
        for suffix in ("-wal", "-shm"):
            (self.work / f"nidaa.sqlite3{suffix}").unlink(missing_ok=True)
        shutil.copy(self.work / "template.sqlite3", self.work / "nidaa.sqlite3")
        return ""

    def tune(self, env: dict[str, str], log: Path, *, per_agent: int, auto_accept: bool) -> None:
        args = ["-m", "bench.seed", "--tune", "--per-agent", str(per_agent)]
        if auto_accept:
            args.append("--auto-accept")
        if not AGENT_SOCKET:
            args.append("--available")
        _manage(env, log, *args)


def _recreate_database(url: str, template: str | None = None) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if template:
            tpl = template.rsplit("/", 1)[1]
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [tpl]
            )
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{tpl}"')
        else:
            conn.execute(f'CREATE DATABASE "{name}"')


def _flush_redis() -> None:
    import redis

    from bench.targets import redis_url

    client = redis.Redis.from_url(redis_url())
    try:
        client.flushdb()  # the benchmark's own database number, nobody else's
    finally:
        client.close()


NGINX_MAIN = """
worker_processes 1;
worker_rlimit_nofile 65536;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 40000; }}
http {{
    access_log off;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    include {work}/nidaa.conf;
}}
"""


def nginx_config(work: Path, listen: int, upstreams: list[int]) -> Path:
    """``docs/nginx-nidaa.conf`` with the local ports put in, wrapped in a main config."""
    site = (REPO / "docs" / "nginx-nidaa.conf").read_text()
    servers = "".join(
        f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=5s;\n" for port in upstreams
    )
    lines = site.splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.strip().startswith("server 127.0.0.1"))
    rest = [line for line in lines[first:] if not line.strip().startswith("server 127.0.0.1")]
    site = "".join(lines[:first]) + servers + "".join(rest)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen} backlog=4096;")
    (work / "nidaa.conf").write_text(site)
    main = work / "nginx.conf"
    main.write_text(NGINX_MAIN.format(work=work))
    return main


# per scenario: how many conversations each bench agent may hold at once
SCENARIO_TUNING = {
    "idle": lambda profile: 3,
    "chat": lambda profile: profile.chat_per_agent,
    "burst": lambda profile: 1 + -(-profile.burst_total() // profile.burst_agents),
    "tickets": lambda profile: profile.ticket_per_agent,
    "intake": lambda profile: 1,
}


def start_nidaa(target: Any, log_dir: Path, deployment: NidaaDeployment, profile: Any) -> Server:
    agents = max(
        min(profile.idle_connections // 10, profile.idle_agent_accounts),
        profile.chat_agents,
        profile.burst_agents,
        profile.ticket_agents,
    )
    work = log_dir / target.name
    log = log_dir / f"{target.name}-setup.log"
    if not deployment.prepared:
        deployment.prepare(work, log, agents)
    database = deployment.fresh_database()
    env = deployment.env(work, database)
    scenario = SCENARIO_TUNING[target.scenario]
    deployment.tune(
        env, log, per_agent=scenario(profile), auto_accept=target.scenario in ("chat", "tickets")
    )
    behind_nginx = deployment.scaled and shutil.which("nginx") is not None
    processes = 2 if deployment.scaled else 1
    ports = [free_port() for _ in range(processes)]
    listen = free_port() if behind_nginx else 0
    if behind_nginx:
        # As deployed (docs/deployment.md): the public address is NIDAA_PUBLIC_URL. nginx
        # passes Host without the port ($host), so the staff sockets' origin check knows
        # the site's origin from this setting, never from the request.
        env["NIDAA_PUBLIC_URL"] = f"http://127.0.0.1:{listen}"
    children = []
    for number, port in enumerate(ports):
        argv = nidaa_web_argv(port)
        children.append(spawn(argv, env=env, log_path=log_dir / f"{target.name}-{number}.log"))
    server = Server(target.name, ports, children, log_dir)
    public = list(ports)
    if behind_nginx:
        config = nginx_config(work, listen, ports)
        children.append(
            spawn(
                ["nginx", "-c", str(config), "-p", str(work), "-g", "daemon off;"],
                env=env,
                log_path=log_dir / f"{target.name}-nginx.log",
            )
        )
        public = [listen]
    try:
        wait_listening(ports + public, children)
    except RuntimeError as exc:
        server.stop()
        raise RuntimeError(f"{target.name}: {exc}\n{server.log_tail()}") from None
    target.options.update(
        {
            "http": [f"http://127.0.0.1:{port}" for port in public],
            "origin": f"http://127.0.0.1:{public[0]}",
            "sessions": deployment.sessions,
            "category": deployment.category,
            "portal_min_seconds": 3,
            "password": AGENT_PASSWORD,
            "usernames": [agent_username(i) for i in range(len(deployment.sessions))],
            "nginx": behind_nginx,
            "agent_share": 0.1 if AGENT_SOCKET else 0.0,
            "agents_per_worker": len(deployment.sessions) // profile.workers,
            "agent_accounts": len(deployment.sessions) // profile.workers * profile.workers,
            # Nidaa accepts connections far more slowly than the baselines; more in
            # flight would only wait in its queue and time out
            "connect_concurrency": 25,
            # the chat and burst agents sign in through the form; the idle crowd uses
            # sessions the seed signed in (bench/seed.py says why)
            "sign_in_form": target.scenario != "idle",
            "auto_accept": target.scenario in ("chat", "tickets"),
        }
    )
    target.deployment = deployment
    target.work_log = log
    return server


def nidaa_targets(target_class: Any, profile: Any) -> list[Any]:
    single = NidaaDeployment(scaled=False)
    scaled = NidaaDeployment(scaled=True)
    from bench.intake import intake
    from bench.scenarios import burst, tickets

    extra = [("burst", burst), ("tickets", tickets)]
    return [
        target_class(
            "nidaa",
            "Nidaa, one process (SQLite, in-memory layer)",
            "nidaa",
            lambda t, d: start_nidaa(t, d, single, profile),
            baseline=False,
            extra_scenarios=[*extra, ("intake", intake)],
        ),
        target_class(
            "nidaa_scaled",
            "Nidaa, 2 Daphne + Redis + PostgreSQL",
            "nidaa",
            lambda t, d: start_nidaa(t, d, scaled, profile),
            baseline=False,
            needs=("redis", "postgres"),
            uses_redis=True,
            extra_scenarios=extra,
        ),
    ]
