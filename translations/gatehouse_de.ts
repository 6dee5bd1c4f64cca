<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AccessView</name>
    <message>
        <source>Models and access</source>
        <translation>Modelle und Zugang</translation>
    </message>
    <message>
        <source>Where each model goes and what it costs, and the credentials runtimes use to reach it.</source>
        <translation>Wohin jedes Modell geleitet wird, was es kostet und mit welchen Zugängen Runtimes es erreichen.</translation>
    </message>
    <message>
        <source>Add alias…</source>
        <translation>Alias hinzufügen…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Providers and aliases</source>
        <translation>Anbieter und Aliase</translation>
    </message>
    <message>
        <source>No runtime credentials yet. Mint one for Claude Code, Codex or an SDK app here, or run a runtime under gatehouse exec.</source>
        <translation>Noch keine Runtime-Zugänge. Stellen Sie hier einen für Claude Code, Codex oder eine SDK-App aus, oder starten Sie eine Runtime mit gatehouse exec.</translation>
    </message>
    <message>
        <source>Mint credential…</source>
        <translation>Zugang ausstellen…</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>Runtime credentials</source>
        <translation>Runtime-Zugänge</translation>
    </message>
    <message>
        <source>Remove alias</source>
        <translation>Alias entfernen</translation>
    </message>
    <message>
        <source>Remove the alias %1? Requests for it are refused from then on.</source>
        <translation>Alias %1 entfernen? Anfragen dafür werden danach abgelehnt.</translation>
    </message>
    <message>
        <source>Revoke credential</source>
        <translation>Zugang widerrufen</translation>
    </message>
    <message>
        <source>Revoke %1? The runtime using it gets 401 on its next request.</source>
        <translation>%1 widerrufen? Die Runtime, die diesen Zugang nutzt, erhält bei ihrer nächsten Anfrage 401.</translation>
    </message>
    <message>
        <source>This alias is defined in the configuration file: remove it there.</source>
        <translation>Dieser Alias ist in der Konfigurationsdatei definiert: Entfernen Sie ihn dort.</translation>
    </message>
</context>
<context>
    <name>Activity</name>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>open</source>
        <translation>offen</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>im Leerlauf</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>geschlossen</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>erfolgreich</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>AlertNotifier</name>
    <message>
        <source>Budget “%1” is refusing calls</source>
        <translation>Budget „%1“ lehnt Aufrufe ab</translation>
    </message>
    <message>
        <source>Budget “%1” at %2%</source>
        <translation>Budget „%1“ bei %2&#xa0;%</translation>
    </message>
    <message>
        <source>Calls it covers are denied until its period ends or its limit is raised.</source>
        <translation>Aufrufe, für die es gilt, werden abgelehnt, bis sein Zeitraum endet oder sein Limit erhöht wird.</translation>
    </message>
    <message>
        <source>“%1” has used %2% of its limit.</source>
        <translation>„%1“ hat %2&#xa0;% seines Limits ausgeschöpft.</translation>
    </message>
</context>
<context>
    <name>AliasDialog</name>
    <message>
        <source>Through Gatehouse: budgets, limits and the ledger apply</source>
        <translation>Über Gatehouse: Budgets, Limits und Ledger gelten</translation>
    </message>
    <message>
        <source>Direct for these runtimes:</source>
        <translation>Direkt für diese Runtimes:</translation>
    </message>
    <message>
        <source>Direct for every runtime</source>
        <translation>Direkt für alle Runtimes</translation>
    </message>
    <message>
        <source>A pattern passes the requested model name through to the provider and is always routed through Gatehouse.</source>
        <translation>Ein Muster reicht den angefragten Modellnamen an den Anbieter durch und wird immer über Gatehouse geleitet.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Edit alias %1</source>
        <translation>Alias %1 bearbeiten</translation>
    </message>
    <message>
        <source>Add alias</source>
        <translation>Alias hinzufügen</translation>
    </message>
    <message>
        <source>e.g. team-fast, or claude-* for a pattern</source>
        <translation>z.&#xa0;B. team-fast oder claude-* als Muster</translation>
    </message>
    <message>
        <source>the alias name itself</source>
        <translation>der Aliasname selbst</translation>
    </message>
    <message>
        <source>A direct runtime gets the provider&apos;s own URL and uses its own provider key: Gatehouse neither governs nor sees that traffic.</source>
        <translation>Eine direkte Runtime erhält die URL des Anbieters und nutzt ihren eigenen Anbieterschlüssel: Gatehouse steuert diesen Datenverkehr nicht und sieht ihn auch nicht.</translation>
    </message>
    <message>
        <source>Alias</source>
        <translation>Alias</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>Upstream model</source>
        <translation>Upstream-Modell</translation>
    </message>
    <message>
        <source>Routing</source>
        <translation>Routing</translation>
    </message>
    <message>
        <source>This alias comes from the configuration file. Saving keeps your version in Gatehouse, taking precedence over the file&apos;s.</source>
        <translation>Dieser Alias stammt aus der Konfigurationsdatei. Beim Speichern behält Gatehouse Ihre Fassung; sie hat Vorrang vor der Datei.</translation>
    </message>
</context>
<context>
    <name>BudgetCard</name>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Edit budget %1</source>
        <translation>Budget %1 bearbeiten</translation>
    </message>
    <message>
        <source>Delete budget %1</source>
        <translation>Budget %1 löschen</translation>
    </message>
</context>
<context>
    <name>BudgetFigures</name>
    <message>
        <source>Each account</source>
        <translation>Jedes Konto</translation>
    </message>
    <message>
        <source>Account %1</source>
        <translation>Konto %1</translation>
    </message>
    <message>
        <source>Each user</source>
        <translation>Jeder Benutzer</translation>
    </message>
    <message>
        <source>User %1</source>
        <translation>Benutzer %1</translation>
    </message>
    <message>
        <source>Each API key</source>
        <translation>Jeder API-Schlüssel</translation>
    </message>
    <message>
        <source>API key %1</source>
        <translation>API-Schlüssel %1</translation>
    </message>
    <message>
        <source>Each flow</source>
        <translation>Jeder Flow</translation>
    </message>
    <message>
        <source>Flow %1</source>
        <translation>Flow %1</translation>
    </message>
    <message>
        <source>Each flow run</source>
        <translation>Jeder Flow-Lauf</translation>
    </message>
    <message>
        <source>Each run of flow %1</source>
        <translation>Jeder Lauf von Flow %1</translation>
    </message>
    <message>
        <source>Provider %1</source>
        <translation>Anbieter %1</translation>
    </message>
    <message>
        <source>Model %1 in account %2, flow %3</source>
        <translation>Modell %1 in Konto %2, Flow %3</translation>
    </message>
    <message>
        <source>Model %1 in account %2</source>
        <translation>Modell %1 in Konto %2</translation>
    </message>
    <message>
        <source>Model %1 in flow %2</source>
        <translation>Modell %1 in Flow %2</translation>
    </message>
    <message>
        <source>Model %1</source>
        <translation>Modell %1</translation>
    </message>
    <message>
        <source>Daily</source>
        <translation>Täglich</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>Wöchentlich</translation>
    </message>
    <message>
        <source>Monthly</source>
        <translation>Monatlich</translation>
    </message>
    <message>
        <source>Lifetime</source>
        <translation>Unbegrenzt</translation>
    </message>
