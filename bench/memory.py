"""Peak memory of `kg build` on hostile single documents (issue 19, item 4).

    python bench/memory.py                 # every case (about 3 minutes on 2 cores)
    python bench/memory.py --only kv-1mb   # one case (repeatable)
    python bench/memory.py --workers 2     # the builds with 2 worker processes
    python bench/memory.py --only prose-max --only kv-max   # 20 MiB files (about 15 minutes each)

Each case writes its input into a temporary folder and builds it with
``python -m kg build`` (graph.html and the store included, as a user would),
sampling the resident memory of the build's whole process tree (the build,
its worker processes and its page process, summed) every 20 ms. It prints the
peak of that sum (the target), of the tree's PSS (pages shared by forked
workers counted once), of the largest single process, the wall and CPU
time and the mentions the build found, and exits with status 1 when a
case's peak is over the target (``--target-mib``, default 1024: 1.0 GiB).
Not part of the test suite (Linux only: it reads /proc).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
MB = 1_000_000

# ---------------------------------------------------------------- the inputs


def key_value_lines(size: int, seed: int = 1) -> str:
    """*size* bytes of ``key: value`` lines (a configuration or log dump)."""
    rng = random.Random(seed)
    words = ["alpha", "beta", "gamma", "delta", "status", "enabled", "timeout", "path", "user", "region",
             "Washington", "Paris", "retry", "level", "cache", "mode", "host", "port", "owner", "size"]
    lines, total, i = [], 0, 0
    while total < size:
        line = f"{rng.choice(words)}_{i}: {rng.choice(words)} {rng.randrange(10_000)}"
        lines.append(line)
        total += len(line) + 1
        i += 1
    return "\n".join(lines) + "\n"


def seed_paragraphs() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from kg.ingest import read_document

    paragraphs = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = read_document(path).text
        paragraphs += [p.strip() for p in text.split("\n\n") if len(p.split()) >= 12]
    return paragraphs


def prose(size: int, seed: int = 7) -> str:
    """*size* bytes of article paragraphs recombined from the seeds."""
    rng = random.Random(seed)
    paragraphs = seed_paragraphs()
    out, total = [], 0
    while total < size:
        p = rng.choice(paragraphs)
        out.append(p)
        total += len(p.encode("utf-8")) + 2
    return "\n\n".join(out) + "\n"


FIRST = ["Joe", "Maria", "Ahmed", "Olena", "Kwame", "Li", "Sofia", "Rahul", "Ana", "Pierre", "Fatima", "John",
         "Yuki", "Carlos", "Amina", "Peter", "Elena", "Omar", "Grace", "Hans"]
LAST = ["Biden", "Silva", "Haddad", "Kovalenko", "Mensah", "Wei", "Rossi", "Sharma", "Costa", "Dubois",
        "Okafor", "Smith", "Tanaka", "Lopez", "Diallo", "Novak", "Petrova", "Farouk", "Mwangi", "Becker"]
PLACES = [("France", "Paris"), ("Kenya", "Nairobi"), ("Brazil", "Brasilia"), ("Japan", "Tokyo"),
          ("Germany", "Berlin"), ("India", "New Delhi"), ("Nigeria", "Abuja"), ("Mexico", "Mexico City"),
          ("Ukraine", "Kyiv"), ("Canada", "Ottawa"), ("Egypt", "Cairo"), ("Chile", "Santiago")]


def many_mentions(n: int, seed: int = 3) -> str:
    """One article with about *n* entity mentions: sentences naming two
    people, a country and a city, five to a paragraph."""
    rng = random.Random(seed)
    sentences = []
    for i in range(n // 4):
        (country, city), a, b = rng.choice(PLACES), rng.choice(FIRST), rng.choice(FIRST)
        sentences.append(f"President {a} {rng.choice(LAST)} of {country} met {b} {rng.choice(LAST)} "
                         f"in {city} on March {i % 28 + 1}, 2023.")
    return "\n\n".join(" ".join(sentences[i:i + 5]) for i in range(0, len(sentences), 5)) + "\n"


def front_matter(lines: int) -> str:
    """A Markdown article whose front matter has *lines* lines (a title and
    date, then ``key: value`` lines), over the 200 a block used to be read as
    front matter within."""
    head = ['title: "Presidents meet in Nairobi"', "date: 2023-03-25"]
    head += [f"field_{i}: value {i}" for i in range(lines - len(head))]
    body = ("President William Ruto of Kenya met President Joe Biden in Nairobi on March 25, 2023. "
            "They discussed trade and energy.\n")
    return "---\n" + "\n".join(head) + "\n---\n\n" + body


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def make_case(name: str, folder: Path) -> None:
    folder.mkdir(parents=True)
    if name == "kv-1mb":
        _write(folder, "keys.txt", key_value_lines(1 * MB))
    elif name == "kv-2mb":
        _write(folder, "keys.txt", key_value_lines(2 * MB))
    elif name == "front-matter":
        # ~1 MB of front matter: read as article text, it was a key: value file
        _write(folder, "article.md", front_matter(50_000))
    elif name == "prose-1mb":
        _write(folder, "prose.txt", prose(1 * MB))
    elif name == "prose-50":
        text = prose(1 * MB)
        paragraphs = text.split("\n\n")
        step = -(-len(paragraphs) // 50)
        for i in range(50):
            _write(folder, f"prose{i:02d}.txt", f"Part {i}.\n\n" + "\n\n".join(paragraphs[i * step:(i + 1) * step]))
    elif name == "mentions-20k":
        _write(folder, "mentions.txt", many_mentions(20_000))
    elif name in ("prose-max", "kv-max"):  # just under kg build's default --max-bytes
        from kg.ingest import DEFAULT_MAX_BYTES

        size = DEFAULT_MAX_BYTES - 4096
        _write(folder, "max.txt", (prose(size) if name == "prose-max" else key_value_lines(size))[:size])
    else:
        raise SystemExit(f"unknown case {name!r}; cases: {', '.join(CASES + SLOW_CASES)}")


CASES = ("kv-1mb", "kv-2mb", "front-matter", "prose-1mb", "prose-50", "mentions-20k")
#: Cases run only when asked for (--only): a file of the largest size kg build reads by default.
SLOW_CASES = ("prose-max", "kv-max")

# ---------------------------------------------------------------- measuring


def _tree(pid: int) -> list[int]:
    """*pid* and its descendants (from /proc/PID/task/*/children)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except OSError:
            pass
    return found


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kib(pid: int) -> int:
    """Proportional set size: the pages a process shares (a forked worker
    and its parent share the model) counted once between them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(argv: list[str], interval: float = 0.02) -> dict:
    """Run *argv*; its wall and CPU time (its own and its children's: a
    busy machine stretches the one, not the other), and the peak RSS of its
    process tree (summed; and its PSS, shared pages counted once) and of
    its largest process, in MiB."""
    t = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(argv, stdout=out, stderr=err, text=True)
        peak_sum = peak_one = peak_pss = 0
        for n in itertools.count():
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            tree = _tree(proc.pid)
            sizes = [_rss_kib(p) for p in tree]
            peak_sum, peak_one = max(peak_sum, sum(sizes)), max(peak_one, max(sizes, default=0))
            if n % 5 == 0:  # slower to read
                peak_pss = max(peak_pss, sum(_pss_kib(p) for p in tree))
            time.sleep(interval)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - t
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    mentions = re.search(r"^mentions: (\d+)", stdout, re.M)
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "tree_mib": peak_sum / 1024, "pss_mib": peak_pss / 1024,
            "one_mib": max(peak_one, usage.ru_maxrss) / 1024, "status": proc.returncode,
            "mentions": int(mentions.group(1)) if mentions else None, "stderr": stderr}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", choices=CASES + SLOW_CASES, help="run only this case (repeatable)")
    parser.add_argument("--workers", type=int, default=1, help="kg build --workers (default 1)")
    parser.add_argument("--target-mib", type=float, default=1024, help="peak RSS allowed (default 1024 MiB)")
    parser.add_argument("--keep", action="store_true", help="keep the inputs and outputs (their folder is printed)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-memory-"))
    over = []
    print(f"target: peak RSS of the build's process tree <= {args.target_mib:.0f} MiB; "
          f"workers {args.workers}; load average {os.getloadavg()[0]:.2f}")
    print(f"{'case':<14} {'input':>9} {'tree MiB':>9} {'PSS':>6} {'largest':>8} {'seconds':>8} {'cpu s':>7} "
          f"{'mentions':>9}")
    try:
        for name in args.only or CASES:
            folder = tmp / name / "in"
            make_case(name, folder)
            size = sum(p.stat().st_size for p in folder.iterdir())
            argv = [sys.executable, "-m", "kg", "build", str(folder), "--out", str(tmp / name / "out"),
                    "--workers", str(args.workers)]
            got = measure(argv)
            flag = "" if got["tree_mib"] <= args.target_mib else "  OVER"
            print(f"{name:<14} {size / MB:>7.2f}MB {got['tree_mib']:>9.0f} {got['pss_mib']:>6.0f} {got['one_mib']:>8.0f} "
                  f"{got['seconds']:>8.1f} {got['cpu']:>7.1f} {got['mentions'] if got['mentions'] is not None else '-':>9}{flag}",
                  flush=True)
            if got["status"] not in (0, 3):  # 3: written, with warnings (the front matter left out)
                print(f"  kg build exited with status {got['status']}:\n{got['stderr'][-2000:]}", file=sys.stderr)
                over.append(name)
            elif flag:
                over.append(name)
    finally:
        if args.keep:
            print(f"inputs and outputs: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if over:
        print(f"over the target or failed: {', '.join(over)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
