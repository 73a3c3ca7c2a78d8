"""Load-generator processes: each runs an asyncio loop and obeys the parent over a pipe.

The parent starts several workers (so the client side is spread over processes
and cores) and drives every phase of a scenario in lock step: open sockets,
pair conversations, send at a rate, collect arrivals, drop and reconnect, close.
Sockets stay open in the worker between commands. Each answer carries the
worker's own CPU time, so the report can show the client was not the bottleneck.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.connection
import resource
import time
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from bench.clients import Endpoint, RelayEndpoint
from bench.procs import raise_fd_limit
from bench.stats import Arrivals, Latency, now_ns


def source_ip(worker: int, role: str, index: int) -> str:
    """A loopback address of its own for every endpoint.

    Citizens really come from many addresses, and the server's per-address rate
    limits and the kernel's ephemeral ports are both counted per address: one
    address per endpoint keeps tens of thousands of connects and reconnects
    within both, as in the field.
    """
    base = 0 if role == "citizen" else 200
    return f"127.{10 + worker}.{base + index // 250}.{index % 250 + 1}"


def stream_name(conversation: str, direction: str, step: int) -> str:
    return f"{conversation}/{direction}/{step}"


def _stream_parts(stream: str) -> tuple[str, int]:
    _conversation, direction, step = stream.rsplit("/", 2)
    return direction, int(step)


class Kind:
    """How one family of servers is spoken to: connect, pair, restore after reconnect."""

    def __init__(self, worker: LoadWorker, options: dict[str, Any]) -> None:
        self.worker = worker
        self.options = options

    async def open_citizen(self, index: int) -> Endpoint:
        raise NotImplementedError

    async def open_agent(self, index: int) -> Endpoint:
        raise NotImplementedError

    async def pair(self, per_agent: int) -> int:
        """Set up conversations between citizens and agents; returns how many."""
        raise NotImplementedError

    async def restore(self, endpoint: Endpoint) -> None:
        """After a reconnect: get back into the conversations the endpoint was in."""
        raise NotImplementedError


class RelayKind(Kind):
    """The baselines: citizens join their own room; each agent joins its citizens' rooms."""

    def _endpoint(self, role: str, index: int) -> RelayEndpoint:
        urls = self.options["urls"]
        return RelayEndpoint(
            role=role,
            url=urls[index % len(urls)],
            source_ip=self.worker.source_ip(role, index),
            sink=self.worker.on_chat,
        )

    async def open_citizen(self, index: int) -> Endpoint:
        endpoint = self._endpoint("citizen", index)
        await endpoint.connect()
        await endpoint.join(self.worker.citizen_room(index))
        return endpoint

    async def open_agent(self, index: int) -> Endpoint:
        endpoint = self._endpoint("agent", index)
        await endpoint.connect()
        return endpoint

    async def pair(self, per_agent: int) -> int:
        agents = self.worker.agents
        if not agents:
            return 0
        pairs = min(len(self.worker.citizens), per_agent * len(agents))
        for index in range(pairs):
            citizen = self.worker.citizens[index]
            agent = agents[index % len(agents)]
            room = self.worker.citizen_room(index)
            assert isinstance(agent, RelayEndpoint)
            await agent.join(room)
            self.worker.add_conversation(room, citizen=citizen, agent=agent)
        return pairs

    async def restore(self, endpoint: Endpoint) -> None:
        assert isinstance(endpoint, RelayEndpoint)
        await endpoint.rejoin()


KINDS: dict[str, Callable[[LoadWorker, dict[str, Any]], Kind]] = {"relay": RelayKind}


def register_kind(name: str, factory: Callable[[LoadWorker, dict[str, Any]], Kind]) -> None:
    KINDS[name] = factory


