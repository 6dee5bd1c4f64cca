<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AlertNotifier</name>
    <message>
        <source>Budget “%1” is refusing calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget “%1” at %2%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calls it covers are denied until its period ends or its limit is raised.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” has used %2% of its limit.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DisplayText</name>
    <message>
        <source>unpriced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 µs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KillSwitchAction</name>
    <message>
        <source>Stop all traffic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill switch: refuse every model call until released</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped from the console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume traffic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refuse every model call until you resume?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runtimes get a clear error. Calls already running can finish, or be cut now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop, let running calls finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop and cut running calls</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LiveRequestModel</name>
    <message>
        <source>ok</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>direct</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upstream error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upstream timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upstream unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>provider unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>client left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gateway stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unauthorized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model not allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rate limited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>over budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time to the first byte / total time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Principal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flow / session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens in / out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Principal: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Principal: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flow: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flow: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 → %2 at %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First byte %1, total %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>streaming…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>HTTP status, then what happened</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <comment>tokens in / out</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <comment>first byte / total</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Gatehouse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume traffic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Listening on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The kill switch did not change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show Gatehouse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 req/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 today</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 today + %n unpriced</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Gatehouse on %1
%2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;All model traffic is stopped&lt;/b&gt; since %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>■ Stopped · %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UsageChart</name>
    <message>
        <source>other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UsageRankingModel</name>
    <message numerus="yes">
        <source>%1 in, %2 out; %n failed or denied</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UsageTotals</name>
    <message numerus="yes">
        <source>%n unpriced</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 + %n unpriced</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
</TS>
