#pragma once

#include <QStringList>

// `gatehouse export usage|events [filters] [--format csv|jsonl] [--out FILE]`: the ledger's
// usage rows or events with the admin API's filters, read straight from the ledger file with a
// read-only connection (whether or not Gatehouse runs), to a file or standard output.
namespace ExportCommand {
int run(const QStringList &arguments); // arguments without "gatehouse export"'s "export"
}