</context>
<context>
    <name>BudgetForm</name>
    <message>
        <source>Spending limit</source>
        <translation>Ausgabenlimit</translation>
    </message>
    <message>
        <source>Token limit</source>
        <translation>Token-Limit</translation>
    </message>
    <message>
        <source>Hard: refuse requests past the limit</source>
        <translation>Hart: Anfragen über dem Limit ablehnen</translation>
    </message>
    <message>
        <source>Soft: admit them and alert</source>
        <translation>Weich: zulassen und warnen</translation>
    </message>
    <message>
        <source>Admit models without a price</source>
        <translation>Modelle ohne Preis zulassen</translation>
    </message>
    <message>
        <source>New budget</source>
        <translation>Neues Budget</translation>
    </message>
    <message>
        <source>Edit budget</source>
        <translation>Budget bearbeiten</translation>
    </message>
    <message>
        <source>e.g. team cap</source>
        <translation>z.&#xa0;B. Team-Obergrenze</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>Flow</source>
        <translation>Flow</translation>
    </message>
    <message>
        <source>Each run of a flow</source>
        <translation>Jeder Lauf eines Flows</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>pick or type a name</source>
        <translation>Namen wählen oder eingeben</translation>
    </message>
    <message>
        <source>any account</source>
        <translation>beliebiges Konto</translation>
    </message>
    <message>
        <source>any flow</source>
        <translation>beliebiger Flow</translation>
    </message>
    <message>
        <source>Monthly (from the 1st)</source>
        <translation>Monatlich (ab dem 1.)</translation>
    </message>
    <message>
        <source>Weekly (from Monday)</source>
        <translation>Wöchentlich (ab Montag)</translation>
    </message>
    <message>
        <source>Daily (from midnight)</source>
        <translation>Täglich (ab Mitternacht)</translation>
    </message>
    <message>
        <source>Lifetime (never resets)</source>
        <translation>Unbegrenzt (nie zurückgesetzt)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Bereich</translation>
    </message>
    <message>
        <source>Which one</source>
        <translation>Auswahl</translation>
    </message>
    <message>
        <source>Only in account</source>
        <translation>Nur im Konto</translation>
    </message>
    <message>
        <source>Only in flow</source>
        <translation>Nur im Flow</translation>
    </message>
    <message>
        <source>US dollars</source>
        <translation>US-Dollar</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>Enforcement</source>
        <translation>Durchsetzung</translation>
    </message>
    <message>
        <source>Alert at</source>
        <translation>Warnen bei</translation>
    </message>
    <message>
        <source>% of the limit</source>
        <translation>% des Limits</translation>
    </message>
    <message>
        <source>* (each account separately)</source>
        <translation>* (jedes Konto einzeln)</translation>
    </message>
    <message>
        <source>* (each user separately)</source>
        <translation>* (jeder Benutzer einzeln)</translation>
    </message>
    <message>
        <source>* (each API key separately)</source>
        <translation>* (jeder API-Schlüssel einzeln)</translation>
    </message>
    <message>
        <source>* (each flow separately)</source>
        <translation>* (jeder Flow einzeln)</translation>
    </message>
    <message>
        <source>* (each run of every flow)</source>
        <translation>* (jeder Lauf jedes Flows)</translation>
    </message>
    <message>
        <source>Enter the spending limit in dollars, like 25 or 12.50.</source>
        <translation>Geben Sie das Ausgabenlimit in Dollar ein, etwa 25 oder 12,50.</translation>
    </message>
    <message>
        <source>Enter the token limit as a whole number, like 500000.</source>
        <translation>Geben Sie das Token-Limit als ganze Zahl ein, etwa 500000.</translation>
    </message>
    <message>
        <source>Alert thresholds are whole percentages, like 80, 100.</source>
        <translation>Warnschwellen sind ganze Prozentwerte, etwa 80, 100.</translation>
    </message>
    <message>
        <source>The gateway refused this budget: %1</source>
        <translation>Das Gateway hat dieses Budget abgelehnt: %1</translation>
    </message>
</context>
<context>
    <name>BudgetGauge</name>
    <message>
        <source>Drag the limit handle, or press + and −, to change the limit.</source>
        <translation>Ziehen Sie den Limit-Regler oder drücken Sie + und −, um das Limit zu ändern.</translation>
    </message>
    <message>
        <source>%1 · %2% used</source>
        <translation>%1 · %2&#xa0;% genutzt</translation>
    </message>
    <message>
        <source>Budget %1</source>
        <translation>Budget %1</translation>
    </message>
    <message>
        <source>%1, %2. %3 tokens spent, %4 reserved, limit %5, %6% used.</source>
        <translation>%1, %2. %3 Token verbraucht, %4 reserviert, Limit %5, %6&#xa0;% genutzt.</translation>
    </message>
    <message>
        <source>%1, %2. %3 spent, %4 reserved, limit %5, %6% used.</source>
        <translation>%1, %2. %3 ausgegeben, %4 reserviert, Limit %5, %6&#xa0;% genutzt.</translation>
    </message>
    <message>
        <source>Refusing requests.</source>
        <translation>Lehnt Anfragen ab.</translation>
    </message>
    <message>
        <source>Resets %1</source>
        <translation>Zurücksetzung: %1</translation>
    </message>
    <message>
        <source>Never resets</source>
        <translation>Keine Zurücksetzung</translation>
    </message>
    <message>
        <source>DENYING</source>
        <translation>LEHNT AB</translation>
    </message>
    <message>
        <source>hard limit</source>
        <translation>hartes Limit</translation>
    </message>
    <message>
        <source>soft limit, alerts only</source>
        <translation>weiches Limit, nur Warnungen</translation>
    </message>
    <message>
        <source>%1 tokens spent · %2 reserved · new limit %3</source>
        <translation>%1 Token verbraucht · %2 reserviert · neues Limit %3</translation>
    </message>
    <message>
        <source>%1 spent · %2 reserved · new limit %3</source>
        <translation>%1 ausgegeben · %2 reserviert · neues Limit %3</translation>
    </message>
    <message>
        <source>(applying…)</source>
        <translation>(wird übernommen…)</translation>
    </message>
    <message>
        <source>%1 tokens spent · %2 reserved · %3 limit</source>
        <translation>%1 Token verbraucht · %2 reserviert · Limit %3</translation>
    </message>
    <message>
        <source>%1 spent · %2 reserved · %3 limit</source>
        <translation>%1 ausgegeben · %2 reserviert · Limit %3</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1&#xa0;%</translation>
    </message>
    <message>
        <source>%1 of %2 tokens</source>
        <translation>%1 von %2 Token</translation>
    </message>
    <message>
        <source>for %1</source>
        <translation>für %1</translation>
    </message>
    <message>
        <source>fullest of %1 separate totals: %2</source>
        <translation>am vollsten von %1 getrennten Summen: %2</translation>
    </message>
    <message numerus="yes">
        <source>%Ln unpriced call(s) not in the spend</source>
        <translation>
            <numerusform>%Ln Aufruf ohne Preis nicht in den Ausgaben</numerusform>
            <numerusform>%Ln Aufrufe ohne Preis nicht in den Ausgaben</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BudgetModel</name>
    <message>
        <source>Hard</source>
        <translation>Hart</translation>
    </message>
    <message>
        <source>Soft</source>
        <translation>Weich</translation>
    </message>
    <message>
        <source>%1% · denying</source>
        <translation>%1&#xa0;% · lehnt ab</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1&#xa0;%</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>Budget</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Bereich</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>Enforcement</source>
        <translation>Durchsetzung</translation>
    </message>
    <message>
        <source>Spent</source>
        <translation>Ausgegeben</translation>
    </message>
    <message>
        <source>Reserved</source>
        <translation>Reserviert</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>Limit</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>Genutzt</translation>
    </message>
