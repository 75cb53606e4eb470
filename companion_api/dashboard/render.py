"""Template helpers: times, durations, highlighted code, and run output as the panel shows it."""
from datetime import timezone
from urllib.parse import urlsplit

from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.lexers.special import TextLexer
from pygments.util import ClassNotFound

from ..services import notebook
from ..services.output import parse_table
from ..text import replace_surrogates
from . import bp

HIGHLIGHT_CLASS = "hl"
_formatter = HtmlFormatter(cssclass=HIGHLIGHT_CLASS)
HEADLINE_CHARS = 80


@bp.app_template_filter("when")
def when(dt):
    """A <time> in UTC, which dashboard.js shows in the browser's time zone (UTC on hover)."""
    if not dt:
        return Markup("")
    utc = dt.astimezone(timezone.utc)
    text = utc.strftime("%Y-%m-%d %H:%M UTC")
    return Markup('<time datetime="{}" title="{}" data-local>{}</time>').format(
        utc.isoformat(), text, text)


@bp.app_template_filter("duration")
def duration(ms):
    if ms is None:
        return ""
    if ms < 1000:
        return f"{ms} ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f} s"
    return f"{ms // 60_000} min {ms % 60_000 // 1000} s"


@bp.app_template_filter("percent")
def percent(ratio):
    return "" if ratio is None else f"{ratio * 100:.0f}%"


@bp.app_template_filter("headline")
def headline(run):
    """The run's title, else the first non-blank line of its code."""
    return _cut(run.title or next((line.strip() for line in run.code.splitlines() if line.strip()), ""))


@bp.app_template_filter("run_label")
def run_label(run):
    """What a run is called in lists: {name, site}. The page's title (stored when the user's
    privacy setting allows) with its site beneath, else the site, else the run's headline."""
    site = run.page_site or None
    name = (run.page_title or "").strip()
    if name:
        return {"name": _cut(name), "site": site}
    if site:
        return {"name": site, "site": None}
    return {"name": headline(run) or "(empty)", "site": None}


def _cut(text):
    return text if len(text) <= HEADLINE_CHARS else text[:HEADLINE_CHARS - 1] + "…"


@bp.app_template_filter("preview_note")
def preview_note(language):
    """For a preview language (HTML, CSS): why only the code is here; else ""."""
    return notebook.PREVIEW_NOTE if notebook.is_preview(language) else ""


@bp.app_template_filter("highlight")
def highlight_code(code, language):
    """Server-side highlighting; markup uses classes only (the CSP forbids inline styles)."""
    try:
        lexer = get_lexer_by_name(language or "text", stripnl=False)
    except ClassNotFound:
        lexer = TextLexer(stripnl=False)
    return Markup(highlight(code, lexer, _formatter))


def highlight_css():
    return _formatter.get_style_defs(f".{HIGHLIGHT_CLASS}")


@bp.app_template_filter("http_url")
def http_url(url):
    """The URL if it is http(s) (then it may become a link), else None."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _cell(value):
    if value is None:
        return ""
    return replace_surrogates(str(value))


def _value(value):
    """A table cell: a null is SQL's NULL (a DataFrame's missing values arrive as text)."""
    return "NULL" if value is None else _cell(value)


def _table(content):
    """{columns, rows, has_index} as header and body cells; None if the content is not a table
    (only a row stored before shapes were checked at store time can be one)."""
    table = parse_table(content)
    if table is None:
        return None
    columns = [_cell(c) for c in table["columns"]]
    index = table.get("index")
    rows = []
    for i, row in enumerate(table["rows"]):
        if isinstance(row, dict):
            cells = [_value(row.get(c)) for c in table["columns"]]
        elif isinstance(row, list):
            cells = [_value(v) for v in row]
        else:
            cells = [_value(row)]
        label = _cell(index[i]) if index is not None and i < len(index) else None
        rows.append({"label": label, "cells": cells})
    return {"columns": columns, "rows": rows, "has_index": index is not None}


@bp.app_template_filter("output_blocks")
def output_blocks(items):
    """Each output item as {kind: figure | table | text, type, ...} for the templates."""
    blocks = []
    for item in items or []:
        kind, content = item.get("type"), _cell(item.get("content"))
        if kind == "figure":
            blocks.append({"kind": "figure", "type": kind, "src": "data:image/png;base64," + content})
            continue
        table = _table(content) if kind == "table" else None
        if table is not None:
            blocks.append({"kind": "table", "type": kind, "table": table})
        else:
            blocks.append({"kind": "text", "type": kind, "text": content})
    return blocks
