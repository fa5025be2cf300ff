"""The staff views: the commitment ledger, the report library and (staff only) report upload."""

from __future__ import annotations

import csv
import logging
import shutil
import tempfile
import threading
import uuid
from pathlib import Path

import gradio as gr
from gradio.utils import get_upload_folder

from assistant.app.chat import AppContext, Relabel
from assistant.app.i18n import t
from assistant.app.inputs import parse_year
from assistant.app.render import citation_card, escape_html, escape_markdown, sanitize_filename
from assistant.facts import indicators
from assistant.ledger import filter_ledger, ledger_for
from assistant.search import IndexStoreError
from assistant.search.backends import live_generation
from assistant.search.layout import is_disk_full
from assistant.types import Citation
from assistant.uploads import UploadBusyError

log = logging.getLogger(__name__)

UPLOAD_TYPES = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")
LEDGER_COLUMNS = ["period_label", "region_name", "kind", "indicator", "measure", "value_text",
                  "qualifier", "text", "report"]
LEDGER_WIDTHS = ["80px", "110px", "70px", "130px", "80px", "110px", "70px", "420px", "200px"]
CSV_COLUMNS = LEDGER_COLUMNS + ["year", "period_start", "period_end", "unit", "value", "value_max",
                                "heading", "start", "end", "level", "region", "indicator_text"]
SORT_KEYS = {
    "year": lambda c: (-(c.year or 0), c.report, c.start),
    "indicator": lambda c: (c.indicator, c.year or 0, c.start),
    "report": lambda c: (c.report, c.start),
    "value": lambda c: (c.value is None, c.value or 0.0),
}
LIBRARY_COLUMNS = ["id", "title", "level", "region_name", "year", "language", "issuer", "date",
                   "chars", "passages"]


class LedgerCache:
    """The ledger, loaded in the background (building it can take a while) and again for each
    new index generation (an upload, `govqa index`)."""

    def __init__(self, settings, load=None):
        """`load`: where the facts come from (the app passes its QA's, so they are loaded
        once per process, not twice); default: the index folder of `settings`."""
        self._settings = settings
        self._load = load or (lambda: ledger_for(settings))
        self._items = None
        self._error = ""
        self._generation = None
        self._lock = threading.Lock()

    def _live_generation(self) -> str | None:
        try:
            live = live_generation(self._settings)  # a folder (local) or a collection (Milvus)
        except (IndexStoreError, OSError):
            return self._generation  # a damaged pointer: keep what we have
        return getattr(live, "name", live) if live else None

    def start(self) -> None:
        threading.Thread(target=self.get, daemon=True, name="govqa-ledger").start()

    def get(self):
        """(items, error): the commitments, or None and the reason they are missing."""
        with self._lock:
            live = self._live_generation()
            if live != self._generation:
                self._items, self._error, self._generation = None, "", live
            if self._items is None and not self._error:
                try:
                    self._items = self._load()
                except Exception as exc:  # the ledger is optional for the rest of the app
                    log.exception("ledger unavailable")
                    self._error = f"{type(exc).__name__}: {exc}"
            return self._items, self._error


def query_ledger(items, search="", report="", year=None, region="", indicator="", kind="", sort="year"):
    """Commitments matching the filters, sorted newest report first. `year` is the year a
    figure holds for (a 2025 result is in the 2026 report); `search` matches text,
    indicator or heading."""
    chosen = filter_ledger(items, report=report or None, indicator=indicator or None,
                           period=parse_year(year, "year"),
                           region=region or None, kind=kind or None)
    needle = (search or "").strip()
    if needle:
        chosen = [c for c in chosen if needle in c.text or needle in c.indicator or needle in c.heading]
    return sorted(chosen, key=SORT_KEYS.get(sort, SORT_KEYS["year"]))


def ledger_rows(items, lang: str = "zh", titles: dict[str, str] | None = None) -> list[list]:
    """Table rows in the UI's language: indicator names, kinds and measures translated, the
    report's title (from `titles`) instead of its file path."""
    rows = []
    for item in items:
        record = item.to_dict()
        record["report"] = (titles or {}).get(item.report, item.report)
        record["indicator"] = indicators.display_name(item.indicator, item.level, lang)
        record["kind"] = t(lang, f"kind_{item.kind}")
        record["measure"] = t(lang, f"measure_{item.measure}")
        rows.append([record.get(col) if record.get(col) is not None else "" for col in LEDGER_COLUMNS])
    return rows


