<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ApiError</name>
    <message numerus="yes">
        <source>No answer from %1 within %n second(s). Check your network connection and proxy, or raise the timeout. The job may or may not have been cancelled.</source>
        <translation>
            <numerusform>No answer from %1 within %n second. Check your network connection and proxy, or raise the timeout. The job may or may not have been cancelled.</numerusform>
            <numerusform>No answer from %1 within %n seconds. Check your network connection and proxy, or raise the timeout. The job may or may not have been cancelled.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CancelBatch</name>
    <message numerus="yes">
        <source>Looking up %n job(s) first.</source>
        <translation>
            <numerusform>Looking up %n job first.</numerusform>
            <numerusform>Looking up %n jobs first.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelling %n job(s), at most %1 at a time.</source>
        <translation>
            <numerusform>Cancelling %n job, at most %1 at a time.</numerusform>
            <numerusform>Cancelling %n jobs, at most %1 at a time.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Retrying %n failed job(s).</source>
        <translation>
            <numerusform>Retrying %n failed job.</numerusform>
            <numerusform>Retrying %n failed jobs.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message numerus="yes">
        <source>%n job(s) not sent because of %1: %2</source>
        <translation>
            <numerusform>%n job not sent because of %1: %2</numerusform>
            <numerusform>%n jobs not sent because of %1: %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>About to cancel %n job(s) (%1):</source>
        <translation>
            <numerusform>About to cancel %n job (%1):</numerusform>
            <numerusform>About to cancel %n jobs (%1):</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancel %n job(s)? [y/N] </source>
        <translation>
            <numerusform>Cancel %n job? [y/N] </numerusform>
            <numerusform>Cancel %n jobs? [y/N] </numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConfirmDialog</name>
    <message numerus="yes">
        <source>Cancel %n job(s)? This cannot be undone.</source>
        <translation>
            <numerusform>Cancel %n job? This cannot be undone.</numerusform>
            <numerusform>Cancel %n jobs? This cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>⚠ %n of these job(s) belong to another organization than the configured %1.</source>
        <translation>
            <numerusform>⚠ %n of these jobs belongs to another organization than the configured %1.</numerusform>
            <numerusform>⚠ %n of these jobs belong to another organization than the configured %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancel %n job(s)</source>
        <translation>
            <numerusform>Cancel %n job</numerusform>
            <numerusform>Cancel %n jobs</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message numerus="yes">
        <source>, %n damaged line(s) skipped</source>
        <translation>
            <numerusform>, %n damaged line skipped</numerusform>
            <numerusform>, %n damaged lines skipped</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n older line(s) not loaded</source>
        <translation>
            <numerusform>; %n older line not loaded</numerusform>
            <numerusform>; %n older lines not loaded</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>…and %n more.</source>
        <translation>
            <numerusform>…and %n more.</numerusform>
            <numerusform>…and %n more.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n record</numerusform>
            <numerusform>%n records</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n record(s) shown</source>
        <translation>
            <numerusform>%1 of %n record shown</numerusform>
            <numerusform>%1 of %n records shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n record(s) to %1.</source>
        <translation>
            <numerusform>Exported %n record to %1.</numerusform>
            <numerusform>Exported %n records to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>JobId</name>
    <message numerus="yes">
        <source>That is %n character(s) long; a job id is much shorter.</source>
        <translation>
            <numerusform>That is %n character long; a job id is much shorter.</numerusform>
            <numerusform>That is %n characters long; a job id is much shorter.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>JobRequest</name>
    <message numerus="yes">
        <source>Gave up: the overall deadline of %n second(s) passed.</source>
        <translation>
            <numerusform>Gave up: the overall deadline of %n second passed.</numerusform>
            <numerusform>Gave up: the overall deadline of %n seconds passed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Gave up: no final answer within the overall deadline of %n second(s). The job may or may not have been cancelled; check it before retrying.</source>
        <translation>
            <numerusform>Gave up: no final answer within the overall deadline of %n second. The job may or may not have been cancelled; check it before retrying.</numerusform>
            <numerusform>Gave up: no final answer within the overall deadline of %n seconds. The job may or may not have been cancelled; check it before retrying.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>Log copied (%n line(s)).</source>
        <translation>
            <numerusform>Log copied (%n line).</numerusform>
            <numerusform>Log copied (%n lines).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The account or the settings changed: the %n job(s) listed will be looked up again.</source>
        <translation>
            <numerusform>The account or the settings changed: the %n job listed will be looked up again.</numerusform>
            <numerusform>The account or the settings changed: the %n jobs listed will be looked up again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more (see the log).</source>
        <translation>
            <numerusform>… and %n more (see the log).</numerusform>
            <numerusform>… and %n more (see the log).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n duplicate(s) merged.</source>
        <translation>
            <numerusform>%n duplicate merged.</numerusform>
            <numerusform>%n duplicates merged.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added %n job(s) to the list.</source>
        <translation>
            <numerusform>Added %n job to the list.</numerusform>
            <numerusform>Added %n jobs to the list.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancel %n job(s)</source>
        <translation>
            <numerusform>Cancel %n job</numerusform>
            <numerusform>Cancel %n jobs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Send the %n cancel(s) that failed, were stopped or had no answer once more</source>
        <translation>
            <numerusform>Send the %n cancel that failed, was stopped or had no answer once more</numerusform>
            <numerusform>Send the %n cancels that failed, were stopped or had no answer once more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n attempt(s)</source>
        <translation>
            <numerusform>%n attempt</numerusform>
            <numerusform>%n attempts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OutputGate</name>
    <message numerus="yes">
        <source>… (%n byte(s) more)</source>
        <translation>
            <numerusform>… (%n byte more)</numerusform>
            <numerusform>… (%n bytes more)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RetryPolicy</name>
    <message numerus="yes">
        <source>%1; no retries left (%n allowed)</source>
        <translation>
            <numerusform>%1; no retries left (%n allowed)</numerusform>
            <numerusform>%1; no retries left (%n allowed)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SecretStore</name>
    <message numerus="yes">
        <source>The keyring did not answer within %n second(s).</source>
        <translation>
            <numerusform>The keyring did not answer within %n second.</numerusform>
            <numerusform>The keyring did not answer within %n seconds.</numerusform>
        </translation>
    </message>
</context>
</TS>