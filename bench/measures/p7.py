"""P7: HTTP against gunicorn on loopback: wrk for the inbox page and the task list API, then claim and
completion of acceptance tasks through the API. Unavailable without `wrk`."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, Unavailable, free_port, log, pct, session_cookie, summary_ms
from bench.measures.data import decision_for, prepare_tasks

WRK_STATS = r"""
done = function(summary, latency, requests)
  io.write(string.format("WRKJSON {\"requests\": %d, \"errors\": %d, \"non2xx\": %d, \"duration_us\": %d, " ..
    "\"p50_us\": %d, \"p95_us\": %d, \"p99_us\": %d, \"max_us\": %d, \"mean_us\": %.1f}\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
"""


def _post_each(port: int, paths: list[str], headers: dict, bodies: list[str], clients: int = 2) -> dict:
    """POST each path once, from `clients` threads with one keep-alive connection each (a bounded
    closed-loop load, which wrk cannot do: it runs for a duration); latency per request."""
    import http.client
    import threading

    lat, statuses, lock = [], [], threading.Lock()
    jobs = list(zip(paths, bodies))

    def client(share):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for path, body in share:
            t = time.perf_counter()
            conn.request("POST", path, body=body.encode(), headers=headers)
            response = conn.getresponse()
            data = response.read()
            dt = time.perf_counter() - t
            with lock:
                lat.append(dt)
                statuses.append((response.status, data[:200].decode(errors="replace")))
        conn.close()

    threads = [threading.Thread(target=client, args=(jobs[k::clients],)) for k in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    bad = [f"HTTP {st} {body}" for st, body in statuses if st >= 300]
    return {
        "requests": len(lat),
        "errors": 0,
        "non2xx": len(bad),
        "per_s": round(len(lat) / wall, 1),
        **{k: v for k, v in summary_ms(lat, brief=True).items() if k != "n"},
        "p99_ms": round(1000 * pct(lat, 99), 2),
        "max_ms": round(1000 * max(lat), 2),
        "first_bad": bad[:3],
    }


def _wrk(args: list[str], script: str = "") -> dict:
    """wrk for a duration; its Lua `done` hook prints the figures (p95 included) as JSON."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script + WRK_STATS)
        path = f.name
    try:
        proc = subprocess.run(["wrk", *args, "-s", path], capture_output=True, text=True, timeout=900)
        stdout, stderr = proc.stdout, proc.stderr
    finally:
        os.unlink(path)
    line = next((ln for ln in stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {stdout[-1500:]} {stderr[-1500:]}")
    stats = json.loads(line[len("WRKJSON ") :])
    bad = [ln for ln in stdout.splitlines() if ln.startswith("HTTP ")]
    seconds = stats["duration_us"] / 1e6
    return {
        "requests": stats["requests"],
        "errors": stats["errors"],
        "non2xx": stats["non2xx"],
        "per_s": round(stats["requests"] / seconds, 1),
        "median_ms": round(stats["p50_us"] / 1000, 2),
        "p95_ms": round(stats["p95_us"] / 1000, 2),
        "p99_ms": round(stats["p99_us"] / 1000, 2),
        "max_ms": round(stats["max_us"] / 1000, 2),
        "first_bad": bad[:3],
    }


def p7(db: str, users: dict, *, seconds: int, n_tasks: int, workers: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connections
    from rest_framework.authtoken.models import Token
    from viewflow.workflow.models import Task

    if shutil.which("wrk") is None:
        raise Unavailable("wrk not installed (make bench installs it as root; or apt-get install -y wrk)")
    User = get_user_model()
    inspector = User.objects.get(pk=users["county inspector"][0])
    cookie = session_cookie(inspector)
    token = Token.objects.get_or_create(user=inspector)[0].key
    tag = f"p7-{int(time.time())}"
    log(f"P7: submitting {n_tasks} complaints for the completion run ({tag})")
    clerk_id, task_ids = prepare_tasks(n_tasks, tag=tag, claim=False)
    clerk_token = Token.objects.get_or_create(user_id=clerk_id)[0].key
    connections.close_all()

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("ZHIQIAN_ENV", "CELERY_BROKER_URL")}
    env.update(
        {
            "DATABASE_URL": db,
            "DJANGO_DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "ZHIQIAN_SMS_BACKEND": "bench.sms.NoopSMSBackend",
        }
    )
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [
            gunicorn,
            "config.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    out = {
        "server": f"gunicorn {workers} sync workers, {base}",
        "load": "GET: wrk -t2 -c2 for the duration (closed loop, loopback); POST: 2 Python threads with one "
        "keep-alive connection each, every task once",
        "user": users["county inspector"][1],
    }
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            time.sleep(0.2)
        common = ["-t2", "-c2", "--timeout", "10s"]
        inbox_hdr = ["-H", f"Cookie: {cookie}"]
        api_hdr = ["-H", f"Authorization: Token {token}"]
        # warm both workers (imports, connections), then measure
        _wrk([*common, "-d", "3s", *inbox_hdr, f"{base}/tasks/inbox/"])
        _wrk([*common, "-d", "2s", *api_hdr, f"{base}/api/v1/tasks/?scope=mine"])
        out["inbox page (HTML)"] = _wrk([*common, "-d", f"{seconds}s", *inbox_hdr, f"{base}/tasks/inbox/"])
        log(f"  P7 inbox page: {out['inbox page (HTML)']}")
        out["task list API"] = _wrk([*common, "-d", f"{seconds}s", *api_hdr, f"{base}/api/v1/tasks/?scope=mine"])
        log(f"  P7 task list API: {out['task list API']}")
        post_hdr = {"Authorization": f"Token {clerk_token}", "Content-Type": "application/json"}
        out["claim API"] = _post_each(
            port, [f"/api/v1/tasks/{t}/assign/" for t in task_ids], post_hdr, [""] * len(task_ids)
        )
        log(f"  P7 claim API: {out['claim API']}")
        out["completion API"] = _post_each(
            port,
            [f"/api/v1/tasks/{t}/complete/" for t in task_ids],
            post_hdr,
            [json.dumps(decision_for(i)) for i in range(len(task_ids))],
        )
        log(f"  P7 completion API: {out['completion API']}")
    finally:
        server.terminate()  # the gunicorn master started above: it stops its workers gracefully
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # its own process group (start_new_session), and only it
            server.wait()
        errors = server.stderr.read().decode(errors="replace")[-3000:] if server.stderr else ""
        if errors.strip():
            out["server_stderr_tail"] = errors
    out["tasks_done"] = Task.objects.filter(pk__in=task_ids, status="DONE").count()
    out["tasks"] = len(task_ids)
    return out


def run(ctx) -> dict:
    a = ctx.args
    return p7(ctx.db, ctx.users, seconds=a.http_seconds, n_tasks=a.http_tasks, workers=a.http_workers)
