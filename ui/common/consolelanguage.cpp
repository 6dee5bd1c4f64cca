#include "consolelanguage.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>
#include <QVariant>

namespace ConsoleLanguage {

QStringList available()
{
    return {QStringLiteral("en"), QStringLiteral("de")};
}

QString install(QCoreApplication &app, const QString &setting)
{
    QString language = setting;
    if (language.isEmpty()) {
        language = QStringLiteral("en");
        for (const QString &candidate : QLocale::system().uiLanguages()) {
            const QString code = candidate.left(2).toLower();
            if (available().contains(code)) {
                language = code;
                break;
            }
        }
    }
    if (!available().contains(language))
        language = QStringLiteral("en");
    QLocale::setDefault(QLocale(language));
    // Both live as long as the application (its children), or until the next install.
    const QString marker = QStringLiteral("gatehouse-language");
    for (QTranslator *earlier : app.findChildren<QTranslator *>(marker)) {
        QCoreApplication::removeTranslator(earlier);
        delete earlier;
    }
    auto *ours = new QTranslator(&app);
    ours->setObjectName(marker);
    if (ours->load(QStringLiteral(":/i18n/gatehouse_%1.qm").arg(language)))
        QCoreApplication::installTranslator(ours);
    auto *qt = new QTranslator(&app);
    qt->setObjectName(marker);
    if (qt->load(QStringLiteral("qtbase_%1").arg(language),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    return language;
}

} // namespace ConsoleLanguage