class LoadWorker:
    def __init__(self, index: int) -> None:
        self.index = index
        self.kind: Kind | None = None
        self.citizens: list[Endpoint] = []
        self.agents: list[Endpoint] = []
        # conversation -> the local citizen / agent endpoint taking part in it
        self.citizen_of: dict[str, Endpoint] = {}
        self.agent_of: dict[str, Endpoint] = {}
        self.arrivals = Arrivals()
        self.latency: dict[tuple[int, str], Latency] = {}
        self.sent: dict[str, int] = {}
        # how long the server took to store a message and say so (Nidaa's ``ack``)
        self.ack_latency = Latency()
        self.refused: dict[str, int] = {}  # error codes the server answered chat frames with

    # ---- helpers for kinds ----------------------------------------------------------------

    def source_ip(self, role: str, index: int) -> str:
        return source_ip(self.index, role, index)

    def citizen_room(self, index: int) -> str:
        return f"w{self.index}c{index}"

    def add_conversation(
        self, conversation: str, *, citizen: Endpoint | None = None, agent: Endpoint | None = None
    ) -> None:
        if citizen is not None:
            self.citizen_of[conversation] = citizen
        if agent is not None:
            self.agent_of[conversation] = agent

    def on_chat(self, stream: str, seq: int, sent_at_ns: int) -> None:
        arrived = now_ns()
        if self.arrivals.record(stream, seq):
            direction, step = _stream_parts(stream)
            key = (step, direction)
            if key not in self.latency:
                self.latency[key] = Latency()
            self.latency[key].record_ns(arrived - sent_at_ns)

    # ---- commands ------------------------------------------------------------------------

    async def cmd_setup(self, kind: str, options: dict[str, Any]) -> dict[str, Any]:
        self.kind = KINDS[kind](self, options)
        return {}

    async def _open_many(
        self, count: int, opener: Callable[[int], Awaitable[Endpoint]], concurrency: int
    ) -> tuple[list[Endpoint], int, Latency]:
        gate = asyncio.Semaphore(concurrency)
        latency = Latency()
        errors = 0
        opened: list[Endpoint | None] = [None] * count

        async def one(index: int) -> None:
            nonlocal errors
            async with gate:
                started = now_ns()
                try:
                    opened[index] = await opener(index)
                except Exception:
                    errors += 1
                    return
                latency.record_ns(now_ns() - started)

        await asyncio.gather(*(one(i) for i in range(count)))
        return [e for e in opened if e is not None], errors, latency

    async def cmd_open(self, citizens: int, agents: int, concurrency: int = 200) -> dict[str, Any]:
        assert self.kind is not None
        started = time.monotonic()
        kind = self.kind
        agent_base, citizen_base = len(self.agents), len(self.citizens)
        new_agents, agent_errors, agent_latency = await self._open_many(
            agents, lambda i: kind.open_agent(agent_base + i), concurrency
        )
        new_citizens, citizen_errors, latency = await self._open_many(
            citizens, lambda i: kind.open_citizen(citizen_base + i), concurrency
        )
        self.agents += new_agents
        self.citizens += new_citizens
        latency.histogram.add(agent_latency.histogram)
        return {
            "opened": len(new_citizens) + len(new_agents),
            "errors": citizen_errors + agent_errors,
            "seconds": time.monotonic() - started,
            "connect_latency": latency.encode(),
        }

    async def cmd_pair(self, per_agent: int) -> dict[str, Any]:
        assert self.kind is not None
        return {"conversations": await self.kind.pair(per_agent)}

    def _slots(self, step: int) -> list[tuple[Endpoint, str, str]]:
        outbound = [
            (endpoint, conv, stream_name(conv, "c2a", step))
            for conv, endpoint in self.citizen_of.items()
        ]
        inbound = [
            (endpoint, conv, stream_name(conv, "a2c", step))
            for conv, endpoint in self.agent_of.items()
        ]
        slots: list[tuple[Endpoint, str, str]] = []
        for index in range(max(len(outbound), len(inbound))):
            slots.extend(outbound[index : index + 1])
            slots.extend(inbound[index : index + 1])
        return slots

    async def cmd_chat_send(self, step: int, rate: float, duration: float) -> dict[str, Any]:
        """Send ``rate`` chat frames a second for ``duration`` seconds, open loop.

        The time written into each frame is when it was *meant* to leave, so a
        sender that falls behind shows up as latency instead of hiding it.
        """
        slots = self._slots(step)
        if not slots or rate <= 0:
            return {"sent": {}, "seconds": 0.0}
        total = max(1, int(rate * duration))
        interval_ns = int(1e9 / rate)
        start = now_ns() + 20_000_000
        errors = 0
        sent: dict[str, int] = {}
        for i in range(total):
            intended = start + i * interval_ns
            delay = intended - now_ns()
            if delay > 0:
                await asyncio.sleep(delay / 1e9)
            endpoint, conversation, stream = slots[i % len(slots)]
            seq = sent.get(stream, 0) + 1
            try:
                await endpoint.send_chat(conversation, stream, seq, intended)  # type: ignore[attr-defined]
            except Exception:
                errors += 1
                continue
            sent[stream] = seq
        return {"sent": sent, "errors": errors, "seconds": (now_ns() - start) / 1e9}

    def _expected(self, step: int) -> list[str]:
        return [stream_name(c, "a2c", step) for c in self.citizen_of] + [
            stream_name(c, "c2a", step) for c in self.agent_of
        ]

    async def cmd_chat_collect(
        self, step: int, sent: dict[str, int], wait_seconds: float
    ) -> dict[str, Any]:
        """Wait until every stream this worker receives is complete (or ``wait_seconds``)."""
        expected = [s for s in self._expected(step) if s in sent]
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            if all(self.arrivals.unique(s) >= sent[s] for s in expected):
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.1)  # let duplicates that trail the last message show up
        ack_latency, self.ack_latency = self.ack_latency, Latency()
        refused, self.refused = self.refused, {}
        return {
            "refused": refused,
            "ack_latency": ack_latency.encode(),
            "arrivals": self.arrivals.report(expected),
            "latency": {
                direction: self.latency.pop((step, direction), Latency()).encode()
                for direction in ("c2a", "a2c")
            },
        }

    async def cmd_conversations(self) -> dict[str, Any]:
        return {
            "citizen_side": len(self.citizen_of),
            "agent_side": len(self.agent_of),
            # consoles the server told to resynchronise (a missed event, said aloud)
            "resyncs": sum(getattr(agent, "resyncs", 0) for agent in self.agents),
        }

    async def cmd_storm(self, concurrency: int, deadline: float) -> dict[str, Any]:
        """Drop every socket at once, then reconnect all of them and get back in."""
        assert self.kind is not None
        kind = self.kind
        everyone = self.agents + self.citizens
        for endpoint in everyone:
            endpoint.abort()
        storm_started = now_ns()
        back = Latency()
        errors = 0
        failed = 0
        error_kinds: dict[str, int] = {}
        gate = asyncio.Semaphore(concurrency)
        give_up = time.monotonic() + deadline

        async def one(endpoint: Endpoint) -> None:
            nonlocal errors, failed
            delay = 0.05
            while time.monotonic() < give_up:
                async with gate:
                    try:
                        await endpoint.connect()
                        await kind.restore(endpoint)
                    except Exception as exc:
                        errors += 1
                        name = type(exc).__name__
                        error_kinds[name] = error_kinds.get(name, 0) + 1
                        endpoint.abort()
                    else:
                        back.record_ns(now_ns() - storm_started)
                        return
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
            failed += 1

        await asyncio.gather(*(one(e) for e in everyone))
        return {
            "back": back.encode(),
            "errors": errors,
            "error_kinds": error_kinds,
            "failed": failed,
            "total": len(everyone),
        }

    async def cmd_close(self) -> dict[str, Any]:
        everyone = self.agents + self.citizens
        await asyncio.gather(*(e.close() for e in everyone), return_exceptions=True)
        self.agents, self.citizens = [], []
        self.citizen_of.clear()
        self.agent_of.clear()
        self.arrivals = Arrivals()
        self.latency.clear()
        return {"closed": len(everyone)}

    async def cmd_call(self, name: str, **params: Any) -> dict[str, Any]:
        """Kind-specific commands (the Nidaa scenarios), by name."""
        assert self.kind is not None
        method = getattr(self.kind, f"cmd_{name}")
        result: dict[str, Any] = await method(**params)
        return result


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _serve(index: int, pipe: multiprocessing.connection.Connection) -> None:
    worker = LoadWorker(index)
    loop = asyncio.get_running_loop()
    while True:
        command, params = await loop.run_in_executor(None, pipe.recv)
        if command == "exit":
            await worker.cmd_close()
            pipe.send({"ok": True})
            return
        try:
            result = await getattr(worker, f"cmd_{command}")(**params)
            pipe.send({"ok": True, "result": result, "cpu": _cpu_seconds()})
        except Exception:
            pipe.send({"ok": False, "error": traceback.format_exc(), "cpu": _cpu_seconds()})


