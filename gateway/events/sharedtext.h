#pragma once

#include <QByteArray>
#include <QByteArrayView>

// The head of a long system prompt, stored once. An agent sends the same system prompt with
// every turn, and its head was most of each event's preview (8 KiB of Claude Code's). The ledger
// keeps each distinct head once (table event_texts, under its digest), the event's preview
// holding null in its place; the readers put it back, so the preview they give is the one the
// builder made, byte for byte.
namespace SharedText {

// Heads from this many bytes (as JSON strings) are stored apart; shorter ones cost less inline.
inline constexpr qsizetype kFromBytes = 512;

// 32 hex digits: the first 128 bits of the JSON string's SHA-256.
QByteArray digest(QByteArrayView json);
// The preview with null in place of the head (a JSON string) that starts at `at`.
QByteArray cut(const QByteArray &preview, qsizetype at, qsizetype size);
// The preview as built: the head back in place of the null that cut() left (json empty: the
// event kept its head inline, and the preview is as stored). That null is the preview's last
// "system":null: the request's parameters, raw JSON that could hold one, come before it, and
// after it only strings and numbers the builder wrote.
QByteArray restore(const QByteArray &stored, QByteArrayView json);

} // namespace SharedText
