"""The `intervisie` command: thin over the library; Dutch for the user.

One module per command group: workbook.py (controleer, nieuw-werkboek), documents.py
(genereer), mail.py (verstuur), status.py (status), templates.py (sjablonen), archive.py
(archief); what they share (options, console text, the one error wrapper) is in
common.py.
"""

from __future__ import annotations

import click

from pipeline import __version__
from pipeline.cli.archive import archief
from pipeline.cli.common import CONTEXT, OPTIONS, SUBCOMMANDS
from pipeline.cli.documents import genereer
from pipeline.cli.mail import verstuur
from pipeline.cli.status import status
from pipeline.cli.templates import sjablonen
from pipeline.cli.workbook import controleer, nieuw_werkboek


@click.group(context_settings=CONTEXT, options_metavar=OPTIONS, subcommand_metavar=SUBCOMMANDS)
@click.version_option(
    __version__, "--versie", message="intervisie-docs %(version)s", help="Toon de versie en stop."
)
def main() -> None:
    """Maak intervisie-documenten uit één Excel-werkboek.

    Uit het werkboek (bladen Organisatie, Sessies, Deelnemers, Indeling en optioneel
    Uitkomsten) maakt dit programma uitnodigingen, draaiboeken, syllabi en
    vervolgadviezen als Word-documenten, en afzeggingen voor indelingen die sinds de
    vorige run zijn vervallen. Begin met `intervisie nieuw-werkboek`, vul het
    werkboek in, controleer het met `intervisie controleer` en maak de documenten met
    `intervisie genereer`.
    """


for command in (controleer, genereer, verstuur, status, nieuw_werkboek, sjablonen, archief):
    main.add_command(command)
