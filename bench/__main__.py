"""``python -m bench [SECTION ...] [--quick]``: run the benchmarks and print the table."""

from __future__ import annotations

import argparse
import importlib

from bench.common import print_figures

SECTIONS = {
    "transitions": "bench.transitions",
    "startup": "bench.startup",
    "import": "bench.import_scdl",
    "audit": "bench.audit_verify",
    "reads": "bench.reads",
    "lists": "bench.lists",
    "live": "bench.live",
    "postgres": "bench.pg_clerks",
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("sections", nargs="*", choices=[*SECTIONS, []], help="default: all")
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    args = parser.parse_args(argv)
    figures = []
    for name in args.sections or list(SECTIONS):
        module = importlib.import_module(SECTIONS[name])
        print(f"… {name}", flush=True)
        figures.extend(module.run(quick=args.quick))
    print_figures(figures)


if __name__ == "__main__":
    main()