</context>
<context>
    <name>BudgetsView</name>
    <message>
        <source>Budgets</source>
        <translation>Budgets</translation>
    </message>
    <message>
        <source>Spending limits the gateway enforces on every request. Drag a limit to change it; the change applies at once.</source>
        <translation>Ausgabenlimits, die das Gateway bei jeder Anfrage durchsetzt. Ziehen Sie ein Limit, um es zu ändern; die Änderung gilt sofort.</translation>
    </message>
    <message>
        <source>New budget</source>
        <translation>Neues Budget</translation>
    </message>
    <message>
        <source>Model for estimates</source>
        <translation>Modell für Schätzungen</translation>
    </message>
    <message>
        <source>No budgets yet.

A budget caps what an account, API key, flow, model or provider may spend per day, week, month or for good.
Create one with New budget.</source>
        <translation>Noch keine Budgets.

Ein Budget begrenzt, was ein Konto, ein API-Schlüssel, ein Flow, ein Modell oder ein Anbieter pro Tag, Woche, Monat oder insgesamt ausgeben darf.
Legen Sie eines mit „Neues Budget“ an.</translation>
    </message>
    <message>
        <source>The gateway kept the old limit: %1</source>
        <translation>Das Gateway hat das alte Limit beibehalten: %1</translation>
    </message>
    <message>
        <source>Delete budget</source>
        <translation>Budget löschen</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>The ledger could not be read: %1</source>
        <translation>Das Ledger konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>No calls in the last 7 days: nothing to estimate from.</source>
        <translation>Keine Aufrufe in den letzten 7 Tagen: keine Grundlage für eine Schätzung.</translation>
    </message>
    <message>
        <source>No calls of %1 in the last 7 days: nothing to estimate from.</source>
        <translation>Keine Aufrufe von %1 in den letzten 7 Tagen: keine Grundlage für eine Schätzung.</translation>
    </message>
    <message>
        <source>%1 is unpriced: its calls cannot be estimated against spending limits (%2 tokens per call in the last 7 days).</source>
        <translation>%1 ist ohne Preis: Seine Aufrufe lassen sich nicht gegen Ausgabenlimits schätzen (%2 Token pro Aufruf in den letzten 7 Tagen).</translation>
    </message>
    <message>
        <source>A typical call of %1 costs %2 and uses %3 tokens (from the one call in the last 7 days).</source>
        <translation>Ein typischer Aufruf von %1 kostet %2 und verbraucht %3 Token (aus dem einen Aufruf der letzten 7 Tage).</translation>
    </message>
    <message>
        <source>A typical call of %1 costs %2 and uses %3 tokens (the mean of %4 calls in the last 7 days).</source>
        <translation>Ein typischer Aufruf von %1 kostet %2 und verbraucht %3 Token (Mittelwert aus %4 Aufrufen der letzten 7 Tage).</translation>
    </message>
    <message>
        <source>Calls of %1 do not count against this budget.</source>
        <translation>Aufrufe von %1 zählen nicht für dieses Budget.</translation>
    </message>
    <message>
        <source>Cannot be estimated: %1 is unpriced.</source>
        <translation>Nicht schätzbar: %1 ist ohne Preis.</translation>
    </message>
    <message>
        <source>No more calls of %1 fit.</source>
        <translation>Kein weiterer Aufruf von %1 passt hinein.</translation>
    </message>
    <message>
        <source>Delete the budget “%1”? Requests are no longer checked against it.</source>
        <translation>Budget „%1“ löschen? Anfragen werden dann nicht mehr dagegen geprüft.</translation>
    </message>
    <message numerus="yes">
        <source>≈ %Ln more call(s) of %1 fit.</source>
        <translation>
            <numerusform>≈ %Ln weiterer Aufruf von %1 passt noch.</numerusform>
            <numerusform>≈ %Ln weitere Aufrufe von %1 passen noch.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CredentialModel</name>
    <message>
        <source>Allowed models: %1</source>
        <translation>Erlaubte Modelle: %1</translation>
    </message>
    <message>
        <source>Account %1</source>
        <translation>Konto %1</translation>
    </message>
    <message>
        <source>any runtime</source>
        <translation>jede Runtime</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>runtime&apos;s choice</source>
        <translation>Wahl der Runtime</translation>
    </message>
    <message>
        <source>%1, direct</source>
        <translation>%1, direkt</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>widerrufen</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <source>Credential</source>
        <translation>Zugang</translation>
    </message>
    <message>
        <source>Runtime</source>
        <translation>Runtime</translation>
    </message>
    <message>
        <source>Flow</source>
        <translation>Flow</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Minted</source>
        <translation>Ausgestellt</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Läuft ab</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
</context>
<context>
    <name>DisplayText</name>
    <message>
        <source>unpriced</source>
        <translation>ohne Preis</translation>
    </message>
    <message>
        <source>%1 µs</source>
        <translation>%1 µs</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
</context>
<context>
    <name>ExecutionListModel</name>
    <message>
        <source>failed (exit %1)</source>
        <translation>fehlgeschlagen (Exit-Code %1)</translation>
    </message>
    <message>
        <source>%1 in account %2</source>
        <translation>%1 im Konto %2</translation>
    </message>
    <message>
        <source>Execution</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Flow</source>
        <translation>Flow</translation>
    </message>
    <message>
        <source>Principal</source>
        <translation>Principal</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>KillSwitchAction</name>
    <message>
        <source>Stop all traffic</source>
        <translation>Allen Verkehr stoppen</translation>
    </message>
    <message>
        <source>Kill switch: refuse every model call until released</source>
        <translation>Not-Aus: jeden Modellaufruf ablehnen, bis er aufgehoben wird</translation>
    </message>
    <message>
        <source>stopped from the console</source>
        <translation>an der Konsole gestoppt</translation>
    </message>
    <message>
        <source>Resume traffic</source>
        <translation>Verkehr fortsetzen</translation>
    </message>
    <message>
        <source>Refuse every model call until you resume?</source>
        <translation>Jeden Modellaufruf ablehnen, bis Sie fortsetzen?</translation>
    </message>
    <message>
        <source>Runtimes get a clear error. Calls already running can finish, or be cut now.</source>
        <translation>Runtimes erhalten eine eindeutige Fehlermeldung. Laufende Aufrufe können zu Ende laufen oder sofort abgebrochen werden.</translation>
    </message>
    <message>
        <source>Stop, let running calls finish</source>
        <translation>Stoppen, laufende Aufrufe beenden lassen</translation>
    </message>
    <message>
        <source>Stop and cut running calls</source>
        <translation>Stoppen und laufende Aufrufe abbrechen</translation>
    </message>
