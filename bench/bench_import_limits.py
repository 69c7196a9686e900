"""Import bombs refused: a .docx whose document.xml expands to 300 MB, and a 2,000-page PDF.

Run from the repo root: ``.venv/bin/python bench/bench_import_limits.py``. Builds both files in a
temporary folder, then reads each in a fresh process (so its peak resident memory is its own) and
prints the refusal, the time it took, the tracemalloc peak and the process's peak RSS
(``resource.getrusage``). Targets (issue 10): refused in under 2 s, peak memory under 200 MB.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
TIME_TARGET_S = 2.0
MEMORY_TARGET_MB = 200.0


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gsx_portal.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def one(path: Path) -> dict[str, object]:
    """In the child: read the file as an upload would be, and measure the refusal."""
    _django()
    from importing.readers import DocumentError, read_document

    data = path.read_bytes()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def refuse() -> tuple[str, float]:
        started = time.perf_counter()
        try:
            read_document(filename=path.name, data=data)
            message = "(read: not refused)"
        except DocumentError as exc:
            message = exc.message
        return message, time.perf_counter() - started

    # The first refusal in a process also imports the reader (pdfminer, python-docx): timed
    # apart, as a web process does it once; the second is what each further upload costs.
    tracemalloc.start()
    message, cold = refuse()
    _message, seconds = refuse()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "cold_seconds": cold,
        "file": path.name,
        "size_mb": len(data) / 2**20,
        "message": message,
        "seconds": seconds,
        "tracemalloc_peak_mb": peak / 2**20,
        "rss_before_mb": rss_before,
        "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> int:
    _django()
    from importing.tests.bombs import docx_bomb, pdf_with_pages

    failed = False
    with tempfile.TemporaryDirectory() as folder:
        files = {"bomb.docx": docx_bomb(expanded_mb=300), "long.pdf": pdf_with_pages(2000)}
        for name, data in files.items():
            path = Path(folder) / name
            path.write_bytes(data)
            child = subprocess.run(
                [sys.executable, __file__, "--one", str(path)], capture_output=True, text=True, check=True
            )
            row = json.loads(child.stdout.strip().splitlines()[-1])
            ok = row["cold_seconds"] < TIME_TARGET_S and row["rss_peak_mb"] < MEMORY_TARGET_MB
            failed |= not ok
            print(
                f"{row['file']:10} {row['size_mb']:.2f} MB on disk: {row['seconds'] * 1000:.1f} ms "
                f"(first in the process, with imports: {row['cold_seconds'] * 1000:.0f} ms), "
                f"tracemalloc peak {row['tracemalloc_peak_mb']:.1f} MB, "
                f"process peak RSS {row['rss_peak_mb']:.0f} MB (before reading {row['rss_before_mb']:.0f} MB) "
                f"{'OK' if ok else 'OVER TARGET'}\n    {row['message']}"
            )
    print(f"targets: under {TIME_TARGET_S:g} s and {MEMORY_TARGET_MB:g} MB each")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(one(Path(sys.argv[2]))))
        sys.exit(0)
    sys.exit(main())
