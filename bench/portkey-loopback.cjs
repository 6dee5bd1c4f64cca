// Preloaded into the Portkey gateway by bench/run.sh: bind every listening socket to loopback
// (Portkey's start-server binds all interfaces) and print the address it got.
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
    let port = 0;
    if (typeof args[0] === 'object' && args[0] !== null) port = args[0].port ?? 0;
    else if (typeof args[0] === 'number' || typeof args[0] === 'string') port = Number(args[0]);
    const cb = args.find((a) => typeof a === 'function');
    this.once('listening', () => {
        const a = this.address();
        process.stderr.write(`portkey listening on http://127.0.0.1:${a.port}\n`);
    });
    return cb ? listen.call(this, { port, host: '127.0.0.1' }, cb)
              : listen.call(this, { port, host: '127.0.0.1' });
};
