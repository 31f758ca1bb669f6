#!/usr/bin/python3
"""deploy/awstack, the script behind deploy/run-local.sh, against the real binaries.

1. `awstack start` with no provider key and no Ollama: says "demo mode", starts aw-fake-llm, the gateway and one
   processor; `status` exits 0 and `/readyz` counts the processor; an agent answers a message through the fake LLM
   (what a newcomer sees); a second `start` is refused; `logs gateway`
   prints the gateway's JSON lines; `stop` ends every process (no pid left alive) and `status` then exits 3.
2. `awstack run` (what run-local.sh execs) stopped by SIGINT, as Ctrl-C does: exit 0, every child gone.

Everything runs on loopback with free ports (WS_PORT=0, AW_BUS_* on free ports) in a temporary data directory.
Usage: awstack_test.py --build-dir DIR [--repo DIR] [--timeout S]   (DIR holds gateway/aw-gateway,
processor/aw-processor, tools/aw-fake-llm). Exit status 0 = pass, 1 = failure.
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
import time
import urllib.request

import websockets


class TestFailure(Exception):
    pass


def check(condition, text):
    if not condition:
        raise TestFailure(text)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pid_alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


def readyz(data):
    port_file = os.path.join(data, "run", "gateway.port")
    if not os.path.exists(port_file):
        return None
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{open(port_file).read().strip()}/readyz", timeout=2) as r:
            return json.loads(r.read())
    except OSError:
        return None


def wait_for(what, deadline, predicate):
    """Polls another process's state until predicate() holds, or fails at the deadline."""
    while not predicate():
        check(time.monotonic() < deadline, f"timed out waiting for {what}")
        time.sleep(0.05)


async def agent_answers(port, timeout):
    """Creates a world with one agent, sends a message, returns the agent's stored reply."""
    async with websockets.connect(f"ws://127.0.0.1:{port}/") as ws:
        async def call(frame, rid):
            frame["requestId"] = rid
            await ws.send(json.dumps(frame))
            while True:
                reply = json.loads(await ws.recv())
                if reply.get("requestId") == rid and reply.get("type") == "status":
                    return reply

        def command(world, name, params):
            return {"type": "command", "worldId": world, "payload": {"command": name, "params": params}}

        world = (await call(command(None, "create-world", {"name": "demo"}), "w"))["payload"]["data"]["id"]
        await call(command(world, "create-agent", {"name": "Echo"}), "a")
        await call({"type": "subscribe", "worldId": world}, "s")
        await call({"type": "message", "worldId": world, "messageId": "hello-1",
                    "payload": {"content": "hello demo", "sender": "human"}}, "m")
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), timeout))
            status = (frame.get("payload") or {}).get("status")
            if frame.get("messageId") == "hello-1" and status in ("completed", "failed"):
                check(status == "completed", f"the message failed: {frame}")
                break
        data = (await call(command(world, "get-chat-messages", {}), "g"))["payload"]["data"]
        return [m for m in data["messages"] if m.get("replyToMessageId") == "hello-1"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--repo", default=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    deadline = time.monotonic() + args.timeout
    tmp = tempfile.mkdtemp(prefix="aw-awstack-test-")
    data = os.path.join(tmp, "data")
    awstack = os.path.join(args.repo, "deploy", "awstack")
    env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "AGENT_WORLD_DATA_PATH": data,
           "AW_BUILD_DIR": os.path.abspath(args.build_dir), "AW_PROCESSORS": "1", "WS_PORT": "0",
           "OLLAMA_BASE_URL": f"http://127.0.0.1:{free_port()}/v1",  # nothing listens: no Ollama
           "AW_BUS_WORK": f"tcp://127.0.0.1:{free_port()}", "AW_BUS_EVENTS": f"tcp://127.0.0.1:{free_port()}",
           "AW_BUS_CTL": f"tcp://127.0.0.1:{free_port()}", "AW_TAP_BIND": f"tcp://127.0.0.1:{free_port()}",
           "AW_ADMIN_BIND": f"tcp://127.0.0.1:{free_port()}", "AW_STOP_TIMEOUT_S": "20"}
    env.update({k: v for k, v in os.environ.items() if k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS")})

    def stack(*argv, timeout=40):
        return subprocess.run([awstack, *argv], env=env, capture_output=True, text=True, timeout=timeout)

    def pids():
        run = os.path.join(data, "run")
        return {f[:-4]: int(open(os.path.join(run, f)).read()) for f in os.listdir(run) if f.endswith(".pid")}

    try:
        # 1. start / status / logs / stop
        out = stack("start")
        check(out.returncode == 0, f"start failed ({out.returncode}): {out.stdout}{out.stderr}")
        check("demo mode" in out.stdout, f"start did not announce demo mode: {out.stdout}")
        started = pids()
        check(set(started) == {"gateway", "processor-1", "fake-llm"}, f"pid files: {sorted(started)}")
        wait_for("/readyz to count 1 processor", deadline, lambda: (readyz(data) or {}).get("processors") == 1)
        port = int(open(os.path.join(data, "run", "gateway.port")).read())
        replies = asyncio.run(agent_answers(port, max(1.0, deadline - time.monotonic())))
        check(len(replies) == 1 and replies[0].get("content") == "Echo: hello demo", f"agent replies: {replies}")
        out = stack("status")
        check(out.returncode == 0, f"status exited {out.returncode}: {out.stdout}")
        check(out.stdout.count("running") == 3 and "-> 200" in out.stdout, f"status: {out.stdout}")
        out = stack("start")
        check(out.returncode == 1 and "already running" in out.stderr, f"second start: {out.stdout}{out.stderr}")
        out = stack("logs", "gateway")
        check(out.returncode == 0 and '"category":"ws.server"' in out.stdout, f"logs gateway: {out.stdout}")
        out = stack("stop")
        check(out.returncode == 0, f"stop failed: {out.stdout}{out.stderr}")
        for name, pid in started.items():
            check(not pid_alive(pid), f"{name} (pid {pid}) still alive after stop")
        out = stack("status")
        check(out.returncode == 3 and "not running" in out.stdout, f"status after stop: {out.returncode} {out.stdout}")

        # 2. run + SIGINT (Ctrl-C)
        log = open(os.path.join(tmp, "run.log"), "w+")
        run = subprocess.Popen([awstack, "run"], env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_for("`awstack run` to be up", deadline, lambda: "Ctrl-C stops everything" in open(log.name).read()
                 or run.poll() is not None)
        check(run.poll() is None, f"awstack run exited early: {open(log.name).read()}")
        children = pids()
        check(len(children) == 3, f"run started {sorted(children)}")
        run.send_signal(signal.SIGINT)
        status = run.wait(timeout=max(1.0, deadline - time.monotonic()))
        check(status == 0, f"awstack run exited {status} after SIGINT: {open(log.name).read()}")
        for name, pid in children.items():
            check(not pid_alive(pid), f"{name} (pid {pid}) left running after Ctrl-C")
        print("awstack: start (demo mode, an agent answered)/status/logs/stop and run + Ctrl-C passed")
        return 0
    except (TestFailure, subprocess.TimeoutExpired, OSError, ValueError, KeyError, asyncio.TimeoutError) as e:
        print(f"FAIL: {type(e).__name__}: {e}", file=sys.stderr)
        logs = os.path.join(data, "logs")
        for name in sorted(os.listdir(logs)) if os.path.isdir(logs) else []:
            print(f"---- {name}:\n" + "".join(open(os.path.join(logs, name), errors="replace").readlines()[-10:]),
                  file=sys.stderr)
        return 1
    finally:
        stack("stop")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
