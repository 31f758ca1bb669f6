#!/usr/bin/python3
"""The docker-compose topology as plain processes (issue #6).

Reads docker-compose.yml through `docker-compose config` (profile demo, an empty .env, so exactly what Compose
would run), reads the image's ENTRYPOINT from deploy/Dockerfile, and starts every service as a local process with
the same command and environment. Only addresses change: service host names and 0.0.0.0 become 127.0.0.1, every
container port becomes a free loopback port, the /data volume becomes a temporary directory, and the image paths
(/opt/agent-world, /usr/local/bin) map to this checkout and the built binaries.

Then it creates worlds with an agent each, sends messages while scaling the processors 1 -> 3 -> 1 (scale-down is
SIGTERM, as `docker-compose up --scale` does), and checks that every message completes exactly once, that every
message has exactly one agent reply in get-chat-messages, that queue-status is empty, and that a ZeroMQ SUB on the
tap port (published for operators) saw the live frames of every world. Bounded: --timeout
(default 90 s) for the whole run; every wait has its own deadline.

Usage: compose_topology_test.py --gateway BIN --processor BIN --fake-llm BIN [--repo DIR] [--timeout S] [--keep]
Exit status 0 = pass, 1 = failure (the reason is printed, with the tail of each process's log).
"""
import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import websockets
import yaml
import zmq

WORLDS = 3
MESSAGES_PER_PHASE = 3  # per world and phase; three phases
IMAGE_ROOT = "/opt/agent-world"
SANITIZER_VARS = ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS")


class TestFailure(Exception):
    pass


def check(condition, text):
    if not condition:
        raise TestFailure(text)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def compose_config(repo, tmp):
    """The resolved compose file, as docker-compose itself resolves it (no engine needed)."""
    exe = shutil.which("docker-compose", path="/usr/bin:/bin:/usr/local/bin")
    check(exe is not None, "docker-compose is not installed (deploy/install-deps.sh installs it)")
    env_file = os.path.join(tmp, "empty.env")
    open(env_file, "w").close()
    out = subprocess.run(
        [exe, "-f", os.path.join(repo, "docker-compose.yml"), "--env-file", env_file, "--profile", "demo", "config"],
        env={"PATH": "/usr/bin:/bin", "HOME": tmp}, capture_output=True, text=True, timeout=60)
    check(out.returncode == 0, "docker-compose config failed: " + out.stderr)
    return yaml.safe_load(out.stdout)


def image_entrypoint(repo):
    with open(os.path.join(repo, "deploy", "Dockerfile")) as f:
        lines = [l for l in f if l.startswith("ENTRYPOINT ")]
    check(len(lines) == 1, "deploy/Dockerfile must have one ENTRYPOINT line (JSON form)")
    return json.loads(lines[0][len("ENTRYPOINT "):])


def container_ports(service):
    ports = set(int(p) for p in service.get("expose", []))
    for p in service.get("ports", []):
        target = p["target"] if isinstance(p, dict) else str(p).split("/")[0].split(":")[-1]
        ports.add(int(target))
    return ports


