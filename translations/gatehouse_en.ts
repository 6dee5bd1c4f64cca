<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>BudgetGauge</name>
    <message numerus="yes">
        <source>%Ln unpriced call(s) not in the spend</source>
        <translation>
            <numerusform>%Ln unpriced call not in the spend</numerusform>
            <numerusform>%Ln unpriced calls not in the spend</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BudgetsView</name>
    <message numerus="yes">
        <source>≈ %Ln more call(s) of %1 fit.</source>
        <translation>
            <numerusform>≈ %Ln more call of %1 fits.</numerusform>
            <numerusform>≈ %Ln more calls of %1 fit.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LiveView</name>
    <message numerus="yes">
        <source>Paused, %n new</source>
        <translation>
            <numerusform>Paused, %n new</numerusform>
            <numerusform>Paused, %n new</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%1 today + %n unpriced</source>
        <translation>
            <numerusform>%1 today + %n unpriced</numerusform>
            <numerusform>%1 today + %n unpriced</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UsageRankingModel</name>
    <message numerus="yes">
        <source>%1 in, %2 out; %n failed or denied</source>
        <translation>
            <numerusform>%1 in, %2 out; %n failed or denied</numerusform>
            <numerusform>%1 in, %2 out; %n failed or denied</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UsageTotals</name>
    <message numerus="yes">
        <source>%n unpriced</source>
        <translation>
            <numerusform>%n unpriced</numerusform>
            <numerusform>%n unpriced</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 + %n unpriced</source>
        <translation>
            <numerusform>%1 + %n unpriced</numerusform>
            <numerusform>%1 + %n unpriced</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UsageView</name>
    <message numerus="yes">
        <source>+ %n unpriced</source>
        <translation>
            <numerusform>+ %n unpriced</numerusform>
            <numerusform>+ %n unpriced</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed or denied</source>
        <translation>
            <numerusform>%n failed or denied</numerusform>
            <numerusform>%n failed or denied</numerusform>
        </translation>
    </message>
</context>
</TS>
