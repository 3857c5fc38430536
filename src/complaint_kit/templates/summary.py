"""概览: the register's dashboard — counts and four native charts that Excel keeps current.

Every figure is a formula over the ``Register`` table's columns by header (structured references
such as ``Register[状态]``), so Excel and LibreOffice recalculate it on opening and after every
edit; nothing on this sheet is written by the kit after the template is built. The charts read
those formula cells; openpyxl keeps them when an action loads and saves the register
(:mod:`complaint_kit.adapters.dashboard` checks, and rebuilds a sheet that lost them).

Layout (A4 landscape, two pages, no chart over a table or another chart):

* page 1: the count table (国内/国外 × 状态/时效, rows 3–8, read by other code), 要点 beside it,
  then 在办案件 by stage (with its holding department) and 各部门 在办/逾期, each chart above its
  table;
* page 2: 每月受理件数 for the 12 months ending at 数据截至 (the latest 受理时间 or 更新时间), and the
  on-time rate per stage: a finished stage counts as on time when 完成 ≤ 期限 (approval against
  结案期限, C17). A stage finished after its deadline but outside working hours is on time for
  ``refresh`` (no working minute late, T1) yet late here: Excel has no working-time calendar.

Charts are anchored cell to cell (``TwoCellAnchor``) on rows of fixed height, so they cover
exactly the cells of :data:`BLOCKS` in Excel and LibreOffice alike, whatever the fonts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.chart import BarChart, Series
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from .. import layout as L
from ..domain.rules import STAGE_HOLDER, STAGE_ORDER, STAGE_ZH, Market, Stage
from .common import BOX, absolute, font

__all__ = [
    "BLOCKS",
    "CHART_ROWS",
    "KEY_CELLS",
    "PRINT_AREA",
    "Block",
    "build_summary",
    "register_headers_read",
    "summary_formulas",
]

# -- where things are (the only cell positions of this sheet) ------------------------------------
LEFT, RIGHT = 1, 7  # first column of the left and right halves (A, G)
HALF_COLUMNS = 5  # A–E and G–K; F is the gutter
WIDTHS = {"A": 16, "B": 10, "C": 10, "D": 10, "E": 10, "F": 3, "G": 16, "H": 10, "I": 10, "J": 10, "K": 10}
ROW_POINTS = 15.0  # every row of the sheet has this height, so a cell-anchored chart has one size
TITLE_POINTS = 28.0
COUNT_HEADER_ROW = 3  # the count table: header row 3, rows 4–8 (other code reads them)
NOTE_ROW = 10
CHART_ROWS = 15  # a chart covers this many rows (about 7.9 cm)
PRINT_SCALE = 90  # percent: two pages of A4 landscape, the manual break between them respected
OPEN_STAGES: tuple[Stage, ...] = tuple(s for s in STAGE_ORDER if s is not Stage.INTAKE)  # intake ends at acceptance
HOLDERS: tuple[str, ...] = tuple(dict.fromkeys(STAGE_HOLDER[s].value for s in OPEN_STAGES))
APPROVAL_LABEL = f"{STAGE_ZH[Stage.APPROVAL]}(结案)"

COLORS = {
    "在办": "4472C4",
    "逾期": "C00000",
    "即将到期": "FFC000",
    "国内": "4472C4",
    "国外": "ED7D31",
    "按时": "70AD47",
}


@dataclass(frozen=True, slots=True)
class Block:
    """One chart and the table under it: the chart covers rows ``chart_top``..``chart_top +
    CHART_ROWS - 1`` of its half; the table's header is at ``header_row``, its charted rows follow,
    then a 合计 row."""

    key: str
    caption: str
    headers: tuple[str, ...]
    labels: tuple[str, ...]  # the charted rows' first column
    first_column: int
    chart_top: int
    charted: tuple[int, ...]  # 0-based table columns drawn as series
    stacked: bool = False
    percent: bool = False

    @property
    def header_row(self) -> int:
        return self.chart_top + CHART_ROWS + 1

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    @property
    def last_row(self) -> int:
        return self.header_row + len(self.labels)

    @property
    def total_row(self) -> int:
        return self.last_row + 1

    @property
    def last_column(self) -> int:
        return self.first_column + len(self.headers) - 1

    def cell(self, row: int, column: int) -> str:
        """``"C30"``: 0-based ``column`` of the table on sheet row ``row``."""
        return f"{get_column_letter(self.first_column + column)}{row}"


TOP = NOTE_ROW + 2  # the first pair of charts
_stage_labels = tuple(STAGE_ZH[s] for s in OPEN_STAGES)


def _on_time_stages() -> tuple[tuple[str, str, str], ...]:
    """(label, 期限 attr, 完成 attr) of every stage the register has both columns for, routing order;
    approval is due with the case (C17): 核决完成 against 结案期限."""
    out = [
        (STAGE_ZH[s], f"{s.value}_due_at", f"{s.value}_done_at")
        for s in STAGE_ORDER
        if f"{s.value}_due_at" in L.COLUMN_BY_ATTR and f"{s.value}_done_at" in L.COLUMN_BY_ATTR
    ]
    out.append((APPROVAL_LABEL, "case_due_at", "approval_done_at"))
    return tuple(out)


ON_TIME_STAGES = _on_time_stages()
_first = Block("stage", L.SUMMARY_STAGE_CAPTION, L.SUMMARY_STAGE_HEADERS, _stage_labels, LEFT, TOP, charted=(2, 3))
_holder = Block("holder", L.SUMMARY_HOLDER_CAPTION, L.SUMMARY_HOLDER_HEADERS, HOLDERS, RIGHT, TOP, charted=(1, 2, 3))
PAGE_BREAK = max(_first.total_row, _holder.total_row) + 1  # the last row of page 1
_months = tuple(str(k) for k in range(L.SUMMARY_MONTHS))  # labels are formulas; these are placeholders
BLOCKS: tuple[Block, ...] = (
    _first,
    _holder,
    Block(
        "month", L.SUMMARY_MONTH_CAPTION, L.SUMMARY_MONTH_HEADERS, _months, LEFT, PAGE_BREAK + 1, (1, 2), stacked=True
    ),
    Block(
        "on_time",
        L.SUMMARY_ON_TIME_CAPTION,
        L.SUMMARY_ON_TIME_HEADERS,
        tuple(label for label, _, _ in ON_TIME_STAGES),
        RIGHT,
        PAGE_BREAK + 1,
        charted=(4,),
        percent=True,
    ),
)
BLOCK = {b.key: b for b in BLOCKS}
LAST_ROW = max(b.total_row for b in BLOCKS)
PRINT_AREA = f"A1:{get_column_letter(RIGHT + HALF_COLUMNS - 1)}{LAST_ROW}"
KEY_LABELS = (
    L.SUMMARY_KEY_OPEN,
    L.SUMMARY_KEY_OVERDUE,
    L.SUMMARY_KEY_SOON,
    L.SUMMARY_KEY_ON_TIME,
    L.SUMMARY_KEY_REFRESHED,
    L.SUMMARY_KEY_AS_OF,
)
KEY_CELLS = {label: f"{get_column_letter(RIGHT + 1)}{COUNT_HEADER_ROW + 1 + i}" for i, label in enumerate(KEY_LABELS)}


# -- formulas ------------------------------------------------------------------------------------
def _col(attr: str) -> str:
    """``Register[状态]``: a register column by its header, wherever the column is."""
    return f"{L.REGISTER_TABLE}[{L.COLUMN_BY_ATTR[attr].header}]"


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _count(*pairs: tuple[str, str]) -> str:
    return "COUNTIFS(" + ",".join(f"{_col(attr)},{criterion}" for attr, criterion in pairs) + ")"


def _open(attr: str, value: str) -> str:
    """Open cases (处理中 or 待核决) whose ``attr`` is ``value``."""
    return "+".join(_count((attr, _q(value)), ("status", _q(s))) for s in L.SUMMARY_OPEN_STATUSES)


def _month_start(k: int) -> str:
    """First day of the ``k``-th month (0 = oldest) of the 12 ending at 数据截至."""
    as_of = absolute(KEY_CELLS[L.SUMMARY_KEY_AS_OF])
    offset = k - L.SUMMARY_MONTHS + 1
    return f"DATE(YEAR({as_of}),MONTH({as_of}){offset:+d},1)" if offset else f"DATE(YEAR({as_of}),MONTH({as_of}),1)"


def summary_formulas() -> dict[str, Any]:
    """Every formula cell of the dashboard: ``{"B30": "=COUNTIFS(...)", ...}``."""
    cells: dict[str, Any] = {}
    for i, label in enumerate(L.SUMMARY_STATUSES + L.SUMMARY_TIMELINESS):
        r = COUNT_HEADER_ROW + 1 + i
        column = "status" if label in L.SUMMARY_STATUSES else "timeliness"
        cells[f"A{r}"] = label
        for letter, market in (("B", Market.DOMESTIC), ("C", Market.FOREIGN)):
            cells[f"{letter}{r}"] = "=" + _count((column, _q(label)), ("market", _q(market.value)))
        cells[f"D{r}"] = f"=B{r}+C{r}"

    stage = BLOCK["stage"]
    for i, s in enumerate(OPEN_STAGES):
        r = stage.first_row + i
        cells[stage.cell(r, 0)] = STAGE_ZH[s]
        cells[stage.cell(r, 1)] = STAGE_HOLDER[s].value
        cells[stage.cell(r, 2)] = "=" + _open("current_stage", STAGE_ZH[s])
        cells[stage.cell(r, 3)] = "=" + _count(("current_stage", _q(STAGE_ZH[s])), ("timeliness", _q("逾期")))

    holder = BLOCK["holder"]
    for i, department in enumerate(HOLDERS):
        r = holder.first_row + i
        cells[holder.cell(r, 0)] = department
        cells[holder.cell(r, 1)] = "=" + _open("holder", department)
        for j, timeliness in ((2, "逾期"), (3, "即将到期")):
            cells[holder.cell(r, j)] = "=" + _count(("holder", _q(department)), ("timeliness", _q(timeliness)))

    month = BLOCK["month"]
    accepted = _col("accepted_at")
    for k in range(L.SUMMARY_MONTHS):
        r = month.first_row + k
        start, end = _month_start(k), _month_start(k + 1)
        cells[month.cell(r, 0)] = f'=YEAR({start})&"-"&RIGHT(100+MONTH({start}),2)'
        for j, market in ((1, Market.DOMESTIC), (2, Market.FOREIGN)):
            cells[month.cell(r, j)] = (
                f'=COUNTIFS({accepted},">="&{start},{accepted},"<"&{end},{_col("market")},{_q(market.value)})'
            )
        cells[month.cell(r, 3)] = f"={month.cell(r, 1)}+{month.cell(r, 2)}"

    on_time = BLOCK["on_time"]
    for i, (label, due_attr, done_attr) in enumerate(ON_TIME_STAGES):
        r = on_time.first_row + i
        due, done = _col(due_attr), _col(done_attr)
        both = f"ISNUMBER({done})*ISNUMBER({due})"
        cells[on_time.cell(r, 0)] = label
        cells[on_time.cell(r, 1)] = f"=SUMPRODUCT({both})"
        cells[on_time.cell(r, 2)] = f"=SUMPRODUCT({both}*({done}<={due}))"
        cells[on_time.cell(r, 3)] = f"={on_time.cell(r, 1)}-{on_time.cell(r, 2)}"
        cells[on_time.cell(r, 4)] = f'=IF({on_time.cell(r, 1)}=0,"",{on_time.cell(r, 2)}/{on_time.cell(r, 1)})'

    for block in BLOCKS:
        r = block.total_row
        cells[block.cell(r, 0)] = L.SUMMARY_TOTAL
        for j in range(1, len(block.headers)):
            top, bottom = block.cell(block.first_row, j), block.cell(block.last_row, j)
            if block is stage and j == 1:
                cells[block.cell(r, j)] = ""
            elif block is on_time and j == 4:
                done, in_time = block.cell(r, 1), block.cell(r, 2)
                cells[block.cell(r, j)] = f'=IF({done}=0,"",{in_time}/{done})'
            else:
                cells[block.cell(r, j)] = f"=SUM({top}:{bottom})"

    open_count = "+".join(_count(("status", _q(s))) for s in L.SUMMARY_OPEN_STATUSES)
    refreshed = _col("refreshed_at")
    cells[KEY_CELLS[L.SUMMARY_KEY_OPEN]] = "=" + open_count
    cells[KEY_CELLS[L.SUMMARY_KEY_OVERDUE]] = "=" + _count(("timeliness", _q("逾期")))
    cells[KEY_CELLS[L.SUMMARY_KEY_SOON]] = "=" + _count(("timeliness", _q("即将到期")))
    cells[KEY_CELLS[L.SUMMARY_KEY_ON_TIME]] = f"={on_time.cell(on_time.total_row, 4)}"
    cells[KEY_CELLS[L.SUMMARY_KEY_REFRESHED]] = f'=IF(COUNT({refreshed})=0,"",MAX({refreshed}))'
    # the newest event the register records; an empty register counts back from today
    cells[KEY_CELLS[L.SUMMARY_KEY_AS_OF]] = f"=IF(COUNT({accepted},{refreshed})=0,TODAY(),MAX({accepted},{refreshed}))"
    return cells


def register_headers_read() -> frozenset[str]:
    """The ``Register`` headers the dashboard's formulas read (a register lacking one would show
    ``#REF!`` here, so the dashboard is not put on it)."""
    found: set[str] = set()
    prefix = L.REGISTER_TABLE + "["
    for value in summary_formulas().values():
        if isinstance(value, str):
            for part in value.split(prefix)[1:]:
                found.add(part.split("]", 1)[0])
    return frozenset(found)


