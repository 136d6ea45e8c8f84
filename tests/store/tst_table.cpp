// The one table writer (vidrnn/table.h): every format written whole and
// compared byte for byte, so that a change to any of them shows here; the
// CLI's, the report's and the workbench's tables are its callers.
#include <QtTest>

#include "vidrnn/errors.h"
#include "vidrnn/table.h"

using namespace vidrnn;

namespace {

// Two columns, the second right-aligned; non-ASCII cells ("±" and "é" are
// two bytes, one column) and the special characters of every format.
Table sample() {
    Table t({"name", "acc"}, {Table::Align::Left, Table::Align::Right});
    t.addRow({"café", "0.5 ± 0.1"});
    t.addRow({"a|b,<c>", "-0.25"});
    t.addRow({"=SUM(A1)", "50%_\"x\""});
    return t;
}

}  // namespace

class TestTable : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void text() {
        const std::string expected =
            "name            acc\n"
            "--------  ---------\n"
            "café      0.5 ± 0.1\n"
            "a|b,<c>       -0.25\n"
            "=SUM(A1)    50%_\"x\"\n";
        QCOMPARE(renderTable(sample(), TableFormat::Text), expected);
    }

    // Trailing spaces trimmed, the rule optional, caption, the empty text and
    // the notes; control characters never reach a terminal.
    void textOptions() {
        Table t({"note", "n"}, {Table::Align::Left, Table::Align::Right});
        t.caption = "runs";
        t.textRule = false;
        t.emptyText = "(none)";
        t.notes = {"first", "bell\a"};
        QCOMPARE(renderTable(t, TableFormat::Text),
                 std::string("runs\nnote  n\n(none)\n\n* first\n* bell\\u0007\n"));
        t.addRow({"x\ty", "7"});
        QCOMPARE(renderTable(t, TableFormat::Text),
                 std::string("runs\nnote  n\nx\\ty  7\n\n* first\n* bell\\u0007\n"));
    }

    void markdown() {
        Table t = sample();
        t.caption = "Table 1";
        t.notes = {"a <b> note"};
        const std::string expected =
            "Table 1\n\n"
            "| name | acc |\n"
            "|---|---:|\n"
            "| café | 0.5 ± 0.1 |\n"
            "| a\\|b,&lt;c&gt; | -0.25 |\n"
            "| =SUM(A1) | 50%_\"x\" |\n"
            "\n- a &lt;b&gt; note\n";
        QCOMPARE(renderTable(t, TableFormat::Markdown), expected);
    }

    // RFC 4180 quoting, a formula neutralised, a plain number kept; no
    // caption or notes in the data.
    void csv() {
        Table t = sample();
        t.caption = "ignored";
        t.notes = {"ignored"};
        t.addRow({"two\nlines", "+1e-3"});
        const std::string expected =
            "name,acc\n"
            "café,0.5 ± 0.1\n"
            "\"a|b,<c>\",-0.25\n"
            "'=SUM(A1),\"50%_\"\"x\"\"\"\n"
            "\"two\nlines\",+1e-3\n";
        QCOMPARE(renderTable(t, TableFormat::Csv), expected);
    }

    void latex() {
        Table t = sample();
        t.caption = "R&D 100%";
        t.notes = {"~ note"};
        const std::string expected =
            "% needs \\usepackage{booktabs} and \\usepackage{graphicx}\n"
            "\\begin{table}[htbp]\n\\centering\n"
            "\\caption{R\\&D 100\\%}\n"
            "\\small\n\\setbox0\\hbox{%\n\\begin{tabular}{@{}lr@{}}\n\\toprule\n"
            "name & acc \\\\\n\\midrule\n"
            "café & 0.5 $\\pm$ 0.1 \\\\\n"
            "a\\textbar{}b,\\textless{}c\\textgreater{} & -0.25 \\\\\n"
            "=SUM(A1) & 50\\%\\_\"x\" \\\\\n"
            "\\bottomrule\n\\end{tabular}}%\n"
            "\\ifdim\\wd0>\\linewidth\\resizebox{\\linewidth}{!}{\\box0}\\else\\box0\\fi\n"
            "\\par\\smallskip\\raggedright\n\\textasciitilde{} note\\par\n"
            "\\end{table}\n";
        QCOMPARE(renderTable(t, TableFormat::Latex), expected);
    }

    void latexEmpty() {
        Table t({"a", "b", "c"});
        t.emptyText = "(no runs)";
        const std::string text = renderTable(t, TableFormat::Latex);
        QVERIFY(text.find("{@{}lll@{}}") != std::string::npos);
        QVERIFY(text.find("a & b & c \\\\\n\\midrule\n\\multicolumn{3}{c}{(no runs)} \\\\\n"
                          "\\bottomrule") != std::string::npos);
    }

    // No columns: nothing in any format; columns but no rows: the header.
    void empty() {
        const Table none;
        for (auto format :
             {TableFormat::Text, TableFormat::Markdown, TableFormat::Csv, TableFormat::Latex}) {
            QCOMPARE(renderTable(none, format), std::string());
        }
        const Table headerOnly({"id", "status"});
        QCOMPARE(headerOnly.rowCount(), std::size_t(0));
        QCOMPARE(renderTable(headerOnly, TableFormat::Text),
                 std::string("id  status\n--  ------\n"));
        QCOMPARE(renderTable(headerOnly, TableFormat::Markdown),
                 std::string("| id | status |\n|---|---|\n"));
        QCOMPARE(renderTable(headerOnly, TableFormat::Csv), std::string("id,status\n"));
    }

    // A row of the wrong width is a bug in the caller: refused, and the
    // table keeps its rows as they were.
    void wrongRowWidth() {
        Table t = sample();
        QVERIFY_THROWS_EXCEPTION(LogicError, t.addRow({"one"}));
        QVERIFY_THROWS_EXCEPTION(LogicError, t.addRow({"one", "two", "three"}));
        QCOMPARE(t.rowCount(), std::size_t(3));
        QCOMPARE(renderTable(t, TableFormat::Text), renderTable(sample(), TableFormat::Text));
        QCOMPARE(t.cell(2, 1), std::string_view("50%_\"x\""));
    }
};

QTEST_GUILESS_MAIN(TestTable)
#include "tst_table.moc"
