#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QStringList>

// The runtime credentials Gatehouse issued (GET /admin/v1/credentials), newest first: who holds
// each, for which flow and model, until when, and whether it still works. Never a token: the
// listing has none.
class CredentialModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Id,
        Runtime,
        Flow,
        Model,
        Created,
        Expires,
        State,
        ColumnCount
    };
    static constexpr int IdRole = Qt::UserRole;
    static constexpr int StateRole = Qt::UserRole + 1; // "active", "expired" or "revoked"

    struct Credential
    {
        QString id;
        QString state;
        QString principal;
        QString principalType;
        QString account;
        QString flow;
        QString model;
        QStringList allowedModels;
        bool governed = true;
        qint64 createdAtMs = 0;
        qint64 expiresAtMs = 0;

        friend bool operator==(const Credential &, const Credential &) = default;
    };

    explicit CredentialModel(QObject *parent = nullptr);

    // Replaces the contents with the admin API's answer; nothing happens when it is unchanged.
    void setCredentials(const QJsonArray &credentials);
    const Credential &at(int row) const { return m_credentials.at(row); }
    int rowOf(const QString &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<Credential> m_credentials;
};
