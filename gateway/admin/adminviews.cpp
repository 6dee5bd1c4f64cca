#include "admin/adminviews.h"

#include "ingress/apierror.h"
#include "ledger/ledgerexport.h"
#include "ledger/ledgerqueries.h"
#include "ledger/ledgerreport.h"
#include "server/httpexchange.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

const QStringList &resources()
{
    static const QStringList names{u"views"_s, u"summary"_s, u"observability"_s, u"events"_s,
                                   u"export"_s};
    return names;
}

LedgerAnswer json(const std::optional<QJsonObject> &object, const QString &error)
{
    if (!object)
        return LedgerAnswer::failure(500, u"reading the ledger: "_s + error, "ledger_query_failed");
    LedgerAnswer answer;
    answer.body = QJsonDocument(*object).toJson(QJsonDocument::Compact);
    return answer;
}

void send(HttpExchange *exchange, const LedgerAnswer &answer)
{
    if (answer.failed()) {
        ApiError{answer.status, answer.error, answer.code}.send(exchange, ApiFamily::Gateway, {});
        return;
    }
    HttpHeaders headers{{"content-type", answer.contentType}};
    if (answer.contentType != "application/json") {
        headers.append({"x-gatehouse-rows", QByteArray::number(answer.rows)});
        headers.append({QByteArrayLiteral("x-gatehouse-truncated"),
                        answer.truncated ? QByteArrayLiteral("true") : QByteArrayLiteral("false")});
    }
    exchange->respond(answer.status, headers, answer.body);
}

} // namespace

bool AdminViews::serves(const QString &resource)
{
    return resources().contains(resource);
}

void AdminViews::handle(HttpExchange *exchange, const QStringList &segments)
{
    const HttpRequest &request = exchange->request();
    const auto fail = [&](int status, const QString &message, const QByteArray &code) {
        send(exchange, LedgerAnswer::failure(status, message, code));
    };
    if (!m_queries)
        return fail(503, u"the ledger's reader is not running"_s, "ledger_unavailable");
    const QString resource = segments.value(0);
    const QString name = segments.value(1);
    const QString id = segments.value(2);
    const bool scopeView = resource == u"views" && segments.size() == 3 &&
                           (name == u"execution" || name == u"session" || name == u"account");
    const bool eventList = resource == u"events" && segments.size() == 1;
    const bool eventOne = resource == u"events" && segments.size() == 2;
    const bool summary = resource == u"summary" && segments.size() == 1;
    const bool models = resource == u"observability" && segments.size() == 2 && name == u"models";
    const auto table =
        resource == u"export" && segments.size() == 2 ? LedgerExport::table(name) : std::nullopt;
    if (request.method != "GET" ||
        !(scopeView || eventList || eventOne || summary || models || table))
        return fail(404,
                    u"no admin route for %1 %2"_s.arg(QString::fromLatin1(request.method),
                                                      QString::fromLatin1(request.path)),
                    "unknown_route");

    const QUrlQuery query(QString::fromUtf8(request.query));
    const qint64 window =
        scopeView && name != u"account" ? kScopeWindowMs : UsageFilter::kDefaultWindowMs;
    QString error;
    auto filter = UsageFilter::fromQuery(query, m_nowMs, window,
                                         table ? int(kMaxExportRows) : kMaxViewRows, &error);
    if (!filter)
        return fail(400, error, "invalid_filter");
    // Newest first where the latest matter most; a run's or a session's story reads forward.
    if (!query.hasQueryItem(u"order"_s))
        filter->descending = eventList || (scopeView && name == u"account");

    LedgerQueries::Work work;
    if (scopeView) {
        (name == u"execution" ? filter->execution
         : name == u"session" ? filter->session
                              : filter->account) = id;
        work = [filter = *filter](const QSqlDatabase &db) {
            QString error;
            const auto rows = LedgerReport(db).rows(filter, false, &error);
            return json(rows, error);
        };
    } else if (eventList) {
        work = [filter = *filter](const QSqlDatabase &db) {
            QString error;
            const auto rows = LedgerReport(db).rows(filter, true, &error);
            return json(rows, error);
        };
    } else if (eventOne) {
        work = [requestId = name](const QSqlDatabase &db) {
            QString error;
            const auto event = LedgerReport(db).event(requestId, &error);
            if (event && event->isEmpty())
                return LedgerAnswer::failure(404, u"no request %1 in the ledger"_s.arg(requestId),
                                             "not_found");
            return json(event, error);
        };
    } else if (summary) {
        const auto by = LedgerReport::dimension(query.queryItemValue(u"by"_s));
        const auto bucket = LedgerReport::bucket(query.queryItemValue(u"bucket"_s));
        if (!by)
            return fail(400,
                        u"by: expected none, model, provider, flow, key, account, user, "
                        "execution, session, principal or outcome"_s,
                        "invalid_filter");
        if (!bucket)
            return fail(400, u"bucket: expected none, minute, hour or day"_s, "invalid_filter");
        work = [filter = *filter, by = *by, bucket = *bucket](const QSqlDatabase &db) {
            QString error;
            const auto summary = LedgerReport(db).summary(filter, by, bucket, &error);
            return json(summary, error);
        };
    } else if (models) {
        work = [filter = *filter](const QSqlDatabase &db) {
            QString error;
            const auto models = LedgerReport(db).models(filter, &error);
            return json(models, error);
        };
    } else {
        const auto format = LedgerExport::format(query.queryItemValue(u"format"_s));
        if (!format)
            return fail(400, u"format: expected csv or jsonl"_s, "invalid_filter");
        const qint64 maxRows = query.hasQueryItem(u"limit"_s) ? filter->limit : kMaxExportRows;
        work = [filter = *filter, table = *table, format = *format,
                maxRows](const QSqlDatabase &db) {
            LedgerAnswer answer;
            QBuffer buffer(&answer.body);
            buffer.open(QIODevice::WriteOnly);
            QString error;
            const auto result = LedgerExport(db, table, format)
                                    .write(filter, &buffer, maxRows, kMaxExportBytes, &error);
            if (!result)
                return LedgerAnswer::failure(500, u"exporting: "_s + error, "ledger_query_failed");
            buffer.close();
            answer.contentType = LedgerExport::contentType(format);
            answer.rows = result->rows;
            answer.truncated = result->truncated;
            return answer;
        };
    }
    m_queries->post(exchange, std::move(work),
                    [exchange](const LedgerAnswer &answer) { send(exchange, answer); });
}