# -- the sheet -----------------------------------------------------------------------------------
PLAIN, BOLD, GREY = font(), font(bold=True), font(color="595959")
FORMATS = {"count": "0", "percent": "0.0%", "datetime": L.DATETIME_FORMAT}


def build_summary(ws: Worksheet) -> None:
    """Fill an empty sheet with the dashboard: tables, charts, print set-up, protection."""
    ws["A1"] = L.SUMMARY_TITLE
    ws["A1"].font = font(size=14, bold=True)
    ws.row_dimensions[1].height = TITLE_POINTS
    for r in range(2, LAST_ROW + 1):
        ws.row_dimensions[r].height = ROW_POINTS
    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width

    for coord, value in summary_formulas().items():
        ws[coord] = value or None
        ws[coord].font = PLAIN  # one family on the whole sheet (templates/common.py)

    # the count table (rows 3-8) and 要点 beside it
    for j, header in enumerate(("", *(m.value for m in Market), L.SUMMARY_TOTAL)):
        cell = ws.cell(COUNT_HEADER_ROW, 1 + j, header or None)
        cell.font = BOLD
        cell.alignment = Alignment(horizontal="center")
    _box(ws, 1, COUNT_HEADER_ROW, 4, COUNT_HEADER_ROW + len(L.SUMMARY_STATUSES) + len(L.SUMMARY_TIMELINESS))
    key_header = ws.cell(COUNT_HEADER_ROW, RIGHT, L.SUMMARY_KEY_TITLE)
    key_header.font = BOLD
    for i, label in enumerate(KEY_LABELS):
        r = COUNT_HEADER_ROW + 1 + i
        ws.cell(r, RIGHT, label).font = PLAIN
        value = ws[KEY_CELLS[label]]
        value.alignment = Alignment(horizontal="right")
        if label == L.SUMMARY_KEY_ON_TIME:
            value.number_format = FORMATS["percent"]
        elif label in (L.SUMMARY_KEY_REFRESHED, L.SUMMARY_KEY_AS_OF):
            value.number_format = FORMATS["datetime"]
        ws.merge_cells(start_row=r, start_column=RIGHT + 1, end_row=r, end_column=RIGHT + 2)
    ws.merge_cells(start_row=COUNT_HEADER_ROW, start_column=RIGHT, end_row=COUNT_HEADER_ROW, end_column=RIGHT + 2)
    _box(ws, RIGHT, COUNT_HEADER_ROW, RIGHT + 2, COUNT_HEADER_ROW + len(KEY_LABELS))
    ws.cell(NOTE_ROW, 1, L.SUMMARY_NOTE).font = GREY

    for block in BLOCKS:
        _table(ws, block)
        ws.add_chart(_chart(ws, block))
    on_time = BLOCK["on_time"]
    note = ws.cell(on_time.total_row + 2, on_time.first_column, L.SUMMARY_ON_TIME_NOTE)
    note.font = GREY
    note.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(
        start_row=note.row, start_column=on_time.first_column, end_row=note.row + 2, end_column=on_time.last_column
    )

    ws.row_breaks.append(Break(id=PAGE_BREAK))
    _page_setup(ws)
    ws.protection.sheet = True
    ws.protection.objects = True  # the charts too: they are rebuilt, never edited


