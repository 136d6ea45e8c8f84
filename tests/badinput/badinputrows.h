// Qt Test plumbing the three suites share: the catalogue in a temporary
// folder, one data row per input, and the count of inputs tried.
#pragma once

#include <QObject>
#include <QTemporaryDir>
#include <QtTest>

#include "badinputs.h"

namespace vidrnn::test {

class BadInputSuite : public QObject {
protected:
    QTemporaryDir mDir;
    BadInputs mInputs;
    int mTried = 0;

    // Adds the column "index" and one row per input of `category`, named by
    // its id. With `utf8Only`, inputs whose path is not UTF-8 are left out (a
    // QString cannot carry such a file name).
    void rows(const std::string& category, bool utf8Only) {
        QTest::addColumn<int>("index");
        for (std::size_t i = 0; i < mInputs.inputs.size(); ++i) {
            const BadInput& b = mInputs.inputs[i];
            if (b.category == category && (b.utf8Path || !utf8Only)) {
                QTest::newRow(b.id.c_str()) << int(i);
            }
        }
    }

    // The input of the running data row, counted as tried.
    const BadInput& current() {
        QFETCH(int, index);
        ++mTried;
        return mInputs.inputs[std::size_t(index)];
    }
};

}  // namespace vidrnn::test
