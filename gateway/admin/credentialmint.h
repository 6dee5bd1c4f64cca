#pragma once

#include "admin/adminreply.h"

class GatewayContext;

// Minting a runtime credential from an admin request: resolves and checks the subject scope
// (account, user or key, flow, execution, principal), the default model against every
// allowed-model layer, and the lifetime against the configured maximum; a direct alias is
// handed out as the provider's own base URL and model, recorded as ungoverned.
class CredentialMint
{
public:
    explicit CredentialMint(GatewayContext *context)
        : m_context(context)
    {}

    AdminReply mint(const QJsonObject &request);

private:
    GatewayContext *m_context;
};
