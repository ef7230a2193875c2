"""Stage 5: calendar events and cancellations (events.py, calendar.py), the Dutch letters
and e-mails that go with them (messages.py, outbox.py), run together as the mail stage
(mailing.py); sending an outbox over SMTP (send.py, connection.py, smtp.py), each delivery
recorded in the register."""
