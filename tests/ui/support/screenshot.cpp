#include "screenshot.h"

#include <QCoreApplication>
#include <QDir>
#include <QPixmap>
#include <QTest>
#include <QWidget>

namespace Screenshot {

void save(QWidget *widget, const QString &name, const QString &language)
{
    const QString root = qEnvironmentVariable("GATEHOUSE_SCREENSHOTS");
    if (root.isEmpty())
        return;
    const QDir dir(root + u'/' + language);
    QVERIFY(QDir().mkpath(dir.path()));
    QCoreApplication::processEvents(); // the layout requests the last answer posted
    QVERIFY(widget->grab().save(dir.filePath(name + QStringLiteral(".png"))));
}

} // namespace Screenshot
