"""intervisie-docs: turn an intervisie workbook into Word documents.

One package per stage, in the order of a run (run.py): workbook, content, documents,
render, register, mail, pdf, publish, archive; kinds.py and runplan.py say what a run
makes, model.py holds the records between stages, cli/ is the command line.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("intervisie-docs")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"
