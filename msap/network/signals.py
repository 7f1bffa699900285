"""What a house's changes tell the domains above it (which network must not import)."""

from django.dispatch import Signal

# Art. 3.2: a substantial change of hours was committed; the parties are to be informed.
# Sent with `change_pk` (a network.HoursChange), after the commit.
substantial_hours_change = Signal()
