// Paints one frame scaled to fit, aspect kept, with an optional caption.
#pragma once

#include <QImage>
#include <QWidget>

namespace vidrnn::ui {

class FrameView : public QWidget {
    Q_OBJECT
public:
    explicit FrameView(QWidget* parent = nullptr);

    void setImage(const QImage& image);
    const QImage& image() const { return mImage; }
    // Shown centred when there is no image ("no clip", "decoding…", an error).
    void setPlaceholder(const QString& text);

    QSize sizeHint() const override { return {480, 360}; }
    QSize minimumSizeHint() const override { return {160, 120}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QImage mImage;
    QString mPlaceholder;
};

}  // namespace vidrnn::ui