def ledger_headers(lang: str) -> list[str]:
    return [t(lang, f"col_{col}") for col in LEDGER_COLUMNS]


def write_csv(items, path: Path) -> Path:
    """The commitments as a UTF-8 (with BOM, for Excel) CSV file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for item in items:
            writer.writerow(item.to_dict())
    return path


class LedgerFiles:
    """The CSV downloads of the ledger view: one file per refresh (each browser's download button
    must keep pointing at its own rows), but only the newest `KEEP` are kept on disk, so refreshing
    cannot fill the disk. They live inside Gradio's upload cache, which Gradio serves as is;
    a file from anywhere else would be copied there once per distinct content, and never deleted."""

    KEEP = 16

    def __init__(self):
        self.folder = Path(get_upload_folder()) / f"govqa-ledger-{uuid.uuid4().hex[:12]}"
        self._lock = threading.Lock()

    def write(self, items) -> str:
        with self._lock:
            path = write_csv(items, self.folder / f"commitments-{uuid.uuid4().hex[:8]}.csv")
            files = sorted(self.folder.glob("commitments-*.csv"), key=lambda p: p.stat().st_mtime_ns)
            for old in files[:-self.KEEP]:
                if old != path:
                    old.unlink(missing_ok=True)
            return str(path)


def commitment_card(qa, item, lang: str) -> str:
    """A source card for one commitment: its sentence highlighted within the report."""
    report = qa.reports.get(item.report)
    citation = Citation(n=1, report=item.report, title=report.title if report else item.report,
                        heading=item.heading or "", start=item.start, end=item.end, text=item.text,
                        quote=item.text, quote_start=item.start, quote_end=item.end)
    try:
        source = qa.source_text(item.report)
    except (KeyError, OSError, ValueError):
        source = None
    return citation_card(citation, source, lang)


def library_rows(qa) -> list[list]:
    rows = []
    for report_id, report in sorted(qa.reports.items()):
        record = {**report.to_dict(), "passages": qa.passage_count(report_id)}
        rows.append([record.get(col) if record.get(col) is not None else "" for col in LIBRARY_COLUMNS])
    return rows


def check_upload(path: str | None, max_mb: int, lang: str) -> str:
    """'' if the uploaded file may be indexed, else the message saying why not."""
    if not path:
        return t(lang, "upload_no_file")
    suffix = Path(path).suffix.lower()
    if suffix not in UPLOAD_TYPES:
        return t(lang, "upload_bad_type").format(suffix=suffix or "?", allowed=", ".join(UPLOAD_TYPES))
    size_mb = Path(path).stat().st_size / 1_000_000
    if size_mb > max_mb:
        return t(lang, "upload_too_big").format(mb=size_mb, limit=max_mb)
    return ""


def received_upload(path: str) -> bool:
    """True only for a regular file inside Gradio's upload cache, i.e. a file Gradio itself
    received from a browser or client. A `FileData` sent to the API can name any server path
    (a mounted app skips Gradio's own check), so the handler must not trust it; links are
    resolved first, so a link in the cache to a file elsewhere is refused too."""
    try:
        real = Path(path).resolve(strict=True)
        cache = Path(get_upload_folder()).resolve()
    except (OSError, RuntimeError):
        return False
    return real.is_file() and real.is_relative_to(cache) and real != cache


def stage_upload(path: str) -> Path:
    """Copy the upload into a fresh staging folder under a sanitized name (the QA core copies
    it from there into the index's uploads folder under that name)."""
    staging = Path(tempfile.mkdtemp(prefix="govqa-upload-"))
    name = sanitize_filename(Path(path).name, default="upload" + Path(path).suffix.lower())
    target = staging / name
    shutil.copyfile(path, target)
    return target


def queued_message(lang: str, dense_progress: float | None) -> str:
    shown = t(lang, "upload_queued_progress").format(pct=dense_progress) if dense_progress is not None else ""
    return t(lang, "upload_queued").format(progress=shown)


def handle_upload(ctx: AppContext, path, title, region, year, level, username: str | None,
                  lang: str = "zh", progress=None, waiting=None) -> str:
    """Index one uploaded report for a logged-in staff user; returns the message to show.
    progress, if given, is called as progress(done, total); waiting(message), if given, with
    a message in the UI's language while the upload waits for a running index build."""
    if not username or username not in ctx.staff:
        return t(lang, "upload_forbidden")
    if path and not received_upload(path):
        log.warning("upload refused: %s is not a file Gradio received", path)
        return t(lang, "upload_not_received")
    problem = check_upload(path, ctx.settings.upload_max_mb, lang)
    if problem:
        return problem
    try:
        year = parse_year(year, "upload_year", lang, label=t(lang, "upload_year"))
    except ValueError as exc:
        return str(exc)
    staged = stage_upload(path)

    def on_wait(dense_progress):
        if waiting is not None:
            waiting(queued_message(lang, dense_progress))

    try:
        report = ctx.qa.add_report(staged, title=(title or "").strip() or None,
                                   region=(region or "").strip() or None,
                                   year=year,
                                   level=level or None, progress=progress, waiting=on_wait)
    except UploadBusyError as exc:
        return t(lang, "upload_busy").format(minutes=round(exc.waited_seconds / 60))
    except OSError as exc:
        if is_disk_full(exc):
            return t(lang, "upload_failed").format(error=t(lang, "upload_disk_full"))
        return t(lang, "upload_failed").format(error=exc)
    except IndexStoreError as exc:
        log.warning("upload failed: %s", exc)
        return t(lang, "upload_failed").format(error=t(lang, "upload_index_error").format(error=exc))
    except ValueError as exc:
        return t(lang, "upload_failed").format(error=exc)
    finally:
        shutil.rmtree(staged.parent, ignore_errors=True)
    return t(lang, "upload_done").format(title=report.title, passages=ctx.qa.passage_count(report.id),
                                         id=report.id)


def report_choices(qa) -> list[tuple[str, str]]:
    return [("", "")] + sorted((r.title, rid) for rid, r in qa.reports.items())


def library_count(qa, lang: str) -> str:
    return t(lang, "library_count").format(n=len(qa.reports))


def build_library_tab(ctx: AppContext, relabel: Relabel) -> tuple[gr.Markdown, gr.Dataframe]:
    """(count, table) of the report library; the apps refresh both for new index generations."""
    count = gr.Markdown(library_count(ctx.qa, "zh"), elem_id="govqa-library-count")
    table = gr.Dataframe(library_rows(ctx.qa), headers=LIBRARY_COLUMNS, interactive=False,
                         elem_id="govqa-library", wrap=True, max_height=600)
    relabel.add(count, lambda ui: library_count(ctx.qa, ui))
    return count, table


LEDGER_QUEUE = "ledger-refresh"


def build_ledger_tab(ctx: AppContext, ledger: LedgerCache, ui_lang, relabel: Relabel):
    """The ledger view; returns (refresh, inputs, outputs) for the page-load event."""
    csv_files = LedgerFiles()
    with gr.Row():
        search = gr.Textbox(label=t("zh", "ledger_search"), elem_id="govqa-ledger-search", scale=3)
        indicator = gr.Textbox(label=t("zh", "ledger_indicator"), scale=2)
        kind = gr.Dropdown([(t("zh", "all"), ""), (t("zh", "ledger_kind_target"), "target"),
                            (t("zh", "ledger_kind_result"), "result"), (t("zh", "kind_expectation"), "expectation")],
                           value="", label=t("zh", "ledger_kind"))
    with gr.Row():
        report = gr.Dropdown(report_choices(ctx.qa), value="", label=t("zh", "ledger_report"),
                             filterable=True, elem_id="govqa-ledger-report")
        year = gr.Textbox(label=t("zh", "ledger_year"), placeholder="2026", elem_id="govqa-ledger-year")
        region = gr.Textbox(label=t("zh", "region"))
        sort = gr.Dropdown(list(SORT_KEYS), value="year", label=t("zh", "ledger_sort"))
    summary = gr.Markdown(t("zh", "ledger_hint"))
    detail = gr.HTML("", elem_id="govqa-ledger-detail")
    table = gr.Dataframe(headers=ledger_headers("zh"), interactive=False, wrap=True, max_height=500,
                         elem_id="govqa-ledger", column_widths=LEDGER_WIDTHS)
    download = gr.DownloadButton(t("zh", "ledger_csv"), value=None, elem_id="govqa-ledger-csv")
    shown = gr.State([])

    def refresh(search_v, indicator_v, kind_v, report_v, year_v, region_v, sort_v, ui):
        items, error = ledger.get()
        if items is None:
            return escape_html(t(ui, "ledger_missing").format(error=error)), [], None, []
        try:
            chosen = query_ledger(items, search_v, report_v, year_v, region_v, indicator_v, kind_v, sort_v)
        except ValueError as exc:  # a year such as 1e309
            return escape_html(str(exc)), gr.skip(), gr.skip(), gr.skip()
        text = t(ui, "ledger_count").format(n=len(chosen)) + " · " + t(ui, "ledger_hint")
        titles = {rid: report.title for rid, report in ctx.qa.reports.items()}
        return text, ledger_rows(chosen, ui, titles), csv_files.write(chosen), chosen

    def show_row(chosen, ui, evt: gr.SelectData):
        row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
        if not isinstance(row, int) or not 0 <= row < len(chosen):
            return ""
        return commitment_card(ctx.qa, chosen[row], ui)

    inputs = [search, indicator, kind, report, year, region, sort, ui_lang]
    outputs = [summary, table, download, shown]
    for component in (search, indicator, kind, report, year, region, sort):
        event = component.submit if isinstance(component, gr.Textbox | gr.Number) else component.change
        # one queue for every ledger refresh, so they finish in the order they were asked and a
        # slow earlier refresh never overwrites the table (and the row map) of a later one
        event(refresh, inputs, outputs, api_visibility="private", concurrency_limit=1,
              concurrency_id=LEDGER_QUEUE)
    table.select(show_row, [shown, ui_lang], [detail], api_visibility="private")
    relabel.add(search, lambda ui: gr.Textbox(label=t(ui, "ledger_search")))
    relabel.add(indicator, lambda ui: gr.Textbox(label=t(ui, "ledger_indicator")))
    relabel.add(year, lambda ui: gr.Textbox(label=t(ui, "ledger_year")))
    relabel.add(download, lambda ui: gr.DownloadButton(t(ui, "ledger_csv")))
    relabel.add(table, lambda ui: gr.Dataframe(headers=ledger_headers(ui)))
    return refresh, inputs, outputs


def build_upload_tab(ctx: AppContext, ui_lang, relabel: Relabel, library_table) -> None:
    """Report upload (only ever built into the staff app, which is behind Gradio auth)."""
    upload = gr.File(label=t("zh", "upload_file"), file_types=list(UPLOAD_TYPES), type="filepath",
                     elem_id="govqa-upload-file")
    with gr.Row():
        title = gr.Textbox(label=t("zh", "upload_title"), elem_id="govqa-upload-title")
        region = gr.Textbox(label=t("zh", "upload_region"), elem_id="govqa-upload-region")
        year = gr.Number(None, label=t("zh", "upload_year"), precision=0, elem_id="govqa-upload-year")
        level = gr.Dropdown([("", ""), ("national", "national"), ("provincial", "provincial"),
                             ("city", "city"), ("county", "county")], value="", label=t("zh", "level"))
    button = gr.Button(t("zh", "upload_button"), variant="primary", elem_id="govqa-upload-button")
    result = gr.Markdown(elem_id="govqa-upload-result")

    def on_upload(path, title_v, region_v, year_v, level_v, ui, request: gr.Request,
                  progress=gr.Progress()):  # noqa: B008 (Gradio injects it)
        def report_progress(done, total):
            progress(done / total if total else 1.0, desc=t(ui or "zh", "upload_indexing"))

        def report_waiting(text):
            progress(None, desc=text)  # Gradio shows the text while the upload waits in line

        progress(0.0, desc=t(ui or "zh", "upload_indexing"))
        message = handle_upload(ctx, path, title_v, region_v, year_v, level_v,
                                getattr(request, "username", None), ui or "zh", report_progress,
                                report_waiting)
        return escape_markdown(message), library_rows(ctx.qa)

    button.click(on_upload, [upload, title, region, year, level, ui_lang], [result, library_table],
                 api_name="upload_report", concurrency_limit=1)
    relabel.add(upload, lambda ui: gr.File(label=t(ui, "upload_file")))
    relabel.add(title, lambda ui: gr.Textbox(label=t(ui, "upload_title")))
    relabel.add(region, lambda ui: gr.Textbox(label=t(ui, "upload_region")))
    relabel.add(year, lambda ui: gr.Number(label=t(ui, "upload_year")))
    relabel.add(button, lambda ui: gr.Button(t(ui, "upload_button")))