def _box(ws: Worksheet, left: int, top: int, right: int, bottom: int) -> None:
    for row in ws.iter_rows(min_row=top, max_row=bottom, min_col=left, max_col=right):
        for cell in row:
            cell.border = BOX


def _table(ws: Worksheet, block: Block) -> None:
    for j, header in enumerate(block.headers):
        cell = ws.cell(block.header_row, block.first_column + j, header)
        cell.font = BOLD
        cell.alignment = Alignment(horizontal="center")
    for r in range(block.first_row, block.total_row + 1):
        for j in range(1, len(block.headers)):
            cell = ws.cell(r, block.first_column + j)
            percent = block.percent and j == len(block.headers) - 1
            cell.number_format = FORMATS["percent" if percent else "count"]
    for j in range(len(block.headers)):
        ws.cell(block.total_row, block.first_column + j).font = BOLD
    _box(ws, block.first_column, block.header_row, block.last_column, block.total_row)


def _ref(ws: Worksheet, block: Block, column: int, top: int, bottom: int) -> str:
    """``'概览'!$C$30:$C$35``: rows ``top``..``bottom`` of the block's 0-based ``column``."""
    letter = get_column_letter(block.first_column + column)
    return f"{quote_sheetname(ws.title)}!${letter}${top}:${letter}${bottom}"