def _main(index: int, pipe: multiprocessing.connection.Connection) -> None:
    raise_fd_limit()
    import bench.intake  # registers the intake kind
    import bench.nidaa  # noqa: F401 - registers the Nidaa kind

    asyncio.run(_serve(index, pipe))


class WorkerPool:
    """The parent's handle on the load-generator processes."""

    def __init__(self, size: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipes: list[multiprocessing.connection.Connection] = []
        self.processes = []
        for index in range(size):
            parent_end, child_end = context.Pipe()
            process = context.Process(target=_main, args=(index, child_end), daemon=True)
            process.start()
            self.pipes.append(parent_end)
            self.processes.append(process)
        self.cpu = [0.0] * size

    def __len__(self) -> int:
        return len(self.pipes)

    def call_each(self, command: str, params: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send each worker its own parameters, wait for every answer."""
        for pipe, item in zip(self.pipes, params, strict=True):
            pipe.send((command, item))
        results = []
        errors = []
        for index, pipe in enumerate(self.pipes):
            answer = pipe.recv()
            self.cpu[index] = answer.get("cpu", self.cpu[index])
            if answer["ok"]:
                results.append(answer["result"])
            else:
                errors.append(answer["error"])
        if errors:
            raise RuntimeError(f"load generator {command} failed:\n" + "\n".join(errors))
        return results

    def call(self, command: str, **params: Any) -> list[dict[str, Any]]:
        return self.call_each(command, [params] * len(self.pipes))

    def cpu_seconds(self) -> float:
        return sum(self.cpu)

    def close(self) -> None:
        for pipe in self.pipes:
            try:
                pipe.send(("exit", {}))
                pipe.recv()
            except (BrokenPipeError, EOFError, OSError):
                pass
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
