"""Load generation for the benchmark: wrk where it is installed (Debian package `wrk`),
otherwise a Python generator of its own (processes with keep-alive connections, so that the
generator is not what limits the rate).

    python bench/load.py http://127.0.0.1:8000/events/ [--connections 16] [--seconds 10]
"""

import argparse
import http.client
import multiprocessing
import re
import shutil
import statistics
import subprocess  # nosec B404 # runs wrk, a fixed program, with our own arguments
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Result:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _unit_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def with_wrk(url: str, connections: int, seconds: int, headers=()) -> Result:
    # A slow answer is measured, not counted as an error (wrk's own limit is 2 s).
    command = ["wrk", "--latency", "--timeout", "30s", "-t", "2", "-c", str(connections)]
    command += ["-d", f"{seconds}s"]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run(  # noqa: S603  # nosec B603 # wrk, with arguments built here
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    elapsed = _unit_ms(re.search(r"requests in ([\d.]+(?:us|ms|s))", out).group(1)) / 1000
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    p50 = _unit_ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))
    p99 = _unit_ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    return Result(requests, errors, elapsed, p50, p99)


def _worker(url: str, connections: int, seconds: float, headers: dict, queue) -> None:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    pool = [http.client.HTTPConnection(parts.hostname, parts.port) for _ in range(connections)]
    latencies, errors = [], 0
    deadline = time.perf_counter() + seconds
    turn = 0
    while time.perf_counter() < deadline:
        connection = pool[turn % connections]
        turn += 1
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status >= 400:
                errors += 1
        except OSError:
            errors += 1
            connection.close()
            continue
        latencies.append((time.perf_counter() - started) * 1000)
    queue.put((latencies, errors))


def in_processes(target, argument_lists) -> tuple[list, float]:
    """Run `target(*arguments, queue)` in a process per argument list, all at once; returns
    what each put on the queue, and the seconds from the first start to the last end."""
    queue = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=target, args=(*a, queue)) for a in argument_lists]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    return results, time.perf_counter() - started


def with_python(url: str, connections: int, seconds: int, headers=()) -> Result:
    processes = min(connections, max(2, multiprocessing.cpu_count()))
    share = [connections // processes + (i < connections % processes) for i in range(processes)]
    wanted = dict(h.split(": ", 1) for h in headers)
    results, elapsed = in_processes(_worker, [(url, n, seconds, wanted) for n in share])
    latencies = sorted(x for found, _errors in results for x in found)
    errors = sum(e for _found, e in results)
    if not latencies:
        return Result(0, errors, elapsed, 0.0, 0.0)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return Result(len(latencies), errors, elapsed, statistics.median(latencies), p99)


def load(url: str, connections: int = 16, seconds: int = 10, headers=()) -> Result:
    if shutil.which("wrk"):
        return with_wrk(url, connections, seconds, headers)
    return with_python(url, connections, seconds, headers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--header", action="append", default=[])
    args = parser.parse_args()
    result = load(args.url, args.connections, args.seconds, args.header)
    print(
        f"{result.rate:9.1f} req/s  p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms"
        f"  errors {result.errors}"
    )


if __name__ == "__main__":
    main()