</context>
<context>
    <name>LiveRequestDetail</name>
    <message>
        <source>No request body was seen.</source>
        <translation>Kein Anfrage-Body erfasst.</translation>
    </message>
    <message>
        <source>The request body is not JSON.</source>
        <translation>Der Anfrage-Body ist kein JSON.</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Last user message</source>
        <translation>Letzte Benutzernachricht</translation>
    </message>
    <message>
        <source>messages: %1</source>
        <translation>Nachrichten: %1</translation>
    </message>
    <message>
        <source>tools: %1</source>
        <translation>Tools: %1</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Konversation</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>The texts were left out to keep the event small.</source>
        <translation>Die Texte wurden weggelassen, um das Ereignis klein zu halten.</translation>
    </message>
    <message>
        <source>No response body was seen.</source>
        <translation>Kein Antwort-Body erfasst.</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>Tool calls</source>
        <translation>Tool-Aufrufe</translation>
    </message>
    <message>
        <source>Stop reason</source>
        <translation>Stoppgrund</translation>
    </message>
    <message>
        <source>The response had no text.</source>
        <translation>Die Antwort enthielt keinen Text.</translation>
    </message>
    <message>
        <source>Only the head of the response was kept.</source>
        <translation>Nur der Anfang der Antwort wurde aufbewahrt.</translation>
    </message>
    <message>
        <source>Select a request to see who sent it, its timing, tokens, cost and previews.</source>
        <translation>Wählen Sie eine Anfrage aus, um Absender, Zeiten, Token, Kosten und Vorschauen zu sehen.</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Absender</translation>
    </message>
    <message>
        <source>Flow / session</source>
        <translation>Flow / Sitzung</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Timing</source>
        <translation>Zeiten</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>The previews appear when the call finishes.</source>
        <translation>Die Vorschauen erscheinen, sobald der Aufruf abgeschlossen ist.</translation>
    </message>
    <message>
        <source>Loading the event…</source>
        <translation>Ereignis wird geladen…</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>principal (its type)</comment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>key %1</source>
        <translation>Schlüssel %1</translation>
    </message>
    <message>
        <source>account %1</source>
        <translation>Konto %1</translation>
    </message>
    <message>
        <source>unknown caller</source>
        <translation>unbekannter Aufrufer</translation>
    </message>
    <message>
        <source>flow %1</source>
        <translation>Flow %1</translation>
    </message>
    <message>
        <source>flow %1 (%2)</source>
        <translation>Flow %1 (%2)</translation>
    </message>
    <message>
        <source>session %1</source>
        <translation>Sitzung %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>%1 → %2 at %3</source>
        <translation>%1 → %2 bei %3</translation>
    </message>
    <message>
        <source>counted when the call finishes</source>
        <translation>wird gezählt, sobald der Aufruf endet</translation>
    </message>
    <message>
        <source>known when the call finishes</source>
        <translation>bekannt, sobald der Aufruf endet</translation>
    </message>
    <message>
        <source>%1 in</source>
        <translation>%1 Eingabe</translation>
    </message>
    <message>
        <source>%1 cached</source>
        <translation>%1 aus dem Cache</translation>
    </message>
    <message>
        <source>%1 written to cache</source>
        <translation>%1 in den Cache geschrieben</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>tokens (their detail)</comment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 out</source>
        <translation>%1 Ausgabe</translation>
    </message>
    <message>
        <source>%1 (%2 reasoning)</source>
        <translation>%1 (%2 Reasoning)</translation>
    </message>
    <message>
        <source>%1, counted by the gateway</source>
        <translation>%1, vom Gateway gezählt</translation>
    </message>
    <message>
        <source>nothing used</source>
        <translation>nichts verbraucht</translation>
    </message>
    <message>
        <source>unpriced: no price is known for %1</source>
        <translation>ohne Preis: Für %1 ist kein Preis bekannt</translation>
    </message>
    <message>
        <source>queued %1</source>
        <translation>in Warteschlange %1</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>%1 · running</source>
        <translation>%1 · läuft</translation>
    </message>
    <message>
        <source>first byte %1</source>
        <translation>erstes Byte %1</translation>
    </message>
    <message>
        <source>total %1</source>
        <translation>gesamt %1</translation>
    </message>
    <message>
        <source>Could not read the ledger: %1</source>
        <translation>Das Ledger konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The ledger has no event for this request.</source>
        <translation>Das Ledger enthält kein Ereignis zu dieser Anfrage.</translation>
    </message>
    <message>
        <source>No event was kept for this request: events are off, or it was pruned.</source>
        <translation>Zu dieser Anfrage wurde kein Ereignis aufbewahrt: Ereignisse sind ausgeschaltet, oder es wurde bereits gelöscht.</translation>
    </message>
    <message>
        <source>Request, %1</source>
        <translation>Anfrage, %1</translation>
    </message>
    <message>
        <source>Response, %1</source>
        <translation>Antwort, %1</translation>
    </message>
    <message>
        <source>Refused by the gateway: nothing went to the provider.</source>
        <translation>Vom Gateway abgelehnt: nichts wurde an den Anbieter gesendet.</translation>
    </message>