def _chart(ws: Worksheet, block: Block) -> BarChart:
    """A column chart over the block's charted rows (never its 合计), anchored cell to cell."""
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked" if block.stacked else "clustered"
    if block.stacked:
        chart.overlap = 100
    chart.title = _title(block.caption)
    chart.x_axis.delete = False  # openpyxl 3.1 hides both axes unless told otherwise
    chart.y_axis.delete = False
    categories = _ref(ws, block, 0, block.first_row, block.last_row)
    for column in block.charted:
        header = block.headers[column]
        series = Series(values=_ref(ws, block, column, block.first_row, block.last_row))
        # built by hand: openpyxl's add_data names series by relative refs and puts text
        # categories in a numeric ref (see adapters/report.py)
        series.tx = SeriesLabel(strRef=StrRef(f=_ref(ws, block, column, block.header_row, block.header_row)))
        series.cat = AxDataSource(strRef=StrRef(f=categories))
        color = next((c for key, c in COLORS.items() if key in header), None)
        if color:
            series.graphicalProperties.solidFill = color
            series.graphicalProperties.line.solidFill = color
        chart.series.append(series)
    if block.percent:
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        chart.y_axis.number_format = "0%"
        chart.legend = None
    else:
        chart.y_axis.number_format = "0"
        chart.legend.position = "b"
    if not block.stacked:  # twelve thin stacked columns: labels would crowd; the table has the numbers
        chart.dataLabels = _labels()
    chart.anchor = _anchor(block)
    return chart


