"""Adapters of the Book port: in-memory fake, openpyxl files, (later) xlwings live Excel."""
