"""A run's mail stage: calendar events and cancellations (events.py), then the letters and
e-mails that go with them (messages.py)."""

from __future__ import annotations

from pipeline.mail.events import Cancellation, Planned
from pipeline.mail.messages import Messages, letter_paths
from pipeline.publish.manifest import ManifestRow
from pipeline.register.changes import Comparison


class Mailing(Messages):
    """Calendar files, cancellations and e-mails of one run, in the staging folder."""

    def cancellations(
        self, comparison: Comparison
    ) -> tuple[Comparison, list[ManifestRow], list[Cancellation]]:
        """Write a METHOD:CANCEL file per invitation that is gone in this cycle version and a
        cancellation letter when the person is still in the workbook. Returns the
        comparison with the cancelled events' paths moved to their cancel files, the new
        manifest rows, and per cancellation (calendar row, letter row, event)."""
        plan = self.cancel_events(comparison)
        letters, done = self.cancellation_letters(plan.letters)
        return plan.comparison, plan.rows + letters, plan.done + done


__all__ = ["Cancellation", "Mailing", "Planned", "letter_paths"]
