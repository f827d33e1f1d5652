"""`python -m tests.nu [FOLDER]`: the Nu HTML Checker over the pages a run kept (or a folder
of .html files); exit 1 with each error listed."""

import sys
from pathlib import Path

from tests.nu import check, kept, newest_run

folder = Path(sys.argv[1]) if len(sys.argv) > 1 else newest_run()
problems = check(folder)
for problem in problems:
    print(problem)
print(f"Nu HTML Checker: {len(problems)} errors in {len(kept(folder))} pages of {folder}")
sys.exit(1 if problems else 0)
