"""Execute notebooks/explore_posteriors.ipynb without a browser (``make notebook-run``).

The kernel is this interpreter (the project's ``.venv``), whatever kernel specs the machine
has; the working directory is the repository root, so relative ``SUMMIT_*`` paths mean what
they mean for the command line. The executed copy goes to ``--out`` (default
``reports/notebook/explore_posteriors.ipynb``); the stored notebook is never modified. A
failing cell stops with its error and exit status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "explore_posteriors.ipynb"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "reports" / "notebook" / NOTEBOOK.name,
        help="where to write the executed notebook",
    )
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(NOTEBOOK, as_version=4)
    with tempfile.TemporaryDirectory(prefix="summit-kernel-") as tmp:
        spec = Path(tmp) / "kernels" / "python3"
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(
            json.dumps(
                {
                    "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    "display_name": "Python 3 (ipykernel)",
                    "language": "python",
                }
            ),
            encoding="utf-8",
        )
        os.environ["JUPYTER_PATH"] = os.pathsep.join(
            p for p in (tmp, os.environ.get("JUPYTER_PATH")) if p
        )
        os.environ.setdefault("MPLBACKEND", "Agg")
        client = NotebookClient(
            nb,
            kernel_name="python3",
            timeout=args.timeout,
            resources={"metadata": {"path": str(ROOT)}},
        )
        try:
            client.execute()
        except CellExecutionError as exc:
            print(f"{NOTEBOOK}: a cell failed:\n{exc}", file=sys.stderr)
            return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = args.out.with_name(f".{args.out.name}.tmp")
    nbformat.write(nb, tmp_out)
    tmp_out.replace(args.out)
    print(f"executed {NOTEBOOK.relative_to(ROOT)} -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
