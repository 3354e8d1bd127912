"""Benchmark throughput across cores and Dask workers, and that the answers do not change.

    .venv/bin/python bench/scale.py [--n 300] [--seed 7] [--jobs 2] [--no-dask] [--json OUT]

Generates N seed-sized articles (bench/ingest.py's story clusters), then, each run in a
fresh process:
  1. `sitroom extract --jobs 1` and `--jobs J`: articles/s, the ratio, and that the two
     outputs are byte-identical;
  2. ingest into fresh DuckDB files, in one process, on a Dask LocalCluster of 1 worker
     and of J workers (`--scheduler local:N`, loopback): articles/s, the ratio, and that
     all three databases have the same `Store.checksum()` (the clock is frozen so
     `ingested_at` agrees);
  3. peak RSS of every process of each run (parent, workers), read from /proc while it runs.
Wall times include starting the workers and loading the model in each (that is what a user
waits for); CPU seconds of the whole process tree are measured too, and J x (CPU seconds with
1) / (CPU seconds with J) is what the ratio would be on J otherwise idle cores. On a machine shared with other jobs the ratios
say less than on an idle one: the load average at the start is printed beside them.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from ingest import make_corpus  # noqa: E402 - bench/ingest.py's generator

CLOCK = "2024-12-01T00:00:00+00:00"


TICK = os.sysconf("SC_CLK_TCK")


def _ppid_and_hwm(pid: int) -> tuple[int, float, float] | None:
    """Parent pid, peak RSS in MB and CPU seconds (user + system) of one process, from /proc."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    hwm = fields.get("VmHWM", "0 kB").split()[0]
    after_name = stat.rsplit(")", 1)[1].split()  # utime and stime are fields 14 and 15
    return int(fields["PPid"]), int(hwm) / 1024, (int(after_name[11]) + int(after_name[12])) / TICK


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class TreeWatch(threading.Thread):
    """Peak RSS (VmHWM) and CPU seconds of a process and all its descendants, sampled every 0.2 s.

    CPU is summed per process from /proc, not taken from the parent's rusage: workers forked
    by a fork server are never waited for by the process that measures."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.root, self.peaks, self.kinds, self.cpu, self.done = pid, {}, {}, {}, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            parents = {}
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    got = _ppid_and_hwm(int(entry))
                    if got:
                        parents[int(entry)] = got
            tree, frontier = {self.root}, [self.root]
            while frontier:
                p = frontier.pop()
                for child, (ppid, _, _) in parents.items():
                    if ppid == p and child not in tree:
                        tree.add(child)
                        frontier.append(child)
            for pid in tree:
                if pid in parents:
                    self.peaks[pid] = max(self.peaks.get(pid, 0.0), parents[pid][1])
                    self.cpu[pid] = max(self.cpu.get(pid, 0.0), parents[pid][2])
                    if pid not in self.kinds:
                        self.kinds[pid] = _kind(pid, self.root, _cmdline(pid), _cmdline(parents[pid][0]))
            self.done.wait(0.2)

    def summary(self) -> dict:
        workers = [mb for pid, mb in self.peaks.items() if self.kinds.get(pid) == "worker"]
        return {"tree_cpu_s": round(sum(self.cpu.values()), 1), "parent_peak_mb": round(self.peaks.get(self.root, 0.0)),
                "worker_peak_mb": round(max(workers, default=0.0)), "workers_seen": len(workers)}


def _kind(pid: int, root: int, cmd: str, parent_cmd: str) -> str:
    if pid == root:
        return "parent"
    if "spawn_main" in cmd and "resource_tracker" not in cmd:
        return "worker"  # a spawned worker, or a Dask worker under its nanny
    if "forkserver" in cmd and "forkserver" in parent_cmd:
        return "worker"  # forked by the fork server (the server itself is the one whose parent is not)
    return "other"


def watched(cmd: list[str], env: dict | None = None, stdin=None) -> tuple[float, float, dict, str]:
    """Run `cmd`; wall seconds, CPU seconds (the whole tree, sampled), RSS peaks, stdout."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, stdin=stdin)
    watch = TreeWatch(proc.pid)
    watch.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    watch.done.set()
    watch.join()
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd[:4])} failed ({proc.returncode}):\n{err[-3000:]}")
    summary = watch.summary()
    return wall, summary.pop("tree_cpu_s"), summary, out


def child(jsonl: str, db: str, jobs: int, scheduler: str | None) -> None:
    """One ingest with a frozen clock; prints its wall time and the database's checksum."""
    import sitroom.store.base as base
    from sitroom.inputs import iter_inputs
    from sitroom.pipeline import load_pipeline
    from sitroom.store import open_store
    from sitroom.store.ingest import ingest

    base.now_iso = lambda: CLOCK
    nlp = load_pipeline()
    store = open_store(db)
    t0 = time.perf_counter()
    stats = ingest(store, iter_inputs([jsonl], "jsonl"), nlp=nlp, jobs=jobs, scheduler=scheduler)
    wall = time.perf_counter() - t0
    print(json.dumps({"wall_s": wall, "new": stats.new, "failed": stats.failed, "events": stats.events,
                      "checksum": store.checksum()}))
    store.close()