</context>
<context>
    <name>LiveRequestModel</name>
    <message>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>direct</source>
        <translation>direkt</translation>
    </message>
    <message>
        <source>upstream error</source>
        <translation>Upstream-Fehler</translation>
    </message>
    <message>
        <source>upstream timeout</source>
        <translation>Upstream-Zeitüberschreitung</translation>
    </message>
    <message>
        <source>upstream unreachable</source>
        <translation>Upstream nicht erreichbar</translation>
    </message>
    <message>
        <source>provider unavailable</source>
        <translation>Anbieter nicht verfügbar</translation>
    </message>
    <message>
        <source>client left</source>
        <translation>Client getrennt</translation>
    </message>
    <message>
        <source>gateway stopped</source>
        <translation>Gateway gestoppt</translation>
    </message>
    <message>
        <source>invalid request</source>
        <translation>ungültige Anfrage</translation>
    </message>
    <message>
        <source>unauthorized</source>
        <translation>nicht autorisiert</translation>
    </message>
    <message>
        <source>model not allowed</source>
        <translation>Modell nicht erlaubt</translation>
    </message>
    <message>
        <source>unknown model</source>
        <translation>unbekanntes Modell</translation>
    </message>
    <message>
        <source>rate limited</source>
        <translation>Ratenlimit erreicht</translation>
    </message>
    <message>
        <source>over budget</source>
        <translation>Budget überschritten</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>Time to the first byte / total time</source>
        <translation>Zeit bis zum ersten Byte / Gesamtzeit</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Principal</source>
        <translation>Principal</translation>
    </message>
    <message>
        <source>Flow / session</source>
        <translation>Flow / Sitzung</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Tokens in / out</source>
        <translation>Token ein / aus</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <source>Principal: %1</source>
        <translation>Principal: %1</translation>
    </message>
    <message>
        <source>Principal: %1 (%2)</source>
        <translation>Principal: %1 (%2)</translation>
    </message>
    <message>
        <source>Key: %1</source>
        <translation>Schlüssel: %1</translation>
    </message>
    <message>
        <source>Account: %1</source>
        <translation>Konto: %1</translation>
    </message>
    <message>
        <source>Flow: %1</source>
        <translation>Flow: %1</translation>
    </message>
    <message>
        <source>Flow: %1 (%2)</source>
        <translation>Flow: %1 (%2)</translation>
    </message>
    <message>
        <source>Session: %1</source>
        <translation>Sitzung: %1</translation>
    </message>
    <message>
        <source>%1 → %2 at %3</source>
        <translation>%1 → %2 bei %3</translation>
    </message>
    <message>
        <source>First byte %1, total %2</source>
        <translation>Erstes Byte %1, gesamt %2</translation>
    </message>
    <message>
        <source>streaming…</source>
        <translation>streamt…</translation>
    </message>
    <message>
        <source>waiting…</source>
        <translation>wartet…</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>HTTP status, then what happened</comment>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <comment>tokens in / out</comment>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <comment>first byte / total</comment>
        <translation>%1 / %2</translation>
    </message>
</context>
<context>
    <name>LiveView</name>
    <message>
        <source>Search requests</source>
        <translation>Anfragen durchsuchen</translation>
    </message>
    <message>
        <source>Finds the text in the request id, model, principal, key, flow, session and error</source>
        <translation>Sucht den Text in Anfrage-ID, Modell, Principal, Schlüssel, Flow, Sitzung und Fehler</translation>
    </message>
    <message>
        <source>All accounts</source>
        <translation>Alle Konten</translation>
    </message>
    <message>
        <source>All flows</source>
        <translation>Alle Flows</translation>
    </message>
    <message>
        <source>All sessions</source>
        <translation>Alle Sitzungen</translation>
    </message>
    <message>
        <source>All models</source>
        <translation>Alle Modelle</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Alle Status</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Laufend</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <source>Hold new requests so the table stays still</source>
        <translation>Neue Anfragen zurückhalten, damit die Tabelle stillsteht</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Empty the table (the ledger keeps every request)</source>
        <translation>Tabelle leeren (das Ledger behält jede Anfrage)</translation>
    </message>
    <message>
        <source>No requests yet</source>
        <translation>Noch keine Anfragen</translation>
    </message>
    <message>
        <source>Point a runtime at the gateway and its calls appear here as they happen.</source>
        <translation>Richten Sie eine Runtime auf das Gateway aus, dann erscheinen ihre Aufrufe hier in Echtzeit.</translation>
    </message>
    <message>
        <source>OpenAI SDKs and Codex: %1</source>
        <translation>OpenAI-SDKs und Codex: %1</translation>
    </message>
    <message>
        <source>Claude Code and Anthropic SDKs: %1</source>
        <translation>Claude Code und Anthropic-SDKs: %1</translation>
    </message>
    <message>
        <source>%1 shown</source>
        <translation>%1 angezeigt</translation>
    </message>
    <message>
        <source>%1 of %2 shown</source>
        <translation>%1 von %2 angezeigt</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message numerus="yes">
        <source>Paused, %n new</source>
        <translation>
            <numerusform>Pausiert, %n neue</numerusform>
            <numerusform>Pausiert, %n neue</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Gatehouse</source>
        <translation>Gatehouse</translation>
    </message>
    <message>
        <source>Resume traffic</source>
        <translation>Verkehr fortsetzen</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
    <message>
        <source>● Listening on %1</source>
        <translation>● Erreichbar unter %1</translation>
    </message>
    <message>
        <source>The kill switch did not change</source>
        <translation>Der Not-Aus wurde nicht umgeschaltet</translation>
    </message>
    <message>
        <source>Show Gatehouse</source>
        <translation>Gatehouse anzeigen</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>%1 req/s</source>
        <translation>%1 req/s</translation>
    </message>
    <message>
        <source>%1 today</source>
        <translation>%1 heute</translation>
    </message>
    <message numerus="yes">
        <source>%1 today + %n unpriced</source>
        <translation>
            <numerusform>%1 heute + %n ohne Preis</numerusform>
            <numerusform>%1 heute + %n ohne Preis</numerusform>
        </translation>
    </message>
    <message>
        <source>Gatehouse on %1
%2 · %3</source>
        <translation>Gatehouse auf %1
%2 · %3</translation>
    </message>
    <message>
        <source>&lt;b&gt;All model traffic is stopped&lt;/b&gt; since %1: %2</source>
        <translation>&lt;b&gt;Der gesamte Modellverkehr ist gestoppt&lt;/b&gt; seit %1: %2</translation>
    </message>
    <message>
        <source>■ Stopped · %1</source>
        <translation>■ Gestoppt · %1</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>Nutzung</translation>
    </message>
    <message>
        <source>Budgets</source>
        <translation>Budgets</translation>
    </message>
    <message>
        <source>Models and access</source>
        <translation>Modelle und Zugang</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
