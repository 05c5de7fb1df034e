"""Benchmark of live exercises with real WebSocket clients on loopback.

Starts Tila with uvicorn exactly as ``make run`` serves it (one process with the in-memory
channel layer, or two processes on the Redis channel layer), joins participants over HTTP like a
phone does (the join page, its CSRF token, the signed participant cookie) and then drives their
WebSockets. Three scenarios:

- ``steady``: 30 participants in one run; answers at a steady total rate (default 50/s).
- ``many``: 10 runs × 30 participants at once, each run at ``--many-rate`` answers a second.
- ``burst``: ``steady`` plus one more participant who sends 200 frames as fast as it can.

What is measured: the run is named and shows its result live, so every update carries each
participant's current answer. Each client's answers change on every send, so a receiver sees
exactly which send an update reflects. Delivery latency is the time from the send to a receipt
by each *other* participant of the run; a send that some other participant never saw is lost.

    .venv/bin/python -m bench.live_ws                    # in-memory layer, SQLite, one process
    .venv/bin/python -m bench.live_ws --layer redis      # Redis, PostgreSQL, two processes

See bench/README.md for the figures and what they need.
"""

import argparse
import asyncio
import contextlib
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
UVICORN = str(ROOT / ".venv" / "bin" / "uvicorn")
VAR = ROOT / "var" / "bench"
NAMES = re.compile(r"<li>(b\d+p\d+): (\d+)</li>")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BURSTER = "x"


# --- servers -------------------------------------------------------------------------------


def environment(layer: str, database: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "TILA_VAR_DIR")
    }
    env["TILA_VAR_DIR"] = str(VAR)
    env["DJANGO_SETTINGS_MODULE"] = "tila.settings"
    if database == "postgres":
        env["DATABASE_URL"] = os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tila_bench"
        )
    if layer == "redis":
        env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    return env


def create_postgres_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')  # name from our own setting


def prepare(env: dict[str, str]) -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    if "DATABASE_URL" in env:
        create_postgres_database(env["DATABASE_URL"])
    for command in (
        ["migrate", "--noinput"],
        ["collectstatic", "--noinput", "--verbosity", "0"],
        ["seed_demo"],
    ):
        subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"no server on port {port}")


