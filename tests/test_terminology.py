"""One term per concept, one concept per term (issue 14 §3, issue 16).

The terminology table ``crmlib/data/terminology.csv`` holds one row per concept: its
glossary key(s), the one Chinese term, the alternatives other texts use and the terms
our text must avoid. These tests hold the glossary to the table and scan every Chinese
text of the course (glossary, concept tables, message catalogues, crmlib strings, the
``zh`` strings of the question banks, notebooks) for avoided terms and for half-width
punctuation between Chinese characters. ``tools/terminology.py --check`` prints the
same findings; ``--fix`` rewrites banks and notebooks.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import defaultdict
from fnmatch import fnmatch
from pathlib import Path

import nbformat
import pytest

from crmlib import glossary

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _tool():
    spec = importlib.util.spec_from_file_location("terminology_tool", ROOT / "tools" / "terminology.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


terminology = _tool()
TABLE = terminology.read_table()
GLOSSARY = glossary.glossary_table(kind=None)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _params(paths: list[Path]) -> list:
    return [pytest.param(p, id=_rel(p)) for p in paths]


COURSE_FILES = terminology.course_files()


# --------------------------------------------------------------------------- the table


def test_the_table_has_no_duplicate_keys_or_chinese_terms():
    keys = [k for t in TABLE for k in t.keys]
    assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})
    terms = [t.zh for t in TABLE]
    assert len(terms) == len(set(terms)), sorted({z for z in terms if terms.count(z) > 1})
    for t in TABLE:
        assert t.en and CJK.search(t.zh), t
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in t.keys), t.keys


def test_every_avoided_term_has_one_preferred_term_and_is_no_concept_s_term():
    owners = defaultdict(list)
    for t in TABLE:
        for word in t.avoid:
            owners[word].append(t.zh)
            assert word not in t.zh, f"{t.zh} contains the term it avoids, {word}"
            assert t.note, f"{t.zh}: say in the note why {word} is avoided"
    assert {w: z for w, z in owners.items() if len(z) > 1} == {}, "an avoided term with two preferred terms"
    assert set(owners) & {t.zh for t in TABLE} == set()


def test_every_glossary_key_is_in_the_table_and_its_chinese_term_is_the_table_s():
    row_of = {k: t for t in TABLE for k in t.keys}
    assert sorted(set(GLOSSARY.index) - set(row_of)) == [], (
        "glossary keys missing from crmlib/data/terminology.csv"
    )
    assert sorted(set(row_of) - set(GLOSSARY.index)) == [], "table keys that are not in the glossary"
    wrong = {k: (zh, row_of[k].zh) for k, zh in GLOSSARY["zh"].items() if zh != row_of[k].zh}
    assert wrong == {}, "glossary zh (left) differs from the table's term (right)"


def _second_terms(zh: str, known: set[str]) -> list[str]:
    """What makes ``zh`` more than one term: a separator between Chinese words, or a
    bracket that holds another term of the table (``保留期（验证期）``)."""
    found = []
    core = re.sub(r"（[^（）]*）", "", zh)
    found += re.findall(r"[\u4e00-\u9fff]\s*[/／|、]\s*[\u4e00-\u9fff]|又称|也称", core)
    for inside in re.findall(r"（([^（）]*)）", zh):
        found += [part for part in re.split(r"[、，,/／|或]|即", inside) if part.strip() in known]
    return found


def test_each_glossary_key_has_exactly_one_chinese_term():
    known = {w for t in TABLE for w in (t.zh, *t.alternatives, *t.avoid)}
    several = {key: _second_terms(zh, known) for key, zh in GLOSSARY["zh"].items()}
    assert {k: v for k, v in several.items() if v} == {}


def test_one_term_check_catches_two_terms_in_one():
    known = {w for t in TABLE for w in (t.zh, *t.alternatives, *t.avoid)}
    assert _second_terms("保留期（验证期）", known) == ["验证期"]
    assert _second_terms("80/20法则（二八法则）", known) == ["二八法则"]
    assert _second_terms("顾客区隔 / 客户细分", known)
    assert _second_terms("RFM（最近购买时间、频次、消费金额）", known)
    assert _second_terms("净推荐值（NPS）", known) == []
    assert _second_terms("保留成本（元/每位保留客户）", known) == []


def test_no_two_glossary_keys_share_a_chinese_term_unless_the_table_makes_them_one_concept():
    row_of = {k: i for i, t in enumerate(TABLE) for k in t.keys}
    shared = GLOSSARY.groupby("zh").groups
    clashes = {zh: list(keys) for zh, keys in shared.items() if len({row_of[k] for k in keys}) > 1}
    assert clashes == {}


def test_the_issue_s_decisions_are_in_the_table():
    row_of = {k: t for t in TABLE for k in t.keys}
    decided = {
        "customer": ("客户", "顾客"),
        "holdout_period": ("验证期", "保留期"),
        "customer_age": ("观察时长 T", "客户年龄"),
        "monetary": ("消费金额", "货币价值"),
        "customer_satisfaction": ("客户满意", "顾客满意"),
        "customer_care": ("客户关怀", "顾客关怀"),
        "tit_for_tat": ("针锋相对策略", "以牙还牙"),
        "importance_performance_analysis": ("重要性—绩效分析（IPA）", "重要性—表现分析"),
        "passive": ("中立者（7–8分）", "被动者"),
        "customization": ("定制化", "客制化"),
        "champions": ("重要价值客户", "冠军客户"),
        "cant_lose_them": ("重要保持客户", "不能失去的客户"),
        "customer_retention": ("客户保留", "顾客保留率"),
    }
    for key, (zh, avoid) in decided.items():
        assert row_of[key].zh == zh, key
        assert avoid in row_of[key].avoid, key
    assert row_of["potential_customer"].zh != row_of["prospect"].zh
    assert {"重点客户", "关键客户"} <= set(row_of["key_account"].alternatives)
    assert "attr_care" in row_of["customer_care"].keys


# --------------------------------------------------------------------------- the scan


@pytest.mark.parametrize("path", _params(COURSE_FILES))
def test_no_avoided_term_in_the_course_s_chinese_text(path):
    findings = terminology.scan([path])
    assert [str(f) for f in findings] == [], "run: python tools/terminology.py --check " + _rel(path)


@pytest.mark.parametrize("path", _params(COURSE_FILES))
def test_no_half_width_punctuation_between_chinese_characters(path):
    findings = terminology.scan_half_width([path])
    assert [str(f) for f in findings] == []


@pytest.mark.parametrize("path", _params(COURSE_FILES))
def test_no_bold_or_italic_that_markdown_shows_as_asterisks(path):
    findings = terminology.scan_emphasis([path])
    assert [str(f) for f in findings] == [], "move the mark or the English out of the bold (CONTRIBUTING §2)"


def test_bold_that_markdown_cannot_close_is_caught_and_its_fix_is_not():
    def found(text, where="cell 1 (x) markdown"):
        return len(terminology.unrendered_emphasis_in(terminology.Text("zh/notebooks/x.ipynb", where, text)))

    assert found("欢迎学习**客户关系管理（CRM）**课程。") > 0  # ）** then a character: not closed
    assert found("*思考。*一位经理说。") == 1
    assert found("欢迎学习**客户关系管理**（CRM）课程。") == 0
    assert found("*思考。* 一位经理说。**学习目标。** 学完本章") == 0
    assert found("临界延续概率 δ* = 0.5，公式 $N^*$ 与 $$a**b$$") == 0  # a symbol, formulas
    assert found("**客户关系管理（CRM）**课程", where="cell 1 (x) code") == 0  # code is not Markdown
    # a bold that cannot close pairs with the next opener: no asterisk is left, the wrong text is bold
    assert found("列出**边际收益（margin）**、**获取客户成本（acquisition cost）**和累计净现值") > 0
    assert found("列出**边际收益**（margin）、**获取客户成本**（acquisition cost）和累计净现值") == 0
    assert found("**课堂练习：**`ch05.q1`（第1题）") == 0  # a code span starts with a mark


def test_the_scan_covers_every_kind_of_text():
    names = {_rel(p) for p in COURSE_FILES}
    for expected in (
        "crmlib/data/glossary/ch02.csv",
        "crmlib/data/concepts/customer_vs_client.csv",
        "crmlib/data/messages/exercises.csv",
        "crmlib/key_accounts.py",
        "crmlib/exercises/banks/ch08.py",
        "notebooks/08_customer_development_key_accounts.ipynb",
        "exercises/solutions/08_customer_development_key_accounts.ipynb",
        "exercises/student/08_customer_development_key_accounts.ipynb",
    ):
        assert expected in names


def _planted_notebook(tmp_path: Path) -> Path:
    notebook = nbformat.read(ROOT / "notebooks" / "07_online_acquisition_retention.ipynb", as_version=4)
    notebook.cells.insert(
        1, nbformat.v4.new_markdown_cell("The **hold-out period (保留期)** checks the model.")
    )
    code = nbformat.v4.new_code_cell("x = 1")
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="被动者 12%\n")]
    notebook.cells.insert(2, code)
    path = tmp_path / "notebooks" / "02_relationship_marketing.ipynb"
    path.parent.mkdir()
    nbformat.write(notebook, path)
    return path


def test_the_scan_catches_a_planted_avoided_term(tmp_path):
    table = terminology.avoided()
    text = terminology.Text("crmlib/data/glossary/ch04.csv", "7", "留作检验模型预测的保留期。")
    assert [(f.term, f.preferred) for f in terminology.scan_text(text, table)] == [("保留期", "验证期")]
    # in a notebook: the markdown and the output are both read
    findings = terminology.scan([_planted_notebook(tmp_path)], table)
    assert {(f.term, f.preferred) for f in findings} >= {("保留期", "验证期"), ("被动者", "中立者")}
    assert any("output" in f.where for f in findings)
    # in a bank: the zh strings, not the English ones; the longest avoided term wins
    bank = tmp_path / "crmlib" / "exercises" / "banks" / "ch99.py"
    bank.parent.mkdir(parents=True)
    bank.write_text(
        'HINT = {"en": "a customer (顾客)", "zh": "提高顾客满意度，采用以牙还牙策略"}\n', encoding="utf-8"
    )
    found = [(f.term, f.preferred) for f in terminology.scan([bank], table)]
    assert found == [("顾客满意", "客户满意"), ("以牙还牙", "针锋相对")]


def test_quoted_titles_and_the_allow_list_are_not_reported(tmp_path):
    table = terminology.avoided()
    title = terminology.Text(
        "notebooks/01_x.ipynb", "cell 1", "幻灯片《顾客关系管理的性质和功能》和第八章 顾客满意与顾客关系管理"
    )
    assert terminology.scan_text(title, table) == []
    contrast = "- tell a customer (顾客) from a client (客户)"
    allowed = terminology.Text("notebooks/02_relationship_marketing.ipynb", "cell 0", contrast)
    assert terminology.scan_text(allowed, table) == []
    elsewhere = terminology.Text("notebooks/03_customer_lifecycle.ipynb", "cell 0", contrast)
    assert [f.term for f in terminology.scan_text(elsewhere, table)] == ["顾客"]
    # the allow-list does not hide another term in the same file
    planted = _planted_notebook(tmp_path)
    assert terminology.scan([planted], table)


def test_the_allow_list_is_small_explained_and_used():
    assert len(terminology.ALLOWED) <= 10
    for pattern, term, phrase, reason in terminology.ALLOWED:
        assert term in phrase and len(reason) > 20, (pattern, term)
        paths = [p for p in COURSE_FILES if fnmatch(_rel(p), pattern)]
        assert paths, f"no file {pattern}"
        texts = [t.text for p in paths for t in terminology.texts_of(p)]
        assert any(phrase in t for t in texts), f"stale allow-list entry: {phrase} is not in {pattern}"


def test_half_width_marks_between_chinese_characters_are_caught():
    text = terminology.Text("crmlib/data/messages/x.csv", "2", "如何确定目标客户?客户细分的目的(一)是什么")
    assert [f.term for f in terminology.half_width_in(text)] == ["?", "(", ")"]
    english = terminology.Text("crmlib/x.py", "1", "customer retention (客户保留): the share kept")
    assert terminology.half_width_in(english) == []


# --------------------------------------------------------------------------- the tool


def test_fix_rewrites_banks_and_notebook_cells_but_not_outputs(tmp_path):
    table = terminology.avoided()
    bank = tmp_path / "crmlib" / "exercises" / "banks" / "ch99.py"
    bank.parent.mkdir(parents=True)
    bank.write_text(
        'HINT = {"en": "customer (顾客)", "zh": "见《顾客关系管理的性质和功能》：顾客满意来自客制化"}\n',
        encoding="utf-8",
    )
    assert terminology.fix_bank(bank, table) == 1
    assert bank.read_text(encoding="utf-8") == (
        'HINT = {"en": "customer (顾客)", "zh": "见《顾客关系管理的性质和功能》：客户满意来自定制化"}\n'
    )
    # an English name in front of the bracket says which concept the word stood for
    buyer = terminology.Text(
        "notebooks/03_x.ipynb", "cell 1", "then a **buyer (顾客)** completes it; 顾客满意"
    )
    assert terminology.fix_text(buyer, table) == "then a **buyer (购买者)** completes it; 客户满意"
    # 保留期（验证期） is not rewritten to 验证期（验证期）
    twice = terminology.Text("crmlib/exercises/banks/ch99.py", "1", "这统计的是保留期（验证期），即 1997 年")
    assert terminology.fix_text(twice, table) == "这统计的是验证期，即 1997 年"
    notebook = _planted_notebook(tmp_path)
    assert terminology.fix_notebook(notebook, table) == 1
    fixed = json.loads(notebook.read_text(encoding="utf-8"))
    assert "hold-out period (验证期)" in "".join(fixed["cells"][1]["source"])
    assert "被动者" in "".join(fixed["cells"][2]["outputs"][0]["text"]), "outputs come from re-execution"


def test_check_exits_with_one_on_a_finding_and_zero_on_a_clean_file(tmp_path, capsys):
    assert terminology.main(["--check", str(ROOT / "crmlib" / "data" / "glossary" / "ch04.csv")]) == 0
    planted = _planted_notebook(tmp_path)
    assert terminology.main(["--check", str(planted)]) == 1
    out = capsys.readouterr().out
    assert "保留期 -> 验证期" in out and "被动者 -> 中立者" in out