</context>
<context>
    <name>MintDialog</name>
    <message>
        <source>Paste it into a shell, then start claude there.</source>
        <translation>Fügen Sie es in eine Shell ein und starten Sie dort claude.</translation>
    </message>
    <message>
        <source>Paste it into a shell, then start codex there.</source>
        <translation>Fügen Sie es in eine Shell ein und starten Sie dort codex.</translation>
    </message>
    <message>
        <source>Paste it into a shell, then start opencode there.</source>
        <translation>Fügen Sie es in eine Shell ein und starten Sie dort opencode.</translation>
    </message>
    <message>
        <source>OpenAI and Anthropic SDK apps started from that shell read these variables without any code change.</source>
        <translation>OpenAI- und Anthropic-SDK-Apps, die aus dieser Shell gestartet werden, lesen diese Variablen ohne Codeänderung.</translation>
    </message>
    <message>
        <source>Point your runtime at OPENAI_BASE_URL or ANTHROPIC_BASE_URL with the token as its bearer key.</source>
        <translation>Richten Sie Ihre Runtime auf OPENAI_BASE_URL oder ANTHROPIC_BASE_URL aus, mit dem Token als Bearer-Schlüssel.</translation>
    </message>
    <message>
        <source>Show token</source>
        <translation>Token anzeigen</translation>
    </message>
    <message>
        <source>Mint runtime credential</source>
        <translation>Runtime-Zugang ausstellen</translation>
    </message>
    <message>
        <source>optional, e.g. ana-laptop</source>
        <translation>optional, z.&#xa0;B. ana-laptop</translation>
    </message>
    <message>
        <source>optional, e.g. nightly-refactor</source>
        <translation>optional, z.&#xa0;B. nightly-refactor</translation>
    </message>
    <message>
        <source>The runtime&apos;s choice</source>
        <translation>Wahl der Runtime</translation>
    </message>
    <message>
        <source>every model (or e.g. fast, claude-*)</source>
        <translation>alle Modelle (oder z.&#xa0;B. fast, claude-*)</translation>
    </message>
    <message>
        <source>15 minutes</source>
        <translation>15 Minuten</translation>
    </message>
    <message>
        <source>30 minutes</source>
        <translation>30 Minuten</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 Stunde</translation>
    </message>
    <message>
        <source>4 hours</source>
        <translation>4 Stunden</translation>
    </message>
    <message>
        <source>8 hours</source>
        <translation>8 Stunden</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 Stunden</translation>
    </message>
    <message>
        <source>Runtime</source>
        <translation>Runtime</translation>
    </message>
    <message>
        <source>Principal name</source>
        <translation>Principal-Name</translation>
    </message>
    <message>
        <source>Flow</source>
        <translation>Flow</translation>
    </message>
    <message>
        <source>Default model</source>
        <translation>Standardmodell</translation>
    </message>
    <message>
        <source>Allowed models</source>
        <translation>Erlaubte Modelle</translation>
    </message>
    <message>
        <source>Lifetime</source>
        <translation>Unbegrenzt</translation>
    </message>
    <message>
        <source>Mint credential</source>
        <translation>Zugang ausstellen</translation>
    </message>
    <message>
        <source>A credential lets one runtime call Gatehouse for a while; its calls are recorded under this runtime and flow.</source>
        <translation>Mit einem Zugang kann eine Runtime Gatehouse eine Zeit lang aufrufen; ihre Aufrufe werden unter dieser Runtime und diesem Flow erfasst.</translation>
    </message>
    <message>
        <source>Hide token</source>
        <translation>Token ausblenden</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copied, with the token.</source>
        <translation>Kopiert, samt Token.</translation>
    </message>
    <message>
        <source>The token is shown only now: Gatehouse keeps only its hash. Copy it before you close this window; to replace it, mint a new one.</source>
        <translation>Das Token wird nur jetzt angezeigt: Gatehouse speichert nur seinen Hash. Kopieren Sie es, bevor Sie dieses Fenster schließen; als Ersatz stellen Sie einen neuen Zugang aus.</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>%1 is already a %2 runtime.</source>
        <translation>%1 ist bereits eine Runtime vom Typ %2.</translation>
    </message>
    <message>
        <source>Gatehouse answered without a usable credential.</source>
        <translation>Gatehouse hat ohne verwendbaren Zugang geantwortet.</translation>
    </message>
    <message>
        <source>Credential %1 for %2, valid until %3</source>
        <translation>Zugang %1 für %2, gültig bis %3</translation>
    </message>
    <message>
        <source>“%1” is a runtime type: leave the name empty, or choose %2 above.</source>
        <translation>„%1“ ist ein Runtime-Typ: Lassen Sie den Namen leer oder wählen Sie oben %2.</translation>
    </message>
</context>
<context>
    <name>RedactionPatternModel</name>
    <message>
        <source>The name takes 1 to 64 letters, digits, _, - or .</source>
        <translation>Der Name besteht aus 1 bis 64 Buchstaben, Ziffern, _, - oder .</translation>
    </message>
    <message>
        <source>Enter a regular expression.</source>
        <translation>Geben Sie einen regulären Ausdruck ein.</translation>
    </message>
    <message>
        <source>%1 at position %2</source>
        <translation>%1 an Position %2</translation>
    </message>
    <message>
        <source>It matches empty text, so it would match everywhere.</source>
        <translation>Er passt auf leeren Text und würde daher überall treffen.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Regular expression</source>
        <translation>Regulärer Ausdruck</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
</context>
<context>
    <name>RouteModel</name>
    <message>
        <source>Calls routed here fail until %1 is set in Gatehouse&apos;s environment.</source>
        <translation>Hierher geleitete Aufrufe schlagen fehl, bis %1 in der Umgebung von Gatehouse gesetzt ist.</translation>
    </message>
    <message>
        <source>OpenAI API</source>
        <translation>OpenAI API</translation>
    </message>
    <message>
        <source>Anthropic API</source>
        <translation>Anthropic API</translation>
    </message>
    <message>
        <source>Simulated</source>
        <translation>Simuliert</translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%1 unter %2</translation>
    </message>
    <message>
        <source>%1 not set</source>
        <translation>%1 nicht gesetzt</translation>
    </message>
    <message>
        <source>USD per million tokens (%1)</source>
        <translation>USD pro Million Token (%1)</translation>
    </message>
    <message>
        <source>The price table does not know %1: its usage is recorded as unpriced, never as $0.</source>
        <translation>Die Preistabelle kennt %1 nicht: Die Nutzung wird als „ohne Preis“ erfasst, nie als $0.</translation>
    </message>
    <message>
        <source>the requested model</source>
        <translation>das angefragte Modell</translation>
    </message>
    <message>
        <source>per model</source>
        <translation>je Modell</translation>
    </message>
    <message>
        <source>Through Gatehouse</source>
        <translation>Über Gatehouse</translation>
    </message>
    <message>
        <source>Direct for every runtime</source>
        <translation>Direkt für alle Runtimes</translation>
    </message>
    <message>
        <source>Direct for %1</source>
        <translation>Direkt für %1</translation>
    </message>
    <message>
        <source>configuration file</source>
        <translation>Konfigurationsdatei</translation>
    </message>
    <message>
        <source>admin API</source>
        <translation>Admin-API</translation>
    </message>
    <message>
        <source>List price in USD per million tokens</source>
        <translation>Listenpreis in USD pro Million Token</translation>
    </message>
    <message>
        <source>Provider / alias</source>
        <translation>Anbieter / Alias</translation>
    </message>
    <message>
        <source>Upstream model</source>
        <translation>Upstream-Modell</translation>
    </message>
    <message>
        <source>Input / Mtok</source>
        <translation>Eingabe / Mtok</translation>
    </message>
    <message>
        <source>Output / Mtok</source>
        <translation>Ausgabe / Mtok</translation>
    </message>
    <message>
        <source>Cached / Mtok</source>
        <translation>Cache / Mtok</translation>
    </message>
    <message>
        <source>Routing</source>
        <translation>Routing</translation>
    </message>
    <message>
        <source>Defined in</source>
        <translation>Definiert in</translation>
    </message>
    <message>
        <source>Runtimes holding a credential for this alias talk to the provider directly with their own key: no budgets, no limits, no usage in the ledger.</source>
        <translation>Runtimes mit einem Zugang für diesen Alias sprechen mit ihrem eigenen Schlüssel direkt mit dem Anbieter: keine Budgets, keine Limits, keine Nutzung im Ledger.</translation>
    </message>
</context>
<context>
    <name>RuntimeType</name>
    <message>
        <source>SDK app</source>
        <translation>SDK-App</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Benutzerdefiniert</translation>
    </message>
</context>
<context>
    <name>SessionTreeModel</name>
    <message>
        <source>account %1</source>
        <translation>Konto %1</translation>
    </message>
    <message>
        <source>sub-agent %1</source>
        <translation>Sub-Agent %1</translation>
    </message>
    <message>
        <source>key %1</source>
        <translation>Schlüssel %1</translation>
    </message>
    <message>
        <source>credential %1</source>
        <translation>Zugang %1</translation>
    </message>
    <message>
        <source>execution %1</source>
        <translation>Lauf %1</translation>
    </message>
    <message>
        <source>%1
session %2, identified by %3</source>
        <translation>%1
Sitzung %2, erkannt über %3</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Sitzung</translation>
    </message>
    <message>
        <source>Runtime / principal</source>
        <translation>Runtime / Principal</translation>
    </message>
    <message>
        <source>Flow</source>
        <translation>Flow</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>SessionsView</name>
    <message>
        <source>Runtime sessions</source>
        <translation>Runtime-Sitzungen</translation>
    </message>
    <message>
        <source>Flow executions</source>
        <translation>Flow-Läufe</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;No runtime sessions in the last day&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Agents that call %1 show up here, sub-agents under their session. Claude Code and Codex are recognised by their credentials. Other clients name their session with the header&lt;br&gt;&lt;tt&gt;X-Gatehouse-Session-Id&lt;/tt&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Keine Runtime-Sitzungen in den letzten 24 Stunden&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Agenten, die %1 aufrufen, erscheinen hier, Sub-Agenten unter ihrer Sitzung. Claude Code und Codex werden an ihren Zugangsdaten erkannt. Andere Clients benennen ihre Sitzung mit dem Header&lt;br&gt;&lt;tt&gt;X-Gatehouse-Session-Id&lt;/tt&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;No flow executions in the last day&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Run a job with &lt;tt&gt;gatehouse exec&lt;/tt&gt;, or open one through the admin API, to see it here.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Keine Flow-Läufe in den letzten 24 Stunden&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Starten Sie einen Job mit &lt;tt&gt;gatehouse exec&lt;/tt&gt; oder eröffnen Sie einen Lauf über die Admin-API, um ihn hier zu sehen.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Could not read the gateway: %1</source>
        <translation>Das Gateway konnte nicht abgefragt werden: %1</translation>
    </message>
    <message>
        <source>Sessions in the last day: %1 · active: %2</source>
        <translation>Sitzungen in den letzten 24 Stunden: %1 · aktiv: %2</translation>
    </message>
    <message>
        <source>Flow executions: %1 · running: %2</source>
        <translation>Flow-Läufe: %1 · laufend: %2</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Choose a session to see its requests.</source>
        <translation>Wählen Sie eine Sitzung, um ihre Anfragen zu sehen.</translation>
    </message>
    <message>
        <source>Choose an execution to see its requests.</source>
        <translation>Wählen Sie einen Flow-Lauf, um seine Anfragen zu sehen.</translation>
    </message>
    <message>
        <source>Requests of %1 and its sub-agents</source>
        <translation>Anfragen von %1 samt Sub-Agenten</translation>
    </message>
    <message>
        <source>Requests of %1</source>
        <translation>Anfragen von %1</translation>
    </message>
    <message>
        <source>Requests: %1 · tokens: %2 · cost: %3</source>
        <translation>Anfragen: %1 · Token: %2 · Kosten: %3</translation>
    </message>
    <message>
        <source>%1 · failed or denied: %2</source>
        <translation>%1 · fehlgeschlagen oder abgelehnt: %2</translation>
    </message>
    <message>
        <source>%1 (the latest %2 shown)</source>
        <translation>%1 (die neuesten %2 angezeigt)</translation>
    </message>
    <message>
        <source>No requests of this session in the ledger yet.</source>
        <translation>Noch keine Anfragen dieser Sitzung im Ledger.</translation>
    </message>
    <message>
        <source>No requests of this execution in the ledger yet.</source>
        <translation>Noch keine Anfragen dieses Flow-Laufs im Ledger.</translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <source>applies at next start</source>
        <translation>gilt ab dem nächsten Start</translation>
    </message>
    <message>
        <source>Keep complete request and response bodies</source>
        <translation>Vollständige Anfrage- und Antwort-Bodys aufbewahren</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Zurücksetzen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>any free port</source>
        <translation>beliebiger freier Port</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Auswählen…</translation>
    </message>
    <message>
        <source>Data directory</source>
        <translation>Datenverzeichnis</translation>
    </message>
    <message>
        <source>Add pattern</source>
        <translation>Muster hinzufügen</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>and at most</source>
        <translation>und höchstens</translation>
    </message>
    <message>
        <source>Keep events for</source>
        <translation>Ereignisse aufbewahren für</translation>
    </message>
    <message>
        <source>Older events go first. Usage records (tokens and cost) are always kept.</source>
        <translation>Ältere Ereignisse werden zuerst entfernt. Nutzungsdaten (Token und Kosten) bleiben immer erhalten.</translation>
    </message>
    <message>
        <source>Gatehouse always redacts API keys, bearer tokens, passwords in URLs and private keys. Add patterns for your own secrets; a match is stored as [REDACTED:name].</source>
        <translation>Gatehouse schwärzt immer API-Schlüssel, Bearer-Token, Passwörter in URLs und private Schlüssel. Fügen Sie Muster für Ihre eigenen Geheimnisse hinzu; ein Treffer wird als [REDACTED:name] gespeichert.</translation>
    </message>
    <message>
        <source>Built in: %1</source>
        <translation>Integriert: %1</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Listener</source>
        <translation>Listener</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation>Datenschutz</translation>
    </message>
    <message>
        <source>Console</source>
        <translation>Konsole</translation>
    </message>
    <message>
        <source>Enter an IPv4 or IPv6 address, or localhost.</source>
        <translation>Geben Sie eine IPv4- oder IPv6-Adresse oder localhost ein.</translation>
    </message>
    <message>
        <source>Enter an absolute path.</source>
        <translation>Geben Sie einen absoluten Pfad ein.</translation>
    </message>
    <message>
        <source>Other machines can reach Gatehouse on this address. Callers still need a key; the admin API answers this machine only.</source>
        <translation>Andere Rechner können Gatehouse unter dieser Adresse erreichen. Aufrufer brauchen weiterhin einen Schlüssel; die Admin-API antwortet nur diesem Rechner.</translation>
    </message>
    <message>
        <source>Pattern %1: %2</source>
        <translation>Muster %1: %2</translation>
    </message>
    <message>
        <source>Off: each event keeps a redacted preview of its request and response.</source>
        <translation>Aus: Jedes Ereignis behält eine geschwärzte Vorschau von Anfrage und Antwort.</translation>
    </message>
    <message>
        <source>Unsaved changes.</source>
        <translation>Ungespeicherte Änderungen.</translation>
    </message>
    <message>
        <source>Fix the marked fields to save.</source>
        <translation>Korrigieren Sie die markierten Felder, um zu speichern.</translation>
    </message>
    <message>
        <source>Saved. Restart Gatehouse to apply the marked changes.</source>
        <translation>Gespeichert. Starten Sie Gatehouse neu, um die markierten Änderungen zu übernehmen.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>Gatehouse reads these when it starts. They take precedence over its configuration file; command-line flags take precedence over them.</source>
        <translation>Gatehouse liest diese Werte beim Start. Sie haben Vorrang vor der Konfigurationsdatei; Kommandozeilenoptionen haben Vorrang vor ihnen.</translation>
    </message>
    <message>
        <source>Bodies are stored redacted, but whole: prompts, source code and documents stay in the ledger until retention removes them, and the ledger grows much faster.</source>
        <translation>Bodies werden geschwärzt, aber vollständig gespeichert: Prompts, Quellcode und Dokumente bleiben im Ledger, bis die Aufbewahrung sie entfernt, und der Ledger wächst viel schneller.</translation>
    </message>
    <message>
        <source>Embedded (SQLite in the data directory)</source>
        <translation>Eingebettet (SQLite im Datenverzeichnis)</translation>
    </message>
    <message>
        <source>Team database (PostgreSQL)</source>
        <translation>Team-Datenbank (PostgreSQL)</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Enter the database&apos;s URL.</source>
        <translation>Geben Sie die URL der Datenbank ein.</translation>
    </message>
    <message>
        <source>Not a PostgreSQL database URL (%1).</source>
        <translation>Keine URL einer PostgreSQL-Datenbank (%1).</translation>
    </message>
    <message>
        <source>Team mode: several gateways share budgets, ledger and identities in one PostgreSQL database.</source>
        <translation>Team-Modus: Mehrere Gateways teilen Budgets, Ledger und Identitäten in einer PostgreSQL-Datenbank.</translation>
    </message>
    <message>
        <source>Prefer PGPASSWORD or ~/.pgpass to a password here: Settings keeps it in its file.</source>
        <translation>Besser PGPASSWORD oder ~/.pgpass als ein Passwort hier: Die Einstellungen legen es in ihrer Datei ab.</translation>
    </message>
</context>
<context>
    <name>TimelineModel</name>
    <message>
        <source>%1 via %2</source>
        <translation>%1 über %2</translation>
    </message>
    <message>
        <source>first byte after %1</source>
        <translation>erstes Byte nach %1</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Sitzung</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>In</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
</context>
<context>
    <name>UsageChart</name>
    <message>
        <source>other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
</context>
<context>
    <name>UsageRankingModel</name>
    <message numerus="yes">
        <source>%1 in, %2 out; %n failed or denied</source>
        <translation>
            <numerusform>%1 Eingabe, %2 Ausgabe; %n fehlgeschlagen oder abgelehnt</numerusform>
            <numerusform>%1 Eingabe, %2 Ausgabe; %n fehlgeschlagen oder abgelehnt</numerusform>
        </translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
</context>
<context>
    <name>UsageTotals</name>
    <message numerus="yes">
        <source>%n unpriced</source>
        <translation>
            <numerusform>%n ohne Preis</numerusform>
            <numerusform>%n ohne Preis</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 + %n unpriced</source>
        <translation>
            <numerusform>%1 + %n ohne Preis</numerusform>
            <numerusform>%1 + %n ohne Preis</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UsageView</name>
    <message>
        <source>1 h</source>
        <translation>1 h</translation>
    </message>
    <message>
        <source>24 h</source>
        <translation>24 h</translation>
    </message>
    <message>
        <source>7 d</source>
        <translation>7 T</translation>
    </message>
    <message>
        <source>30 d</source>
        <translation>30 T</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>Spend</source>
        <translation>Ausgaben</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Unpriced requests</source>
        <translation>Anfragen ohne Preis</translation>
    </message>
    <message>
        <source>(no model)</source>
        <translation>(kein Modell)</translation>
    </message>
    <message>
        <source>Flow</source>
        <translation>Flow</translation>
    </message>
    <message>
        <source>(no flow)</source>
        <translation>(kein Flow)</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>(credential)</source>
        <translation>(Zugang)</translation>
    </message>
    <message>
        <source>Stack by</source>
        <translation>Stapeln nach</translation>
    </message>
    <message>
        <source>Top models</source>
        <translation>Top-Modelle</translation>
    </message>
    <message>
        <source>Top flows</source>
        <translation>Top-Flows</translation>
    </message>
    <message>
        <source>Top API keys</source>
        <translation>Top-API-Schlüssel</translation>
    </message>
    <message>
        <source>Could not read the ledger: %1</source>
        <translation>Das Ledger konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>the last hour</source>
        <translation>der letzten Stunde</translation>
    </message>
    <message>
        <source>the last 24 hours</source>
        <translation>den letzten 24 Stunden</translation>
    </message>
    <message>
        <source>the last 7 days</source>
        <translation>den letzten 7 Tagen</translation>
    </message>
    <message>
        <source>the last 30 days</source>
        <translation>den letzten 30 Tagen</translation>
    </message>
    <message>
        <source>Usage in %1, updated %2</source>
        <translation>Nutzung in %1, aktualisiert %2</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;No traffic in %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Requests to %2 show up here once they finish. Choose a longer range to look further back.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Kein Datenverkehr in %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Anfragen an %2 erscheinen hier, sobald sie abgeschlossen sind. Wählen Sie einen längeren Zeitraum, um weiter zurückzublicken.&lt;/p&gt;</translation>
    </message>
    <message numerus="yes">
        <source>+ %n unpriced</source>
        <translation>
            <numerusform>+ %n ohne Preis</numerusform>
            <numerusform>+ %n ohne Preis</numerusform>
        </translation>
    </message>
    <message>
        <source>all priced</source>
        <translation>alle mit Preis</translation>
    </message>
    <message numerus="yes">
        <source>%n failed or denied</source>
        <translation>
            <numerusform>%n fehlgeschlagen oder abgelehnt</numerusform>
            <numerusform>%n fehlgeschlagen oder abgelehnt</numerusform>
        </translation>
    </message>
    <message>
        <source>none failed</source>
        <translation>keine fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 in, %2 out</source>
        <translation>%1 Eingabe, %2 Ausgabe</translation>
    </message>
    <message>
        <source>no price known: not in spend</source>
        <translation>kein Preis bekannt: nicht in den Ausgaben</translation>
    </message>
    <message>
        <source>every request has a price</source>
        <translation>jede Anfrage hat einen Preis</translation>
    </message>
    <message>
        <source>other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>(unpriced)</source>
        <translation>(ohne Preis)</translation>
    </message>
    <message>
        <source>Not in spend: %1 unpriced</source>
        <translation>Nicht in den Ausgaben: %1 ohne Preis</translation>
    </message>
    <message>
        <source>Not in spend: %1 unpriced (%2)</source>
        <translation>Nicht in den Ausgaben: %1 ohne Preis (%2)</translation>
    </message>
</context>
</TS>
