#pragma once

#include "liverequestmodel.h"

#include <QWidget>

class GatewayConsole;
class LiveFilterModel;
class LiveRequestDetail;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTableView;

// The Live page: requests as they happen in a bounded table that follows the tail while the
// operator is at the bottom, a filter bar (text, account, flow, session, model, status), pause
// and clear, and a detail pane for the selected request.
class LiveView : public QWidget
{
    Q_OBJECT
public:
    explicit LiveView(GatewayConsole *console, QWidget *parent = nullptr);

    LiveRequestModel *model() const { return m_model; }
    LiveFilterModel *filter() const { return m_filter; }
    QTableView *table() const { return m_table; }
    LiveRequestDetail *detail() const { return m_detail; }
    // True while the table sticks to its newest row.
    bool isFollowing() const;

private:
    QComboBox *facetCombo(LiveRequestModel::Facet facet, const QString &all);
    void refreshChoices();
    void showSelected();
    void updateIndicators();
    void setColumnWidths();

    LiveRequestModel *m_model;
    LiveFilterModel *m_filter;
    QLineEdit *m_search;
    QList<QPair<LiveRequestModel::Facet, QComboBox *>> m_facets;
    QComboBox *m_status;
    QPushButton *m_pause;
    QLabel *m_held;
    QLabel *m_count;
    QStackedWidget *m_tablePages;
    QLabel *m_empty;
    QTableView *m_table;
    LiveRequestDetail *m_detail;
    bool m_follow = true; // the operator is at the bottom
    int m_topRow = -1;    // the first row on screen before rows go
};