class Topology:
    """Maps the compose services onto loopback processes."""

    def __init__(self, repo, config, binaries, tmp):
        self.repo, self.tmp, self.services = repo, tmp, config["services"]
        self.entrypoint = image_entrypoint(repo)
        self.bin_dir = os.path.join(tmp, "bin")
        os.makedirs(self.bin_dir)
        for name, path in binaries.items():
            os.symlink(os.path.abspath(path), os.path.join(self.bin_dir, name))
        self.ports = {(name, p): free_port() for name, s in self.services.items() for p in container_ports(s)}
        self.procs = {}  # instance name -> (Popen, log path)

    def rewrite(self, service, value):
        for (name, port), local in self.ports.items():
            value = value.replace(f"{name}:{port}", f"127.0.0.1:{local}")
            if name == service:
                value = value.replace(f"0.0.0.0:{port}", f"127.0.0.1:{local}")
        if value == "0.0.0.0":
            value = "127.0.0.1"
        for volume in self.services[service].get("volumes", []):
            target = volume["target"] if isinstance(volume, dict) else volume.split(":")[1]
            if value == target:
                value = os.path.join(self.tmp, service + target.replace("/", "-"))
                os.makedirs(value, exist_ok=True)
        return value.replace(IMAGE_ROOT, self.repo)

    def environment(self, service):
        env = {"PATH": self.bin_dir + ":/usr/bin:/bin", "HOME": self.tmp}
        env.update({k: v for k, v in os.environ.items() if k in SANITIZER_VARS})  # CI's ASan/UBSan stage
        for key, value in (self.services[service].get("environment") or {}).items():
            value = self.rewrite(service, "" if value is None else str(value))
            if key == "WS_PORT":
                value = str(self.ports[(service, int(value))])
            env[key] = value
        return env

    def command(self, service):
        args, out = [self.rewrite(service, str(a)) for a in self.services[service].get("command", [])], []
        for i, a in enumerate(args):
            if i > 0 and args[i - 1] == "--port" and (service, int(a)) in self.ports:
                a = str(self.ports[(service, int(a))])
            out.append(a)
        return [self.rewrite(service, e) for e in self.entrypoint] + out

    def start(self, service, instance):
        log = os.path.join(self.tmp, instance + ".log")
        with open(log, "wb") as f:
            proc = subprocess.Popen(self.command(service), env=self.environment(service), stdout=f,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        self.procs[instance] = (proc, log)
        return proc

    def healthcheck(self, service):
        test = self.services[service]["healthcheck"]["test"]
        check(test[0] == "CMD", f"{service}: healthcheck must be the CMD form")
        cmd = [self.rewrite(service, a) for a in test[1:]]
        return subprocess.run(cmd, env=self.environment(service), capture_output=True, timeout=30).returncode == 0

    def stop(self, instance, timeout):
        proc, _ = self.procs[instance]
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise TestFailure(f"{instance} did not stop within {timeout} s of SIGTERM")

    def alive_or_fail(self):
        for name, (proc, _) in self.procs.items():
            check(proc.poll() is None or name.startswith("stopped-"), f"{name} exited with status {proc.returncode}")

    def dump_logs(self):
        for name, (_, log) in self.procs.items():
            with open(log, errors="replace") as f:
                tail = f.readlines()[-15:]
            print(f"---- {name} ({log}), last lines:\n" + "".join(tail), file=sys.stderr)

    def kill_all(self):
        for proc, _ in self.procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def http_get(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError:
        return 0, ""


def wait_for(what, deadline, predicate, topology):
    """Polls another process's state (an HTTP endpoint, a child's exit) until predicate() holds, or fails."""
    while not predicate():
        topology.alive_or_fail()
        check(time.monotonic() < deadline, f"timed out waiting for {what}")
        time.sleep(0.05)


class TapWatcher:
    """Subscribes to the gateway's tap (the published operator port) and records every topic, as a zmq tool would."""

    def __init__(self, endpoint):
        self.topics, self.stopping = set(), False
        self.socket = zmq.Context.instance().socket(zmq.SUB)
        self.socket.setsockopt(zmq.LINGER, 0)
        self.socket.connect(endpoint)
        self.socket.setsockopt(zmq.SUBSCRIBE, b"")
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stopping:
            if self.socket.poll(100):
                self.topics.add(self.socket.recv_multipart()[0].decode())

    def close(self):
        self.stopping = True
        self.thread.join()
        self.socket.close()


class Client:
    """One WebSocket connection: requests by requestId, terminal statuses collected by messageId."""

    def __init__(self, ws):
        self.ws, self.next_id, self.pending, self.terminal = ws, 0, {}, {}
        self.reader = asyncio.ensure_future(self.read())

    async def read(self):
        async for text in self.ws:
            frame = json.loads(text)
            rid = frame.get("requestId")
            status = (frame.get("payload") or {}).get("status") if frame.get("type") == "status" else None
            if rid is not None and rid in self.pending and frame.get("type") in ("status", "error"):
                if not (frame["type"] == "error" and frame.get("command")):  # the status frame follows it
                    self.pending.pop(rid).set_result(frame)
            elif status in ("completed", "failed") and frame.get("messageId"):
                self.terminal.setdefault(frame["messageId"], []).append(status)

    async def request(self, frame, timeout=10):
        self.next_id += 1
        rid = f"r{self.next_id}"
        frame["requestId"] = rid
        future = asyncio.get_running_loop().create_future()
        self.pending[rid] = future
        await self.ws.send(json.dumps(frame))
        return await asyncio.wait_for(future, timeout)

    async def command(self, world, name, params=None):
        frame = {"type": "command", "payload": {"command": name, "params": params or {}}}
        if world:
            frame["worldId"] = world
        reply = await self.request(frame)
        check(reply.get("payload", {}).get("status") == "success", f"{name} failed: {reply}")
        return reply["payload"].get("data")


async def scenario(topology, ws_url, readyz_url, deadline):
    tap = TapWatcher(f"tcp://127.0.0.1:{topology.ports[('gateway', 5558)]}")
    try:
        return await run_messages(topology, ws_url, readyz_url, deadline, tap)
    finally:
        tap.close()


async def run_messages(topology, ws_url, readyz_url, deadline, tap):
    async with websockets.connect(ws_url, max_size=None) as ws:
        client = Client(ws)
        worlds = []
        for i in range(WORLDS):
            world = (await client.command(None, "create-world", {"name": f"topology-{i}"}))["id"]
            await client.command(world, "create-agent", {"name": "Echo", "systemPrompt": "Repeat the message."})
            ack = await client.request({"type": "subscribe", "worldId": world})
            check(ack["payload"]["status"] == "subscribed", f"subscribe failed: {ack}")
            worlds.append(world)
        sent = {}  # messageId -> (world, content)

        async def send_phase(phase):
            for n in range(MESSAGES_PER_PHASE):
                for world in worlds:
                    mid = f"m-{phase}-{n}-{world}"
                    sent[mid] = (world, f"phase {phase} message {n} for {world}")
                    ack = await client.request({"type": "message", "worldId": world, "messageId": mid,
                                                "payload": {"content": sent[mid][1], "sender": "human"}})
                    check(ack["payload"].get("status") == "queued", f"message not queued: {ack}")

        def processors(n):
            def ready():
                status, body = http_get(readyz_url)
                return status == 200 and json.loads(body).get("processors") == n
            return ready

        async def wait_async(what, predicate):
            while not predicate():
                topology.alive_or_fail()
                check(time.monotonic() < deadline, f"timed out waiting for {what}")
                await asyncio.sleep(0.05)  # lets the reader task run; we poll another process's state

        # 1 processor (started by main), then scale to 3 while the first messages run.
        await send_phase(1)
        topology.start("processor", "processor-2")
        topology.start("processor", "processor-3")
        await wait_async("3 processors in /readyz", processors(3))
        await send_phase(2)
        # Scale to 1 while phase 2 is still running: SIGTERM, as `docker-compose up --scale processor=1` does.
        for name in ("processor-1", "processor-2"):
            topology.procs["stopped-" + name] = topology.procs.pop(name)
            topology.procs["stopped-" + name][0].send_signal(signal.SIGTERM)
        await send_phase(3)
        for name in ("stopped-processor-1", "stopped-processor-2"):
            proc = topology.procs[name][0]
            await wait_async(f"{name} to exit after SIGTERM", lambda: proc.poll() is not None)
            check(proc.returncode == 0, f"{name} exited with status {proc.returncode} after SIGTERM")
        await wait_async("every message to reach a terminal status", lambda: len(client.terminal) >= len(sent))

        # Exactly one terminal status per message, and it is `completed`.
        for mid in sent:
            check(client.terminal.get(mid) == ["completed"], f"{mid}: terminal statuses {client.terminal.get(mid)}")
        check(set(client.terminal) == set(sent), f"statuses for unknown messages: {set(client.terminal) - set(sent)}")
        # Exactly one reply per message in the conversation, and the trigger stored once.
        for world in worlds:
            data = await client.command(world, "get-chat-messages", {"limit": 500})
            messages = data["messages"]
            for mid, (w, content) in sent.items():
                if w != world:
                    continue
                triggers = [m for m in messages if m.get("messageId") == mid]
                replies = [m for m in messages if m.get("replyToMessageId") == mid]
                check(len(triggers) == 1, f"{mid}: stored {len(triggers)} times")
                check(len(replies) == 1, f"{mid}: {len(replies)} replies (want exactly 1): {replies}")
                check(content in replies[0].get("content", ""), f"{mid}: reply {replies[0]} lacks the message")
            check(len(messages) == 2 * 3 * MESSAGES_PER_PHASE, f"{world}: {len(messages)} messages in the chat")
        queue = await client.command(None, "queue-status")
        for row in queue["worlds"]:
            if row["worldId"] in worlds:
                check(row["pending"] == 0 and row["processing"] == 0 and row["failed"] == 0, f"queue: {row}")
        # The operators' tap carried the live frames of every world (bus-protocol.md §10).
        for world in worlds:
            check(f"event.{world}" in tap.topics, f"no event.{world} on the tap; topics: {sorted(tap.topics)}")
        client.reader.cancel()
        return len(sent)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--processor", required=True)
    parser.add_argument("--fake-llm", required=True)
    parser.add_argument("--repo", default=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    parser.add_argument("--timeout", type=float, default=90)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, database)")
    args = parser.parse_args()
    deadline = time.monotonic() + args.timeout
    tmp = tempfile.mkdtemp(prefix="aw-compose-topology-")
    topology = None
    try:
        config = compose_config(args.repo, tmp)
        check({"gateway", "processor", "fake-llm"} <= set(config["services"]), "services missing in compose file")
        check("ports" not in config["services"]["processor"], "processor must publish no ports (--scale)")
        check("container_name" not in config["services"]["processor"], "processor must be scalable")
        topology = Topology(args.repo, config, {"aw-gateway": args.gateway, "aw-processor": args.processor,
                                                "aw-fake-llm": args.fake_llm}, tmp)
        topology.start("fake-llm", "fake-llm")
        fake_url = f"http://127.0.0.1:{topology.ports[('fake-llm', 8089)]}/health"
        wait_for("fake-llm /health", deadline, lambda: http_get(fake_url)[0] == 200, topology)
        topology.start("gateway", "gateway")
        wait_for("the gateway's compose healthcheck", deadline, lambda: topology.healthcheck("gateway"), topology)
        ws_port = topology.ports[("gateway", 3001)]
        topology.start("processor", "processor-1")
        readyz = f"http://127.0.0.1:{ws_port}/readyz"
        wait_for("1 processor in /readyz", deadline,
                 lambda: (lambda r: r[0] == 200 and json.loads(r[1]).get("processors") == 1)(http_get(readyz)),
                 topology)
        count = asyncio.run(scenario(topology, f"ws://127.0.0.1:{ws_port}/", readyz, deadline))
        with open(topology.procs["processor-3"][1], errors="replace") as f:
            check("demo mode" in f.read(), "processor-3 did not log the entrypoint's demo mode")
        for name in ("processor-3", "gateway", "fake-llm"):
            status = topology.stop(name, 30)
            check(status == 0, f"{name} exited with status {status} after SIGTERM")
        print(f"compose topology: {count} messages over 1 -> 3 -> 1 processors, each completed once with one reply")
        return 0
    except (TestFailure, asyncio.TimeoutError, KeyError, ValueError) as e:
        print(f"FAIL: {type(e).__name__}: {e}", file=sys.stderr)
        if topology:
            topology.dump_logs()
        return 1
    finally:
        if topology:
            topology.kill_all()
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
