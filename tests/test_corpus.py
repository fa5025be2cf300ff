"""Corpus loading on real reports: metadata, encodings, and bad files next to good ones."""

from __future__ import annotations

import shutil

from assistant.corpus import load_corpus, read_report_text


def test_metadata_of_county_provincial_and_national(corpus_dir):
    corpus = load_corpus(corpus_dir)
    assert len(corpus.reports) == 130 and corpus.errors == []
    county = corpus.reports["reports/county_changzi_2024.txt"]
    assert (county.level, county.year, county.date) == ("county", 2024, "2024-04-24")
    assert county.meeting == "长子县第十七届人民代表大会第四次会议"
    assert county.speaker == "县政府县长 牛志强"
    shanxi = corpus.reports["reports/provincial_shanxi_2025.txt"]
    assert (shanxi.level, shanxi.region, shanxi.year, shanxi.date) == ("provincial", "shanxi", 2025, "2025-01-17")
    assert shanxi.speaker == "山西省省长 金湘军"
    national = corpus.reports["reports/national_china_2024.txt"]
    assert (national.level, national.date, national.speaker) == ("national", "2024-03-05", "国务院总理 李强")
    assert national.meeting == "第十四届全国人民代表大会第二次会议"


def test_metadata_inferred_without_csv(tmp_path, corpus_dir):
    for name in ("county_changzi_2024.txt", "provincial_gansu_2026.txt", "national_china_2012_en.txt"):
        shutil.copy(corpus_dir / "reports" / name, tmp_path / name)
    corpus = load_corpus(tmp_path)
    county = corpus.reports["county_changzi_2024.txt"]
    assert (county.level, county.region_name, county.year) == ("county", "长子县", 2024)
    gansu = corpus.reports["provincial_gansu_2026.txt"]  # date written in Chinese numerals
    assert (gansu.level, gansu.region, gansu.year, gansu.date) == ("provincial", "gansu", 2026, "2026-01-27")
    english = corpus.reports["national_china_2012_en.txt"]
    assert (english.level, english.language, english.date) == ("national", "en", "2012-03-05")
    assert english.speaker == "Premier Wen Jiabao"


def test_gbk_and_bom_files_decode_to_the_same_text(tmp_path, corpus_dir):
    original = (corpus_dir / "reports" / "provincial_shanxi_2025.txt").read_text(encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes(original.encode("gb18030"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + original.encode("utf-8"))
    assert read_report_text(tmp_path / "gbk.txt") == original
    assert read_report_text(tmp_path / "bom.txt") == original


def test_broken_files_are_reported_and_the_rest_load(tmp_path, corpus_dir):
    shutil.copy(corpus_dir / "reports" / "provincial_hainan_2025.txt", tmp_path / "good.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 20)
    corpus = load_corpus(tmp_path)
    assert list(corpus.reports) == ["good.txt"]
    assert len(corpus.errors) == 3
    assert any(e.startswith("empty.txt: empty file") for e in corpus.errors)
    assert any(e.startswith("broken.pdf: broken PDF") for e in corpus.errors)
    assert any(e.startswith("binary.txt:") for e in corpus.errors)


def test_html_and_docx_reports(tmp_path):
    import docx

    (tmp_path / "a.html").write_text("<html><body><h1>2025年测试省政府工作报告</h1><script>alert(1)</script>"
                                     "<p>地区生产总值增长5%左右。</p></body></html>", encoding="utf-8")
    document = docx.Document()
    document.add_paragraph("政府工作报告")
    document.add_paragraph("城镇新增就业50万人以上。")
    document.save(tmp_path / "b.docx")
    corpus = load_corpus(tmp_path)
    assert "alert" not in corpus.texts["a.html"] and "增长5%左右" in corpus.texts["a.html"]
    assert "城镇新增就业50万人以上" in corpus.texts["b.docx"]
