"""Load generation on loopback: `wrk` when installed (apt-get install wrk), else a small
asyncio client. Both keep 32 connections open and stop after a fixed number of seconds."""

import asyncio
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}
RESULTS = Path(__file__).resolve().parent / "results"  # wrk's own reports, for a closer look


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str


def run(port, path, *, headers, connections=32, seconds=10):
    if shutil.which("wrk"):
        return _wrk(port, path, headers, connections, seconds)
    return asyncio.run(_python(port, path, headers, connections, seconds))


def _wrk(port, path, headers, connections, seconds):
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s"]
    command += ["--latency", "--timeout", "5s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(  # noqa: S603 (wrk with our own arguments, on loopback)
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout

    (RESULTS / f"wrk{path.replace('/', '_')}.txt").write_text(out)

    def latency(percent):
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        return float(found.group(1)) * UNITS[found.group(2)] if found else float("nan")

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Result(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50_ms=latency(50),
        p99_ms=latency(99),
        errors=errors + (int(non_2xx.group(1)) if non_2xx else 0),
        tool="wrk",
    )


async def _read_body(reader, head):
    """The body after `head`: by its Content-Length, or in chunks (a streamed export)."""
    length = re.search(rb"(?i)content-length: (\d+)", head)
    if length:
        await reader.readexactly(int(length.group(1)))
        return
    while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
        await reader.readexactly(size + 2)  # the chunk and its CRLF
    await reader.readuntil(b"\r\n")  # the last chunk's CRLF (no trailers are sent)


async def _python(port, path, headers, connections, seconds):
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
    request += "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    latencies, errors = [], 0
    deadline = time.monotonic() + seconds

    async def connection():
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                writer.write(request.encode())
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                await _read_body(reader, head)
                latencies.append((time.perf_counter() - started) * 1000)
                errors += status >= 400
        finally:
            writer.close()

    started = time.monotonic()
    outcomes = await asyncio.gather(
        *(connection() for _ in range(connections)), return_exceptions=True
    )
    elapsed = time.monotonic() - started
    errors += sum(isinstance(outcome, Exception) for outcome in outcomes)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return Result(len(latencies) / elapsed, cuts[49], cuts[98], errors, "python")
