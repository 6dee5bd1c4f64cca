#include "exportcommand.h"

#include "ledger/ledgerexport.h"
#include "ledger/readonlyledger.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUrlQuery>

#include <cstdio>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

constexpr int kUsageError = 2;

int fail(const QString &message, int status = 1)
{
    std::fprintf(stderr, "gatehouse export: %s\n", qPrintable(message));
    return status;
}

// The options that are the admin API's filter parameters, under the same names.
const QStringList &filterOptions()
{
    static const QStringList names{u"from"_s,  u"to"_s,       u"account"_s,   u"user"_s,
                                   u"key"_s,   u"flow"_s,     u"execution"_s, u"session"_s,
                                   u"model"_s, u"provider"_s, u"outcome"_s,   u"order"_s};
    return names;
}

} // namespace

namespace ExportCommand {

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Exports the ledger's usage rows or events as CSV or JSON Lines, with the admin API's "
        "filters, straight from the ledger file (Gatehouse may be running or not).\n"
        "Times: epoch milliseconds, ISO 8601 (UTC unless an offset is given) or a duration ago "
        "(90s, 30m, 24h, 7d). Without --from: the 24 hours before --to (default now)."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"what"_s, u"usage or events"_s);
    parser.addOption({u"format"_s, u"csv (default) or jsonl."_s, u"FORMAT"_s, u"csv"_s});
    const QStringList descriptions{u"Rows started at or after T."_s,
                                   u"Rows started before T (default: now)."_s,
                                   u"Only this account."_s,
                                   u"Only this user."_s,
                                   u"Only this API key (its name)."_s,
                                   u"Only this flow."_s,
                                   u"Only this flow execution (ex_...)."_s,
                                   u"Only this runtime session (rs_...) and its child sessions."_s,
                                   u"Only this model (alias or upstream model)."_s,
                                   u"Only this provider."_s,
                                   u"Only this outcome (ok, upstream_error, denied_budget, ...)."_s,
                                   u"asc (default, oldest first) or desc."_s};
    const QStringList valueNames{u"T"_s,  u"T"_s,  u"NAME"_s,  u"NAME"_s, u"NAME"_s,    u"NAME"_s,
                                 u"ID"_s, u"ID"_s, u"MODEL"_s, u"NAME"_s, u"OUTCOME"_s, u"ORDER"_s};
    for (qsizetype i = 0; i < filterOptions().size(); ++i)
        parser.addOption({filterOptions().at(i), descriptions.at(i), valueNames.at(i)});
    parser.addOption({u"limit"_s, u"At most N rows (default: all in the window)."_s, u"N"_s});
    parser.addOption({u"data-dir"_s,
                      u"Where ledger.sqlite is (default: the platform's application data "
                      "directory, as for gatehouse)."_s,
                      u"DIR"_s});
    parser.addOption({u"database"_s, u"Read a team's PostgreSQL ledger instead of ledger.sqlite."_s,
                      u"postgresql://USER@HOST[:PORT]/DATABASE"_s});
    parser.addOption({u"out"_s,
                      u"Write to FILE (replaced only once complete) instead of "
                      "standard output."_s,
                      u"FILE"_s});
    if (!parser.parse(arguments))
        return fail(parser.errorText(), kUsageError);
    if (parser.isSet(u"help"_s))
        parser.showHelp(0);
    const QStringList positional = parser.positionalArguments();
    const auto table = LedgerExport::table(positional.value(0));
    if (positional.size() != 1 || !table)
        return fail(u"expected usage or events: gatehouse export usage|events [options]"_s,
                    kUsageError);
    const auto format = LedgerExport::format(parser.value(u"format"_s));
    if (!format)
        return fail(
            u"--format: expected csv or jsonl (got \"%1\")"_s.arg(parser.value(u"format"_s)),
            kUsageError);

    QUrlQuery query;
    for (const QString &name : filterOptions()) {
        if (parser.isSet(name))
            query.addQueryItem(name, parser.value(name));
    }
    QString error;
    const auto filter = UsageFilter::fromQuery(query, QDateTime::currentMSecsSinceEpoch(),
                                               UsageFilter::kDefaultWindowMs,
                                               std::numeric_limits<int>::max(), &error);
    if (!filter)
        return fail(u"--"_s + error, kUsageError);
    qint64 maxRows = std::numeric_limits<qint64>::max();
    if (parser.isSet(u"limit"_s)) {
        bool ok = false;
        maxRows = parser.value(u"limit"_s).toLongLong(&ok);
        if (!ok || maxRows < 1)
            return fail(
                u"--limit: expected a positive number (got \"%1\")"_s.arg(parser.value(u"limit"_s)),
                kUsageError);
    }

    QString dataDir = parser.value(u"data-dir"_s);
    if (dataDir.isEmpty())
        dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    DatabaseLocation location;
    if (parser.isSet(u"database"_s)) {
        const auto parsed = DatabaseLocation::parse(parser.value(u"database"_s), &error);
        if (!parsed)
            return fail(u"--database: "_s + error, kUsageError);
        location = *parsed;
    }
    ReadOnlyLedger ledger;
    if (!ledger.open(location.resolved(dataDir), &error))
        return fail(error);

    QSaveFile file;
    QFile standardOutput;
    QIODevice *out = nullptr;
    if (parser.isSet(u"out"_s)) {
        file.setFileName(parser.value(u"out"_s));
        if (!file.open(QIODevice::WriteOnly))
            return fail(u"cannot write %1: %2"_s.arg(file.fileName(), file.errorString()));
        out = &file;
    } else {
        if (!standardOutput.open(stdout, QIODevice::WriteOnly))
            return fail(u"cannot write to standard output"_s);
        out = &standardOutput;
    }
    const auto result =
        LedgerExport(ledger.database(), *table, *format)
            .write(*filter, out, maxRows, std::numeric_limits<qint64>::max(), &error);
    if (!result)
        return fail(error);
    if (parser.isSet(u"out"_s) && !file.commit())
        return fail(u"cannot write %1: %2"_s.arg(file.fileName(), file.errorString()));
    standardOutput.close();
    std::fprintf(stderr, "gatehouse export: %lld %s rows%s\n", qlonglong(result->rows),
                 *table == LedgerExport::Table::Usage ? "usage" : "event",
                 result->truncated ? " (more match: raise --limit)" : "");
    return 0;
}

} // namespace ExportCommand