def start_servers(env: dict[str, str], ports: list[int]) -> list[subprocess.Popen[bytes]]:
    servers = []
    for port in ports:
        log = (VAR / f"uvicorn-{port}.log").open("wb")
        servers.append(
            subprocess.Popen(
                [
                    UVICORN,
                    "tila.asgi:application",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--no-server-header",
                    "--lifespan",
                    "off",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    for port in ports:
        wait_for_port(port)
    return servers


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of processes so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def stop_servers(servers: list[subprocess.Popen[bytes]]) -> None:
    for server in servers:
        server.terminate()
    for server in servers:
        server.wait(timeout=10)


# --- runs ----------------------------------------------------------------------------------


@dataclass
class RunInfo:
    uuid: str
    code: str


def create_runs(env: dict[str, str], count: int) -> list[RunInfo]:
    """Named scale runs that show the result live from the first answer, in a demo meeting."""
    os.environ.update(env)
    import django

    django.setup()
    from tila.live.actions import start_run
    from tila.meetings.models import Meeting

    meeting = Meeting.objects.filter(contract__supervisors__isnull=False).first()
    if meeting is None:
        raise RuntimeError("no meeting: seed_demo did not run")
    actor = meeting.contract.supervisors.first()
    assert actor is not None
    runs = []
    for _ in range(count):
        run = start_run(
            meeting=meeting,
            actor=actor,
            method="scale",
            prompt="Benchmark",
            anonymous=False,
            k=1,
            show_live=True,
        )
        runs.append(RunInfo(str(run.uuid), run.join_code))
    return runs


def end_runs(runs: list[RunInfo]) -> None:
    from tila.live.actions import end_run
    from tila.live.models import Run

    for info in runs:
        run = Run.objects.select_related("started_by").get(uuid=info.uuid)
        assert run.started_by is not None
        end_run(run=run, actor=run.started_by, save=False)


# --- clients -------------------------------------------------------------------------------


def join_over_http(port: int, code: str, name: str) -> str:
    """Join as a phone does; the signed participant cookie for the WebSocket."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    page = opener.open(f"{base}/live/{code}/", timeout=30).read().decode()
    token = CSRF.search(page)
    if token is None:
        raise RuntimeError("no CSRF token on the join page")
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), "name": name}).encode()
    request = urllib.request.Request(
        f"{base}/live/{code}/join/", data=body, headers={"Origin": base, "Referer": base + "/"}
    )
    opener.open(request, timeout=30).read()
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


@dataclass
class Send:
    sender: str
    at: float
    steady: bool


@dataclass
class Stats:
    """What one run's clients saw."""

    sends: list[Send] = field(default_factory=list)
    latest: dict[tuple[str, int], int] = field(default_factory=dict)  # (name, value) -> send
    latencies: list[float] = field(default_factory=list)


@dataclass
class Client:
    name: str
    port: int
    run: RunInfo
    stats: Stats
    cookie: str = ""
    ws: ClientConnection | None = None
    seen: dict[str, int] = field(default_factory=dict)
    observed: set[int] = field(default_factory=set)
    received: int = 0
    seq: int = 0
    closed_code: int | None = None
    closed_early: bool = False
    closing: bool = False
    task: asyncio.Task[None] | None = None

    async def open(self) -> None:
        self.cookie = await asyncio.to_thread(join_over_http, self.port, self.run.code, self.name)
        self.ws = await connect(
            f"ws://127.0.0.1:{self.port}/ws/live/{self.run.uuid}/",
            origin=f"http://127.0.0.1:{self.port}",  # type: ignore[arg-type]
            additional_headers={"Cookie": self.cookie},
            max_size=2**22,
            open_timeout=30,
        )
        self.task = asyncio.create_task(self.read())

    async def read(self) -> None:
        assert self.ws is not None
        try:
            async for message in self.ws:
                now = time.perf_counter()
                self.received += 1
                text = message if isinstance(message, str) else message.decode()
                for name, raw in NAMES.findall(text):
                    value = int(raw)
                    if self.seen.get(name) == value:
                        continue
                    self.seen[name] = value
                    index = self.stats.latest.get((name, value))
                    if index is None or index in self.observed or name == self.name:
                        continue
                    self.observed.add(index)
                    self.stats.latencies.append(now - self.stats.sends[index].at)
        except ConnectionClosed:
            pass
        self.closed_code = self.ws.close_code
        self.closed_early = not self.closing

    async def send(self, *, steady: bool = True) -> None:
        assert self.ws is not None
        self.seq += 1
        value = self.seq % 11
        if steady:
            self.stats.sends.append(Send(self.name, time.perf_counter(), steady))
            self.stats.latest[(self.name, value)] = len(self.stats.sends) - 1
        await self.ws.send(json.dumps({"now": str(value)}))

    def task_done(self) -> bool:
        return self.task is not None and self.task.done()

    async def close(self) -> None:
        if self.ws is not None and self.task is not None:
            self.closing = True
            await self.ws.close()
            await self.task


async def open_all(clients: list[Client], parallel: int = 20) -> None:
    gate = asyncio.Semaphore(parallel)

    async def one(client: Client) -> None:
        async with gate:
            await client.open()

    await asyncio.gather(*(one(client) for client in clients))


async def steady(clients: list[Client], rate: float, seconds: float, offset: float = 0.0) -> None:
    """Round-robin sends at ``rate`` a second in total, on an absolute schedule that starts
    ``offset`` seconds from now."""
    start = time.perf_counter() + offset
    total = int(rate * seconds)
    for index in range(total):
        delay = start + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        client = clients[index % len(clients)]
        if client.ws is not None and not client.task_done():
            with contextlib.suppress(ConnectionClosed):
                await client.send()


@dataclass
class Outcome:
    scenario: str
    connections: int
    sent: int
    deliveries: int
    latencies: list[float]
    lost: int
    closed: int
    note: str = ""
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    wall: float = 0.0


def outcome(scenario: str, groups: list[list[Client]], stats: list[Stats]) -> Outcome:
    latencies = [value for each in stats for value in each.latencies]
    lost = 0
    for clients, each in zip(groups, stats, strict=True):
        for client in clients:
            if client.name.endswith(BURSTER):
                continue
            expected = {
                index for index, send in enumerate(each.sends) if send.sender != client.name
            }
            lost += len(expected - client.observed)
    closed = sum(
        1
        for clients in groups
        for client in clients
        if client.closed_early and not client.name.endswith(BURSTER)
    )
    return Outcome(
        scenario,
        connections=sum(len(clients) for clients in groups),
        sent=sum(len(each.sends) for each in stats),
        deliveries=len(latencies),
        latencies=latencies,
        lost=lost,
        closed=closed,
    )


def make_clients(
    runs: list[RunInfo], per_run: int, ports: list[int]
) -> tuple[list[list[Client]], list[Stats]]:
    groups, stats = [], []
    for number, run in enumerate(runs):
        each = Stats()
        stats.append(each)
        groups.append(
            [
                Client(f"b{number:02}p{index:02}", ports[index % len(ports)], run, each)
                for index in range(per_run)
            ]
        )
    return groups, stats


async def scenario_steady(
    runs: list[RunInfo],
    ports: list[int],
    rate: float,
    seconds: float,
    name: str = "steady",
    locked: bool = False,
) -> Outcome:
    """Each run answers at ``rate`` a second. Runs are independent meetings, so each starts
    its schedule at its own moment within one period (evenly spread); ``locked`` makes every
    run answer at the same instants instead, the worst case."""
    groups, stats = make_clients(runs, 30, ports)
    await open_all([client for clients in groups for client in clients])
    await asyncio.sleep(1)
    period = 1 / rate
    offsets = [0.0 if locked else period * index / len(groups) for index in range(len(groups))]
    await asyncio.gather(
        *(
            steady(clients, rate, seconds, offset)
            for clients, offset in zip(groups, offsets, strict=True)
        )
    )
    await asyncio.sleep(2)  # drain
    result = outcome(name, groups, stats)
    for clients in groups:
        for client in clients:
            await client.close()
    result.closed = sum(1 for clients in groups for client in clients if client.closed_early)
    return result


async def scenario_burst(
    run: RunInfo, ports: list[int], rate: float, seconds: float, frames: int = 200
) -> Outcome:
    groups, stats = make_clients([run], 30, ports)
    burster = Client(f"b00p99{BURSTER}", ports[0], run, stats[0])
    await open_all([*groups[0], burster])
    await asyncio.sleep(1)

    async def burst() -> int:
        await asyncio.sleep(seconds / 3)
        sent = 0
        for _ in range(frames):
            try:
                await burster.send(steady=False)
            except ConnectionClosed:
                break
            sent += 1
        return sent

    _done, sent = await asyncio.gather(steady(groups[0], rate, seconds), burst())
    await asyncio.sleep(2)
    result = outcome("burst", groups, stats)
    replies = burster.received
    await burster.close()
    for client in groups[0]:
        await client.close()
    result.closed = sum(1 for client in groups[0] if client.closed_early)
    code = burster.closed_code
    result.note = f"burster sent {sent} frames, got {replies} replies, " + (
        f"was closed with code {code}" if code else "stayed connected"
    )
    return result


async def scenario_rush(
    run: RunInfo, ports: list[int], seconds: float, period: float = 2.0
) -> Outcome:
    """Everyone answers in the same instant ("now send, all of you"), every ``period``
    seconds: one run, 30 participants."""
    groups, stats = make_clients([run], 30, ports)
    await open_all(groups[0])
    await asyncio.sleep(1)
    start = time.perf_counter()
    for moment in range(max(int(seconds / period), 1)):
        delay = start + moment * period - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        live = [client for client in groups[0] if client.ws is not None and not client.task_done()]
        with contextlib.suppress(ConnectionClosed):
            await asyncio.gather(*(client.send() for client in live))
    await asyncio.sleep(2)
    result = outcome("rush", groups, stats)
    for client in groups[0]:
        await client.close()
    result.closed = sum(1 for client in groups[0] if client.closed_early)
    return result


# --- report --------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def table(rows: list[tuple[str, Outcome]]) -> str:
    header = (
        f"{'setup':<28} {'scenario':<8} {'conns':>5} {'sent':>6} {'deliveries':>10} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'lost':>5} {'closed':>6} "
        f"{'server cpu':>10} {'bench cpu':>9}"
    )
    lines = [header, "-" * len(header)]
    for setup, each in rows:
        ms = [value * 1000 for value in each.latencies]
        lines.append(
            f"{setup:<28} {each.scenario:<8} {each.connections:>5} {each.sent:>6} "
            f"{each.deliveries:>10} {statistics.median(ms) if ms else float('nan'):>7.1f} "
            f"{percentile(ms, 0.95):>7.1f} {percentile(ms, 0.99):>7.1f} "
            f"{max(ms, default=float('nan')):>7.1f} {each.lost:>5} {each.closed:>6} "
            f"{each.server_cpu / each.wall:>9.0%} {each.client_cpu / each.wall:>9.0%}"
        )
        if each.note:
            lines.append(f"{'':<28} {each.note}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layer", choices=["memory", "redis"], default="memory")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default=None)
    parser.add_argument(
        "--scenario", choices=["all", "steady", "many", "burst", "rush"], default="all", nargs="?"
    )
    parser.add_argument("--rate", type=float, default=50, help="answers a second in one run")
    parser.add_argument("--many-rate", type=float, default=5, help="answers a second per run")
    parser.add_argument(
        "--locked",
        action="store_true",
        help="many: every run answers at the same instants (worst case), not spread out",
    )
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--port", type=int, default=8101)
    options = parser.parse_args()
    database = options.db or ("postgres" if options.layer == "redis" else "sqlite")
    processes = 2 if options.layer == "redis" else 1
    ports = [options.port + index for index in range(processes)]
    env = environment(options.layer, database)
    prepare(env)
    chosen = (
        ["steady", "many", "burst", "rush"] if options.scenario == "all" else [options.scenario]
    )
    runs = create_runs(env, 1 + 10 + 1 + 1)
    servers = start_servers(env, ports)
    setup = f"{options.layer}, {database}, {processes} proc"
    rows = []
    try:
        for scenario in chosen:
            if scenario == "steady":
                coroutine: Any = scenario_steady(runs[:1], ports, options.rate, options.seconds)
            elif scenario == "many":
                coroutine = scenario_steady(
                    runs[1:11],
                    ports,
                    options.many_rate,
                    options.seconds,
                    name="many locked" if options.locked else "many",
                    locked=options.locked,
                )
            elif scenario == "burst":
                coroutine = scenario_burst(runs[11], ports, options.rate, options.seconds)
            else:
                coroutine = scenario_rush(runs[12], ports, options.seconds)
            pids = [server.pid for server in servers]
            server_before, client_before = cpu_seconds(pids), time.process_time()
            started = time.perf_counter()
            result = asyncio.run(coroutine)
            result.wall = time.perf_counter() - started
            result.server_cpu = cpu_seconds(pids) - server_before
            result.client_cpu = time.process_time() - client_before
            rows.append((setup, result))
            print(table(rows[-1:]), file=sys.stderr, flush=True)
    finally:
        stop_servers(servers)
        end_runs(runs)
    print(table(rows))
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