def run_ingest(jsonl: Path, db: Path, jobs: int, scheduler: str | None) -> dict:
    cmd = [sys.executable, __file__, "--child", str(jsonl), "--db", str(db), "--jobs", str(jobs)]
    if scheduler:
        cmd += ["--scheduler", scheduler]
    wall, cpu, rss, out = watched(cmd, env=_env())
    got = json.loads(out.strip().splitlines()[-1])
    return {**got, "process_s": wall, "cpu_s": cpu, **rss}


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in [env.get("PYTHONPATH")] if p])
    return env


def run_extract(jsonl: Path, out: Path, jobs: int) -> dict:
    cmd = [sys.executable, "-m", "sitroom", "extract", str(jsonl), "--input-format", "jsonl", "--format", "jsonl",
           "--no-progress", "--jobs", str(jobs), "-o", str(out)]
    wall, cpu, rss, _ = watched(cmd, env=_env())
    return {"wall_s": wall, "cpu_s": cpu, **rss}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300, help="articles (default 300)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=2, help="worker processes / Dask workers to compare with 1")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask runs")
    ap.add_argument("--json", help="also write the result JSON here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("--scheduler", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.db, args.jobs, args.scheduler)
        return

    work = Path(tempfile.mkdtemp(prefix="sitroom-scale-"))
    docs = make_corpus(args.n, args.seed)
    jsonl = work / "articles.jsonl"
    jsonl.write_text("".join(json.dumps(d) + "\n" for d in docs))
    n, j = len(docs), args.jobs
    load = os.getloadavg()
    print(f"{n} articles; {os.cpu_count()} cores; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} "
          f"at the start (a busy machine lowers every ratio)")
    result: dict = {"articles": n, "jobs": j, "cores": os.cpu_count(), "loadavg_start": load}

    one = run_extract(jsonl, work / "extract1.jsonl", 1)
    many = run_extract(jsonl, work / f"extract{j}.jsonl", j)
    same = (work / "extract1.jsonl").read_bytes() == (work / f"extract{j}.jsonl").read_bytes()
    result["extract"] = {"jobs1": one, f"jobs{j}": many, "speedup": one["wall_s"] / many["wall_s"],
                         "identical": same}
    print(f"extract --jobs 1: {n / one['wall_s']:.1f} articles/s ({one['wall_s']:.1f} s, CPU {one['cpu_s']:.1f} s), "
          f"peak RSS {one['parent_peak_mb']} MB")
    print(f"extract --jobs {j}: {n / many['wall_s']:.1f} articles/s ({many['wall_s']:.1f} s, CPU {many['cpu_s']:.1f} s), "
          f"peak RSS parent {many['parent_peak_mb']} MB, per worker {many['worker_peak_mb']} MB "
          f"({many['workers_seen']} workers)")
    result["extract"]["idle_estimate"] = j * one["cpu_s"] / many["cpu_s"]
    print(f"extract --jobs {j} / --jobs 1: x{result['extract']['speedup']:.2f} articles/s measured; "
          f"x{result['extract']['idle_estimate']:.2f} on {j} idle cores ({j} x the CPU-seconds ratio); "
          f"output byte-identical: {same}")

    local = run_ingest(jsonl, work / "local.duckdb", 1, None)
    result["ingest_local"] = local
    print(f"ingest, one process: {n / local['wall_s']:.1f} articles/s ({local['wall_s']:.1f} s), "
          f"{local['events']} merged events, peak RSS {local['parent_peak_mb']} MB")
    checks = [local["checksum"]]
    if not args.no_dask:
        d1 = run_ingest(jsonl, work / "dask1.duckdb", 1, "local:1")
        dn = run_ingest(jsonl, work / f"dask{j}.duckdb", 1, f"local:{j}")
        checks += [d1["checksum"], dn["checksum"]]
        result["ingest_dask"] = {"workers1": d1, f"workers{j}": dn, "speedup": d1["wall_s"] / dn["wall_s"]}
        for label, r in (("1 worker", d1), (f"{j} workers", dn)):
            print(f"ingest, Dask {label}: {n / r['wall_s']:.1f} articles/s ({r['wall_s']:.1f} s with the cluster's "
                  f"start), peak RSS parent {r['parent_peak_mb']} MB, per worker {r['worker_peak_mb']} MB")
        result["ingest_dask"]["idle_estimate"] = j * d1["cpu_s"] / dn["cpu_s"]
        print(f"ingest, Dask {j} workers / 1 worker: x{result['ingest_dask']['speedup']:.2f} articles/s measured; "
              f"x{result['ingest_dask']['idle_estimate']:.2f} on {j} idle cores ({j} x the CPU-seconds ratio)")
    result["identical_databases"] = len(set(checks)) == 1 and not (local["failed"])
    print(f"databases identical (checksum {local['checksum'][:16]}...): {result['identical_databases']}")
    line = json.dumps(result)
    print(line)
    if args.json:
        Path(args.json).write_text(line + "\n")
    if not (same and result["identical_databases"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
