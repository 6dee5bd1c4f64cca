#include "policy/allowedmodels.h"

#include "policy/modelrouter.h"

bool AllowedModels::allows(const QString &model) const
{
    if (patterns.isEmpty())
        return true;
    for (const QString &pattern : patterns) {
        if (ModelRouter::matches(pattern, model))
            return true;
    }
    return false;
}
