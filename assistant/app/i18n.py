"""Interface strings in Chinese (default) and English."""

from __future__ import annotations

LANGS = ("zh", "en")
LANG_CHOICES = [("中文", "zh"), ("English", "en")]

STRINGS: dict[str, dict[str, str]] = {
    "title": {"zh": "政府工作报告问答", "en": "Government Work Report Q&A"},
    "subtitle": {
        "zh": "离线问答，每个回答都附有报告原文出处。",
        "en": "Offline answers, each with the exact passages of the reports it comes from.",
    },
    "tab_chat": {"zh": "问答", "en": "Ask"},
    "tab_staff": {"zh": "台账与报告库", "en": "Ledger & library"},
    "answering": {"zh": "正在回答上一个问题……", "en": "Answering the previous question…"},
    "tab_ledger": {"zh": "目标任务台账", "en": "Commitment ledger"},
    "tab_library": {"zh": "报告库", "en": "Report library"},
    "tab_upload": {"zh": "上传报告", "en": "Upload a report"},
    "question": {"zh": "问题", "en": "Question"},
    "question_placeholder": {
        "zh": "例如：2024年中央预算内投资安排多少？",
        "en": "e.g. What was the 2019 GDP growth target?",
    },
    "ask": {"zh": "提问", "en": "Ask"},
    "new_chat": {"zh": "新对话", "en": "New conversation"},
    "chat": {"zh": "对话", "en": "Conversation"},
    "sources": {"zh": "出处", "en": "Sources"},
    "examples": {"zh": "示例问题", "en": "Example questions"},
    "filters": {"zh": "筛选", "en": "Filters"},
    "level": {"zh": "层级", "en": "Level"},
    "region": {"zh": "地区", "en": "Region"},
    "year_from": {"zh": "起始年份", "en": "From year"},
    "year_to": {"zh": "截止年份", "en": "To year"},
    "language": {"zh": "报告语言", "en": "Report language"},
    "ui_language": {"zh": "界面语言", "en": "Interface language"},
    "all": {"zh": "全部", "en": "All"},
    "national": {"zh": "国家", "en": "National"},
    "provincial": {"zh": "省级", "en": "Provincial"},
    "city": {"zh": "市级", "en": "City"},
    "county": {"zh": "县级", "en": "County"},
    "lang_zh": {"zh": "中文", "en": "Chinese"},
    "lang_en": {"zh": "英文", "en": "English"},
    "show_context": {"zh": "显示上下文", "en": "Show context"},
    "no_sources": {"zh": "暂无出处。", "en": "No sources yet."},
    "question_cut": {
        "zh": "问题过长（{total} 字），只使用了前 {n} 个字。",
        "en": "The question was too long ({total} characters); only the first {n} were used.",
    },
    "mode_line": {"zh": "回答方式：{mode}", "en": "Answer mode: {mode}"},
    "time_line": {"zh": " · 用时 {ms} 毫秒", "en": " · {ms} ms"},
    "mode_extractive": {"zh": "抽取式（原文摘录）", "en": "extractive (quoted from the reports)"},
    "mode_llm": {"zh": "大模型生成", "en": "LLM-written"},
    "mode_fallback": {"zh": "大模型不可用，改用抽取式", "en": "LLM unavailable, extractive fallback"},
    "mode_model_refused": {"zh": "大模型未作答，改用抽取式", "en": "the LLM did not answer, extractive answer shown"},
    "status": {
        "zh": "报告 {reports} 份 · 段落 {passages} 个 · 回答方式：{mode} · 向量模型：{embedder}",
        "en": "{reports} reports · {passages} passages · answer mode: {mode} · embedder: {embedder}",
    },
    "dense_building": {
        "zh": "语义索引构建中（{progress}），暂时只用关键词检索。",
        "en": "The semantic index is being built ({progress}); keyword search only until then.",
    },
    "dense_missing": {
        "zh": "语义索引尚未建立，目前只用关键词检索。",
        "en": "No semantic index yet: keyword search only.",
    },
    "dense_failed": {
        "zh": "语义索引构建失败，只用关键词检索：{error}",
        "en": "Building the semantic index failed, keyword search only: {error}",
    },
    "dense_ready": {"zh": "语义索引已就绪。", "en": "Semantic index ready."},
    "error": {"zh": "出错了：{error}", "en": "Something went wrong: {error}"},
    "ledger_search": {"zh": "搜索台账", "en": "Search the ledger"},
    "col_period_label": {"zh": "时期", "en": "Period"},
    "col_year": {"zh": "年份", "en": "Year"},
    "col_quote": {"zh": "原文", "en": "Quote"},
    "col_n": {"zh": "出处", "en": "Source"},
    "col_value": {"zh": "数值", "en": "Value"},
    "col_region": {"zh": "地区", "en": "Region"},
    "col_change": {"zh": "变化", "en": "Change"},
    "col_target": {"zh": "目标", "en": "Target"},
    "col_result": {"zh": "实际", "en": "Result"},
    "col_region_name": {"zh": "地区", "en": "Region"},
    "col_kind": {"zh": "类型", "en": "Kind"},
    "col_indicator": {"zh": "指标", "en": "Indicator"},
    "col_measure": {"zh": "口径", "en": "Measure"},
    "col_value_text": {"zh": "数值", "en": "Value"},
    "col_qualifier": {"zh": "限定", "en": "Qualifier"},
    "col_text": {"zh": "原文", "en": "Source text"},
    "col_report": {"zh": "报告", "en": "Report"},
    "kind_target": {"zh": "目标", "en": "target"},
    "kind_result": {"zh": "完成情况", "en": "result"},
    "kind_expectation": {"zh": "预计", "en": "expected"},
    "measure_level": {"zh": "数值", "en": "level"},
    "measure_growth": {"zh": "增速", "en": "growth"},
    "measure_avg_growth": {"zh": "年均增速", "en": "annual average growth"},
    "measure_total": {"zh": "累计", "en": "cumulative total"},
    "measure_share": {"zh": "比重", "en": "share"},
    "measure_change": {"zh": "增减", "en": "change"},
    "measure_pp_change": {"zh": "百分点变化", "en": "change in points"},
    "measure_count": {"zh": "数量", "en": "count"},
    "ledger_report": {"zh": "报告", "en": "Report"},
    "ledger_year": {"zh": "年份", "en": "Year"},
    "ledger_indicator": {"zh": "指标", "en": "Indicator"},
    "ledger_kind": {"zh": "类型", "en": "Kind"},
    "ledger_kind_target": {"zh": "目标", "en": "Target"},
    "ledger_kind_result": {"zh": "完成情况", "en": "Result"},
    "ledger_sort": {"zh": "排序", "en": "Sort by"},
    "ledger_csv": {"zh": "下载 CSV", "en": "Download CSV"},
    "ledger_hint": {
        "zh": "点击表格中的一行查看其原文段落。",
        "en": "Click a row to see its source passage.",
    },
    "ledger_count": {"zh": "共 {n} 条", "en": "{n} rows"},
    "ledger_missing": {
        "zh": "台账模块尚不可用：{error}",
        "en": "The commitment ledger is not available: {error}",
    },
    "upload_file": {"zh": "报告文件（txt/md/pdf/docx/html）", "en": "Report file (txt/md/pdf/docx/html)"},
    "upload_title": {"zh": "标题", "en": "Title"},
    "upload_region": {"zh": "地区（拼音，如 sichuan）", "en": "Region (pinyin id, e.g. sichuan)"},
    "upload_year": {"zh": "年份", "en": "Year"},
    "upload_button": {"zh": "上传并建立索引", "en": "Upload and index"},
    "upload_done": {
        "zh": "已加入：{title}（{passages} 个段落），报告编号 {id}",
        "en": "Added: {title} ({passages} passages), report id {id}",
    },
    "upload_indexing": {"zh": "正在建立索引…", "en": "Indexing…"},
    "upload_no_file": {"zh": "请选择一个文件。", "en": "Please choose a file."},
    "upload_bad_type": {
        "zh": "不支持的文件类型 {suffix}，只接受 {allowed}。",
        "en": "Unsupported file type {suffix}; accepted: {allowed}.",
    },
    "upload_too_big": {
        "zh": "文件过大（{mb:.1f} MB），上限 {limit} MB。",
        "en": "File too large ({mb:.1f} MB); the limit is {limit} MB.",
    },
    "upload_not_received": {
        "zh": "只接受本次上传的文件，请重新选择文件上传。",
        "en": "Only a file uploaded with this request is accepted; please choose the file again.",
    },
    "login_message": {  # on Gradio's login page, which has no language switch: both languages
        "zh": "需要工作人员登录才能上传。连续输错密码 {n} 次后，须等待一段时间才能再试。"
              " / Staff login is required to upload. After {n} wrong passwords in a row, logins must wait.",
    },
    "bad_year": {
        "zh": "{name}：{value} 不是年份（应为 {low} 到 {high} 之间的整数）。",
        "en": "{name}: {value} is not a year (a whole number from {low} to {high}).",
    },
    "upload_forbidden": {"zh": "需要工作人员登录才能上传。", "en": "Staff login is required to upload."},
    "upload_failed": {"zh": "无法加入该文件：{error}", "en": "Could not add the file: {error}"},
    "upload_queued": {
        "zh": "已排队：索引正在构建中{progress}，完成后先建立本报告的关键词索引，语义索引随后在后台补建。",
        "en": "Queued: the index is being built right now{progress}; then this report is indexed by "
              "keywords first, and the semantic index follows in the background.",
    },
    "upload_queued_progress": {"zh": "（语义索引 {pct:.0%}）", "en": " (semantic index {pct:.0%})"},
    "upload_busy": {
        "zh": "索引构建已进行了 {minutes} 分钟仍未结束，本次上传未加入（文件已删除），请稍后重试。",
        "en": "The index was still being built after {minutes} min of waiting; the report was not added "
              "(the file was removed). Please try again later.",
    },
    "upload_disk_full": {
        "zh": "磁盘已满，索引无法写入（文件已删除）。请释放空间后重试。",
        "en": "the disk is full, so the index could not be written (the file was removed). Free some space and try again.",
    },
    "upload_index_error": {
        "zh": "索引暂时无法使用（{error}），文件已删除。",
        "en": "the index cannot be used right now ({error}); the file was removed.",
    },
    "staff_ledger_link": {"zh": "公开的目标任务台账和报告库在首页的「台账与报告库」标签：[打开首页](/)",
                          "en": "The public commitment ledger and report library are on the home page, tab "
                                "'Ledger & library': [open the home page](/)"},
    "upload_where": {
        "zh": "工作人员可在 [/staff/](/staff/) 登录后上传报告。",
        "en": "Staff can upload reports after logging in at [/staff/](/staff/).",
    },
    "upload_disabled": {
        "zh": "未配置工作人员账号，上传功能已关闭。",
        "en": "No staff account is configured, so uploading is switched off.",
    },
    "library_count": {"zh": "共 {n} 份报告", "en": "{n} reports"},
}


def t(lang: str, key: str) -> str:
    """The string for key in lang (falls back to Chinese, then to the key itself)."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry.get("zh") or key
