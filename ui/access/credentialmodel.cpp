#include "credentialmodel.h"

#include "common/consolestyle.h"
#include "runtimetype.h"

#include <QDateTime>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Minutes are what matter for a lifetime; the date only when it is not today.
QString when(qint64 epochMs)
{
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(epochMs);
    if (at.date() == QDate::currentDate())
        return at.toString(u"HH:mm"_s);
    return at.toString(u"yyyy-MM-dd HH:mm"_s);
}

} // namespace

CredentialModel::CredentialModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void CredentialModel::setCredentials(const QJsonArray &credentials)
{
    QList<Credential> fresh;
    for (const QJsonValue &value : credentials) {
        const QJsonObject json = value.toObject();
        Credential credential;
        credential.id = json.value(u"id"_s).toString();
        credential.state = json.value(u"state"_s).toString();
        credential.principal = json.value(u"principal"_s).toString();
        credential.principalType = json.value(u"principalType"_s).toString();
        credential.account = json.value(u"account"_s).toString();
        credential.flow = json.value(u"flow"_s).toString();
        credential.model = json.value(u"model"_s).toString();
        for (const QJsonValue &model : json.value(u"allowedModels"_s).toArray())
            credential.allowedModels += model.toString();
        credential.governed = json.value(u"governed"_s).toBool(true);
        credential.createdAtMs = json.value(u"createdAtMs"_s).toInteger();
        credential.expiresAtMs = json.value(u"expiresAtMs"_s).toInteger();
        fresh += credential;
    }
    std::stable_sort(fresh.begin(), fresh.end(), [](const Credential &a, const Credential &b) {
        return a.createdAtMs > b.createdAtMs;
    });
    if (fresh == m_credentials)
        return;
    beginResetModel();
    m_credentials = std::move(fresh);
    endResetModel();
}

int CredentialModel::rowOf(const QString &id) const
{
    for (int row = 0; row < m_credentials.size(); ++row) {
        if (m_credentials.at(row).id == id)
            return row;
    }
    return -1;
}

int CredentialModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_credentials.size());
}

int CredentialModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CredentialModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Credential &credential = m_credentials.at(index.row());
    const bool active = credential.state == u"active";
    switch (role) {
    case IdRole:
        return credential.id;
    case StateRole:
        return credential.state;
    case Qt::ForegroundRole:
        if (index.column() == State)
            return credential.state == u"active"    ? ConsoleStyle::ok()
                   : credential.state == u"revoked" ? ConsoleStyle::failure()
                                                    : ConsoleStyle::muted();
        if (!active || index.column() == Id ||
            (index.column() == Flow && credential.flow.isEmpty()) ||
            (index.column() == Model && credential.model.isEmpty()))
            return ConsoleStyle::muted();
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Expires || index.column() == Created)
            return QDateTime::fromMSecsSinceEpoch(
                       index.column() == Expires ? credential.expiresAtMs : credential.createdAtMs)
                .toString(Qt::ISODate);
        if (index.column() == Model && !credential.allowedModels.isEmpty())
            return tr("Allowed models: %1").arg(credential.allowedModels.join(u", "_s));
        if (index.column() == Runtime)
            return tr("Account %1").arg(credential.account);
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case Id:
        return credential.id;
    case Runtime: {
        if (credential.principalType.isEmpty())
            return tr("any runtime");
        const QString type = RuntimeType::displayName(credential.principalType);
        if (credential.principal.isEmpty() || credential.principal == credential.principalType)
            return type;
        return tr("%1 (%2)").arg(credential.principal, type);
    }
    case Flow:
        return credential.flow.isEmpty() ? QStringLiteral("–") : credential.flow;
    case Model:
        if (credential.model.isEmpty())
            return tr("runtime's choice");
        return credential.governed ? credential.model : tr("%1, direct").arg(credential.model);
    case Created:
        return when(credential.createdAtMs);
    case Expires:
        return when(credential.expiresAtMs);
    case State:
        return credential.state == u"active"    ? tr("active")
               : credential.state == u"revoked" ? tr("revoked")
                                                : tr("expired");
    default:
        return {};
    }
}

QVariant CredentialModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id:
        return tr("Credential");
    case Runtime:
        return tr("Runtime");
    case Flow:
        return tr("Flow");
    case Model:
        return tr("Model");
    case Created:
        return tr("Minted");
    case Expires:
        return tr("Expires");
    case State:
        return tr("State");
    default:
        return {};
    }
}
