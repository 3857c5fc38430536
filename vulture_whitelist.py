"""Names vulture (dead-code finder, issue 12) cannot see used; checked in CI by
``uv run vulture src/complaint_kit tests benchmarks vulture_whitelist.py --min-confidence 60``.

Everything listed is called by a framework, not by our code: typer commands, the add-in's
handlers (looked up by name from the button registry), xlwings cell functions, pytest hooks and
fixtures, pydantic validators and config, enum members that exist for their value, and attributes
openpyxl / xlwings / zipfile read when they save. A name that is really unused belongs deleted,
not listed here.
"""

# ruff: noqa: B018, F821
# typer commands (cli.py): registered by decorator
init, new_form_cmd, validate, accept, complete, reopen, refresh, unlock, templates_build, addin_build
slips, petition, abnormal  # issue 7's paper commands (typer calls them)
addin_install, addin_docs, demo, keys_init, keys_show_id, verify, upgrade
copies  # the 五联 command (cli.py) and its button's handler (addin/handlers.py)
service_new, service_call, service_dispatch, service_arrive, service_finish, service_survey, service_status, service_day, service_notices
service_receive_goods, service_return_goods, service_month_cmd, service_papers
service_complaint, service_answer, service_visit  # issue 11
service_update, service_verify  # issue 11: typer commands and the 服务 group's handlers of the same names
# add-in handlers (addin/handlers.py): called as getattr(handlers, button.handler); dispatch is what VBA runs
about, dispatch
# xlwings cell functions (addin/udfs.py): called by Excel
CK_DUE, CK_WORKTIME, CK_STATUS
# the test double every action test is built on (adapters/memory.py) — used from tests via conftest
MemoryBook
# pydantic (domain/settings.py): model configuration and field validators
model_config, _check_hours, _check_weekdays, _check_years, _check_authority_order
# enum members and dataclass fields that exist for their value or shape
OFF, ALLOWANCE, COMPENSATION, YES, customer_request
# pytest: hooks, autouse fixtures and fixtures named in usefixtures, module marks
pytest_terminal_summary, seekable, _close_remote_books, _no_stale_lock_left, _signing_key, no_config, pytestmark
# attributes set for openpyxl / xlwings / zipfile to read when the file is written
_.alignment, _.border, _.compress_type, _.creator, _.created, _.modified, _.errorTitle, _.external_attr
_.fitToHeight, _.fitToPage, _.fitToWidth, _.font, _.fill, _.formatColumns, _.formatRows, _.height
_.print_area, _.print_title_rows, _.project_id, _.right, _.showErrorMessage, _.tableStyleInfo
_.freeze_panes, _.paperSize, _.orientation, _.sheet_state, _.data_type, _.column_width, _.color, _.Value
_.tabSelected, _.horizontalCentered, _.showGridLines, _.formatCells  # the 五联 copies (adapters/copies.py)
# the month's report (adapters/report.py): chart, label and core-property attributes openpyxl writes
_.tx, _.cat, _.grouping, _.lastModifiedBy, _.objects, _.showCatName, _.showLegendKey, _.showPercent
_.showSerName, _.showVal
# issue 8: the register's print order, 概览's chart fills and legend, the 催办单 rows on the desktop,
# the bundle's zip entries made on a Unix system, the add-in test's parsed PROJECT record
_.pageOrder, _.solidFill, _.position, _.row_height, _.create_system, project_name
# issue 9: the import command and its button's handler, the mail-domain setting's validator
import_cmd, import_returned, _check_domains
