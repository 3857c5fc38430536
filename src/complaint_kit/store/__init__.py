"""Where register and form files are written: one writer at a time (``lock``), form and register as
one commit with recovery (``txn``), durable replaces that keep file modes (``files``), and the
session every register command runs in (``session``)."""
