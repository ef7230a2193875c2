"""intervisie-docs: turn an intervisie workbook into Word documents."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("intervisie-docs")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"
