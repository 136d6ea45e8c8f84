#include "widgets/frameview.h"

#include <QPainter>

namespace vidrnn::ui {

FrameView::FrameView(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void FrameView::setImage(const QImage& image) {
    mImage = image;
    update();
}

void FrameView::setPlaceholder(const QString& text) {
    mPlaceholder = text;
    update();
}

void FrameView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), QColor(24, 24, 24));
    if (mImage.isNull()) {
        p.setPen(QColor(200, 200, 200));
        p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, mPlaceholder);
        return;
    }
    const QSize fitted = mImage.size().scaled(size(), Qt::KeepAspectRatio);
    const QRect target(QPoint((width() - fitted.width()) / 2, (height() - fitted.height()) / 2),
                       fitted);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    p.drawImage(target, mImage);
}

}  // namespace vidrnn::ui
