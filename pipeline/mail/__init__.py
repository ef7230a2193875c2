"""Stage after documents/: calendar invitations (.ics), e-mail messages (.eml), sending."""
