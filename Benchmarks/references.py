#!/usr/bin/env python3
"""Same-run references for CaseloadBench (issue 14's targets table).

    python3 Benchmarks/references.py FILE [--runs N]

Prints one JSON object:
  orjson_ms        median time to read FILE and parse it with orjson.loads (null when orjson is missing)
  orjson_missing   why orjson could not be used, with the install command, or null
  write_fsync_ms   median time to write FILE's number of bytes to a new file in FILE's folder and fsync it
  bytes            that number of bytes
"""
import json
import os
import statistics
import sys
import time


def median_ms(samples):
    return statistics.median(samples) * 1000.0


def orjson_reference(path, runs):
    try:
        import orjson
    except ImportError:
        return None, "orjson is not installed: pip install orjson"
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        with open(path, "rb") as f:
            orjson.loads(f.read())
        samples.append(time.perf_counter() - start)
    return median_ms(samples), None


def write_fsync_reference(path, runs):
    with open(path, "rb") as f:
        data = f.read()
    scratch = os.path.join(os.path.dirname(os.path.abspath(path)), ".references-%d.tmp" % os.getpid())
    samples = []
    try:
        for _ in range(runs):
            start = time.perf_counter()
            fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                view = memoryview(data)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
                os.fsync(fd)
            finally:
                os.close(fd)
            samples.append(time.perf_counter() - start)
            os.unlink(scratch)
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)
    return median_ms(samples), len(data)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = argv[1]
    runs = 3
    if "--runs" in argv:
        runs = max(1, int(argv[argv.index("--runs") + 1]))
    orjson_ms, missing = orjson_reference(path, runs)
    write_ms, size = write_fsync_reference(path, runs)
    print(json.dumps({"orjson_ms": orjson_ms, "orjson_missing": missing, "write_fsync_ms": write_ms, "bytes": size}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
