#include "httprequest.h"

QByteArray headerValue(const HttpHeaders &headers, QByteArrayView name)
{
    for (const auto &[key, value] : headers) {
        // Sizes first: most names differ in length, and the case-blind compare is the cost.
        if (key.size() == name.size() && name.compare(key, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}
