"""Use cases: one function per button. Each reads through the Book port, computes in the domain,
and writes once (``book.apply``); on any error nothing is written and every problem is returned."""
