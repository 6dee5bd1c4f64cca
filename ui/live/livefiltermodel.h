#pragma once

#include "liverequestmodel.h"

#include <QSortFilterProxyModel>

#include <array>

// What the live table shows of its rows: free text (request id, model, principal, flow,
// session, error) and exact account, flow, session, model and status choices. Keeps the
// arrival order.
class LiveFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class Status
    {
        All,
        Ok,
        Errors,
        Denied,
        Live
    };
    Q_ENUM(Status)

    explicit LiveFilterModel(QObject *parent = nullptr);

    QString text() const { return m_text; }
    void setText(const QString &text);
    // An empty value accepts every row.
    QString facet(LiveRequestModel::Facet facet) const { return m_facets[size_t(facet)]; }
    void setFacet(LiveRequestModel::Facet facet, const QString &value);
    Status status() const { return m_status; }
    void setStatus(Status status);
    // True when some row may be hidden.
    bool isFiltering() const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    QString m_needle; // m_text, lower case
    std::array<QString, 4> m_facets;
    Status m_status = Status::All;
};