def _title(text: str) -> Title:
    """A chart title at 12 points (the applications' default, 18 in LibreOffice, wraps a CJK title)."""
    bold = CharacterProperties(sz=1200, b=True)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=bold), r=[RegularTextRun(rPr=bold, t=text)])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _labels() -> DataLabelList:
    """The value on each column, in the cell's own number format."""
    labels = DataLabelList()
    labels.showVal = True
    for flag in ("showLegendKey", "showCatName", "showSerName", "showPercent", "showBubbleSize"):
        setattr(labels, flag, False)
    return labels


def _anchor(block: Block) -> TwoCellAnchor:
    """From the top-left of the block's first chart row to the top-left of the row after its
    last, across the block's half of the sheet (markers are 0-based)."""
    anchor = TwoCellAnchor()
    anchor._from = AnchorMarker(col=block.first_column - 1, row=block.chart_top - 1)
    anchor.to = AnchorMarker(col=block.first_column - 1 + HALF_COLUMNS, row=block.chart_top - 1 + CHART_ROWS)
    return anchor


def _page_setup(ws: Worksheet) -> None:
    """A4 landscape at a fixed scale: Excel ignores manual page breaks under "fit to", so the two
    pages are kept apart by a row break and a scale at which each page fits."""
    ws.print_area = PRINT_AREA
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.scale = PRINT_SCALE
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.5, bottom=0.6, header=0.25, footer=0.25)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "&A  第 &P 页 / 共 &N 页"
    ws.sheet_view.showGridLines = False
