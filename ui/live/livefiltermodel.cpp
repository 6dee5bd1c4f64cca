#include "livefiltermodel.h"

#include <algorithm>

namespace {

int roleOf(LiveRequestModel::Facet facet)
{
    switch (facet) {
    case LiveRequestModel::Facet::Account:
        return LiveRequestModel::AccountRole;
    case LiveRequestModel::Facet::Flow:
        return LiveRequestModel::FlowRole;
    case LiveRequestModel::Facet::Session:
        return LiveRequestModel::SessionRole;
    case LiveRequestModel::Facet::Model:
        return LiveRequestModel::ModelRole;
    }
    return LiveRequestModel::ModelRole;
}

bool matches(LiveFilterModel::Status status, LiveRequestModel::State state)
{
    using State = LiveRequestModel::State;
    switch (status) {
    case LiveFilterModel::Status::All:
        return true;
    case LiveFilterModel::Status::Ok:
        return state == State::Ok;
    case LiveFilterModel::Status::Errors:
        return state == State::Error;
    case LiveFilterModel::Status::Denied:
        return state == State::Denied;
    case LiveFilterModel::Status::Live:
        return state == State::Live;
    }
    return true;
}

} // namespace

LiveFilterModel::LiveFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{}

void LiveFilterModel::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_needle = text.trimmed().toLower();
    invalidateFilter();
}

void LiveFilterModel::setFacet(LiveRequestModel::Facet facet, const QString &value)
{
    QString &current = m_facets[size_t(facet)];
    if (value == current)
        return;
    current = value;
    invalidateFilter();
}

void LiveFilterModel::setStatus(Status status)
{
    if (status == m_status)
        return;
    m_status = status;
    invalidateFilter();
}

bool LiveFilterModel::isFiltering() const
{
    return !m_needle.isEmpty() || m_status != Status::All ||
           std::any_of(m_facets.cbegin(), m_facets.cend(),
                       [](const QString &value) { return !value.isEmpty(); });
}

bool LiveFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_status != Status::All &&
        !matches(m_status,
                 LiveRequestModel::State(index.data(LiveRequestModel::StateRole).toInt())))
        return false;
    for (const auto facet : {LiveRequestModel::Facet::Account, LiveRequestModel::Facet::Flow,
                             LiveRequestModel::Facet::Session, LiveRequestModel::Facet::Model}) {
        const QString &wanted = m_facets[size_t(facet)];
        if (!wanted.isEmpty() && index.data(roleOf(facet)).toString() != wanted)
            return false;
    }
    return m_needle.isEmpty() ||
           index.data(LiveRequestModel::SearchRole).toString().contains(m_needle);
}
