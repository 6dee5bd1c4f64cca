#pragma once

// How fast the simulated provider answers; each request may override these with directives.
struct SimulationSettings
{
    double tokensPerSecond = 0; // 0: as fast as the socket takes them
    int firstTokenMs = 0;       // delay before the first streamed token (or the whole response)
};
