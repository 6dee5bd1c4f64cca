// A process that writes to disk the way Gatehouse's ledger does, for bench/run.sh: a steady
// stream of writes (every 10 ms) at a given rate, made durable with fdatasync after every 16 MiB
// (SQLite syncs its write-ahead log before each checkpoint), into a 64 MiB file it reuses from
// the start (as the log is reused after a checkpoint). Nothing else: no CPU beyond the writes.
//
//   node bench/disk-writer.mjs --file F --bytes-per-second N --seconds S
//
// Prints "BENCH written=<bytes> syncs=<n> seconds=<s>" at the end.
import { openSync, writeSync, fdatasyncSync, closeSync, unlinkSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
    options: {
        file: { type: 'string' },
        'bytes-per-second': { type: 'string' },
        seconds: { type: 'string' },
    },
});
const rate = Number(values['bytes-per-second']);
const seconds = Number(values.seconds);
if (!values.file || !(rate >= 0) || !(seconds > 0)) {
    console.error('usage: disk-writer.mjs --file F --bytes-per-second N --seconds S');
    process.exit(2);
}

const tickMs = 10;
const syncEvery = 16 << 20;
const fileSize = 64 << 20;
const chunk = Buffer.alloc(64 << 10, 0x61);
const fd = openSync(values.file, 'w');
let written = 0;
let offset = 0;
let sinceSync = 0;
let syncs = 0;
const started = performance.now();

function writeBytes(n) {
    while (n > 0) {
        const length = Math.min(n, chunk.length, fileSize - offset);
        writeSync(fd, chunk, 0, length, offset);
        offset = (offset + length) % fileSize;
        written += length;
        sinceSync += length;
        n -= length;
        if (sinceSync >= syncEvery) {
            fdatasyncSync(fd);
            sinceSync = 0;
            ++syncs;
        }
    }
}

const timer = setInterval(() => {
    const elapsed = (performance.now() - started) / 1000;
    if (elapsed >= seconds) {
        clearInterval(timer);
        closeSync(fd);
        unlinkSync(values.file);
        console.log(`BENCH written=${written} syncs=${syncs} seconds=${elapsed.toFixed(1)}`);
        return;
    }
    // Catch up to the rate (a late tick writes more), never ahead of it.
    writeBytes(Math.max(0, Math.floor(rate * elapsed) - written));
}, tickMs);
