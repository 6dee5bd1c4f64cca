#include "config/configuration.h"

const ProviderConfig *Configuration::provider(const QString &name) const
{
    for (const ProviderConfig &candidate : providers) {
        if (candidate.name == name)
            return &candidate;
    }
    return nullptr;
}
