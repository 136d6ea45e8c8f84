// QCustomPlot for code built with QT_NO_KEYWORDS: its header still spells
// `signals`, `slots` and `foreach`, so map them to the Q_ macros around the
// include and take them away again afterwards.
#pragma once

#ifdef QT_NO_KEYWORDS
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
#else
#include <qcustomplot.h>
#endif
