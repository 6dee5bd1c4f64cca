#pragma once

#include "policy/credentialbook.h"
#include "policy/directory.h"
#include "policy/executionbook.h"
#include "policy/sessionbook.h"
#include "policy/subject.h"

// Who may call, as the gateway thread knows it at every moment: the directory of subjects, the
// runtime credentials, the flow executions and the runtime sessions, loaded from the store at
// start and kept in memory, so a request is authenticated without touching the database.
class AccessBook
{
public:
    AccessBook(const Configuration &configuration, StoreSink store, PolicyClock clock);

    // The reads of what the admin API made (subjects, credentials, executions; not the
    // sessions), and the replacing load of their results, in that order: at start, and in team
    // mode whenever another gateway changed one of them.
    QList<StoreStatement> loadQueries() const;
    void load(const QList<QList<QVariantList>> &results);

    struct Authentication
    {
        std::optional<Subject> subject;
        QString failure; // for the 401, when there is no subject
    };
    // A runtime credential ("ghrt_...") or an API key.
    Authentication authenticate(QByteArrayView presented) const;

    Directory &directory() { return m_directory; }
    CredentialBook &credentials() { return m_credentials; }
    ExecutionBook &executions() { return m_executions; }
    SessionBook &sessions() { return m_sessions; }
    const IdentitySettings &settings() const { return m_settings; }
    qint64 now() const { return m_clock(); }

    // The subject a credential carries, with every allowed-model layer as it stands now.
    Subject subjectOf(const RuntimeCredential &credential) const;

private:
    IdentitySettings m_settings;
    PolicyClock m_clock;
    Directory m_directory;
    CredentialBook m_credentials;
    ExecutionBook m_executions;
    SessionBook m_sessions;
};
