"""A child process that prints HTML documents with WeasyPrint (see ``danvan.pdf``).

Run as ``python -P danvan/pdf_child.py`` (``-P``: the folder of this file is not put on
``sys.path``, so ``danvan/numbers.py`` cannot shadow the standard library). Reads a JSON
request on stdin — ``base_url``, ``stylesheets`` (file paths, fonts first), ``workers``
and ``parts``, a list of ``{"html", "out"}`` (where to write each PDF) — and answers on
stdout with a list of ``{"pages", "peak_rss"}``, in the order of the parts. Imports
neither Django nor the project.

Importing WeasyPrint costs ≈1.4 s of CPU (cffi parses Pango's declarations), so it is
imported once, here, and each part is printed in a process forked from this one, at most
``workers`` at a time: a part's memory (≈0.13 MB per table row, mostly in C) is given back
when its process ends.
"""

import json
import os
import sys
import traceback


def main() -> None:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    request = json.load(sys.stdin)
    font_config = FontConfiguration()
    sheets = [CSS(filename=path, font_config=font_config) for path in request["stylesheets"]]

    def print_part(part: dict) -> None:
        document = HTML(string=part["html"], base_url=request["base_url"]).render(
            stylesheets=sheets, font_config=font_config
        )
        document.write_pdf(part["out"])
        with open(part["out"] + ".pages", "w") as pages:
            pages.write(str(len(document.pages)))

    parts = request["parts"]
    workers = max(1, int(request.get("workers", 2)))
    answers: list[dict | None] = [None] * len(parts)
    running: dict[int, int] = {}
    failed = []
    queue = list(enumerate(parts))
    while queue or running:
        while queue and len(running) < workers and not failed:
            index, part = queue.pop(0)
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                status = 0
                try:
                    print_part(part)
                except BaseException:  # noqa: BLE001 — reported on stderr, then exit 1
                    traceback.print_exc()
                    status = 1
                finally:
                    sys.stderr.flush()
                    # No clean-up in the fork: the font folder belongs to this process.
                    os._exit(status)
            running[pid] = index
        if not running:
            break
        pid, status, usage = os.wait4(-1, 0)
        index = running.pop(pid)
        if status != 0:
            failed.append(index)
            continue
        with open(parts[index]["out"] + ".pages") as pages:
            # ru_maxrss is in kilobytes on Linux.
            answers[index] = {"pages": int(pages.read()), "peak_rss": usage.ru_maxrss * 1024}
    if failed:
        sys.exit(f"part {failed[0]} failed")
    json.dump(answers, sys.stdout)


if __name__ == "__main__":
    main()
