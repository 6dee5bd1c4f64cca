#pragma once

#include "protocol/byterange.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>

class BodySplice;

// Renames the model of a request body, of any API family, by splicing the upstream name over
// the client's model token (a request view's modelToken); every other byte stays as sent.
class ModelRewrite
{
public:
    // Returns the body itself (shared, not copied) when the token already names upstreamModel.
    static QByteArray apply(const QByteArray &body, ByteRange modelToken,
                            QStringView upstreamModel);

    // Adds the rename to a splice that makes other edits too; nothing when there is none to do.
    static void addTo(BodySplice &splice, QByteArrayView body, ByteRange modelToken,
                      QStringView upstreamModel);
};
