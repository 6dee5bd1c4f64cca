#pragma once

#include <QString>

// One shape of secret to redact. Its name is written into the replacement, [REDACTED:<name>].
// When the regex has a capture group named "secret", only that group is replaced and the text
// around it (a header name, a URL's scheme and host) stays readable.
struct RedactionPattern
{
    QString name;  // letters, digits, '_', '-' and '.', so the replacement is valid JSON text
    QString regex; // QRegularExpression (PCRE2) syntax
};
