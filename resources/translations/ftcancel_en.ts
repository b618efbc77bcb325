<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ApiCall</name>
    <message numerus="yes">
        <source>Gave up: the overall deadline of %n second(s) passed.</source>
        <translation>
            <numerusform>Gave up: the overall deadline of %n second passed.</numerusform>
            <numerusform>Gave up: the overall deadline of %n seconds passed.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ApiConfig</name>
    <message numerus="yes">
        <source>up to %n retry(s)</source>
        <translation>
            <numerusform>up to %n retry</numerusform>
            <numerusform>up to %n retries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n extra CA certificate(s) trusted</source>
        <translation>
            <numerusform>, %n extra CA certificate trusted</numerusform>
            <numerusform>, %n extra CA certificates trusted</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ApiError</name>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The answer from %1 stopped: nothing more came for %n second(s). Check your network connection and proxy, or raise the timeout.</source>
        <translation>
            <numerusform>The answer from %1 stopped: nothing more came for %n second. Check your network connection and proxy, or raise the timeout.</numerusform>
            <numerusform>The answer from %1 stopped: nothing more came for %n seconds. Check your network connection and proxy, or raise the timeout.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No answer from %1 within %n second(s). Check your network connection and proxy, or raise the timeout.</source>
        <translation>
            <numerusform>No answer from %1 within %n second. Check your network connection and proxy, or raise the timeout.</numerusform>
            <numerusform>No answer from %1 within %n seconds. Check your network connection and proxy, or raise the timeout.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No complete answer from %1 within %2 (the overall deadline of %n second(s) cut this attempt short).</source>
        <translation>
            <numerusform>No complete answer from %1 within %2 (the overall deadline of %n second cut this attempt short).</numerusform>
            <numerusform>No complete answer from %1 within %2 (the overall deadline of %n seconds cut this attempt short).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No answer from %1 within %2 (the overall deadline of %n second(s) cut this attempt short).</source>
        <translation>
            <numerusform>No answer from %1 within %2 (the overall deadline of %n second cut this attempt short).</numerusform>
            <numerusform>No answer from %1 within %2 (the overall deadline of %n seconds cut this attempt short).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BatchBar</name>
    <message numerus="yes">
        <source>Send the cancels that failed, were stopped or had no answer once more, and look up again the jobs whose look-up failed (%n in all)</source>
        <translation>
            <numerusform>Send the cancels that failed, were stopped or had no answer once more, and look up again the jobs whose look-up failed (%n in all)</numerusform>
            <numerusform>Send the cancels that failed, were stopped or had no answer once more, and look up again the jobs whose look-up failed (%n in all)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Read again the %n job(s) whose cancel was requested but that had not stopped yet, and watch them until they stop; no cancel is sent again</source>
        <translation>
            <numerusform>Read again the %n job whose cancel was requested but that had not stopped yet, and watch them until they stop; no cancel is sent again</numerusform>
            <numerusform>Read again the %n jobs whose cancel was requested but that had not stopped yet, and watch them until they stop; no cancel is sent again</numerusform>
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
        <source>%n in other statuses</source>
        <translation>
            <numerusform>%n in other statuses</numerusform>
            <numerusform>%n in other statuses</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Retrying %n failed cancel(s).</source>
        <translation>
            <numerusform>Retrying %n failed cancel.</numerusform>
            <numerusform>Retrying %n failed cancels.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Looking up %n job(s) again; their cancels wait for your confirmation.</source>
        <translation>
            <numerusform>Looking up %n job again; their cancels wait for your confirmation.</numerusform>
            <numerusform>Looking up %n jobs again; their cancels wait for your confirmation.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Checking %n job(s) again (no cancel is sent again).</source>
        <translation>
            <numerusform>Checking %n job again (no cancel is sent again).</numerusform>
            <numerusform>Checking %n jobs again (no cancel is sent again).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pausing %n job(s), at most %1 at a time.</source>
        <translation>
            <numerusform>Pausing %n job, at most %1 at a time.</numerusform>
            <numerusform>Pausing %n jobs, at most %1 at a time.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Resuming %n job(s), at most %1 at a time.</source>
        <translation>
            <numerusform>Resuming %n job, at most %1 at a time.</numerusform>
            <numerusform>Resuming %n jobs, at most %1 at a time.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CancelCommand</name>
    <message numerus="yes">
        <source>Not sent: %n job(s) listed as not finished have an id FtCancel will not send:</source>
        <translation>
            <numerusform>Not sent: %n job listed as not finished has an id FtCancel will not send:</numerusform>
            <numerusform>Not sent: %n jobs listed as not finished have an id FtCancel will not send:</numerusform>
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
    <message numerus="yes">
        <source>%n job(s) not sent because of %1: %2</source>
        <translation>
            <numerusform>%n job not sent because of %1: %2</numerusform>
            <numerusform>%n jobs not sent because of %1: %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) not sent, the API rejected the key: %1</source>
        <translation>
            <numerusform>%n job not sent, the API rejected the key: %1</numerusform>
            <numerusform>%n jobs not sent, the API rejected the key: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) not sent, rate limited until %1; retry then: %2</source>
        <translation>
            <numerusform>%n job not sent, rate limited until %1; retry then: %2</numerusform>
            <numerusform>%n jobs not sent, rate limited until %1; retry then: %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) kept running, no cancel sent: %1</source>
        <translation>
            <numerusform>%n job kept running, no cancel sent: %1</numerusform>
            <numerusform>%n jobs kept running, no cancel sent: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n listed job(s) not sent: the server listed an id FtCancel will not send.</source>
        <translation>
            <numerusform>%n listed job not sent: the server listed an id FtCancel will not send.</numerusform>
            <numerusform>%n listed jobs not sent: the server listed an id FtCancel will not send.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>About to pause %n job(s) (%1):</source>
        <translation>
            <numerusform>About to pause %n job (%1):</numerusform>
            <numerusform>About to pause %n jobs (%1):</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>About to resume %n job(s) (%1):</source>
        <translation>
            <numerusform>About to resume %n job (%1):</numerusform>
            <numerusform>About to resume %n jobs (%1):</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pause %n job(s)? [y/N] </source>
        <translation>
            <numerusform>Pause %n job? [y/N] </numerusform>
            <numerusform>Pause %n jobs? [y/N] </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Resume %n job(s)? [y/N] </source>
        <translation>
            <numerusform>Resume %n job? [y/N] </numerusform>
            <numerusform>Resume %n jobs? [y/N] </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) left as they are, nothing sent: %1</source>
        <translation>
            <numerusform>%n job left as they are, nothing sent: %1</numerusform>
            <numerusform>%n jobs left as they are, nothing sent: %1</numerusform>
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
    <message numerus="yes">
        <source>Stop everything running: cancel all %n job(s) that have not finished? This cannot be undone.</source>
        <translation>
            <numerusform>Stop everything running: cancel the %n job that has not finished? This cannot be undone.</numerusform>
            <numerusform>Stop everything running: cancel all %n jobs that have not finished? This cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stop everything running: cancel the %n job(s) that can be sent? This cannot be undone.</source>
        <translation>
            <numerusform>Stop everything running: cancel the %n job that can be sent? This cannot be undone.</numerusform>
            <numerusform>Stop everything running: cancel the %n jobs that can be sent? This cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>⚠ %n more job(s) listed as not finished will not be sent: the server listed an id FtCancel will not send.</source>
        <translation>
            <numerusform>⚠ %n more job listed as not finished will not be sent: the server listed an id FtCancel will not send.</numerusform>
            <numerusform>⚠ %n more jobs listed as not finished will not be sent: the server listed an id FtCancel will not send.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more (see Cancels).</source>
        <translation>
            <numerusform>… and %n more (see Cancels).</numerusform>
            <numerusform>… and %n more (see Cancels).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>⚠ A status unknown to FtCancel for %n job(s) (%1): treated as not finished, and cancelled too.</source>
        <translation>
            <numerusform>⚠ A status unknown to FtCancel for %n job (%1): treated as not finished, and cancelled too.</numerusform>
            <numerusform>⚠ A status unknown to FtCancel for %n jobs (%1): treated as not finished, and cancelled too.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pause %n job(s)? A paused job spends nothing until it is resumed.</source>
        <translation>
            <numerusform>Pause %n job? A paused job spends nothing until it is resumed.</numerusform>
            <numerusform>Pause %n jobs? A paused job spends nothing until it is resumed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pause %n job(s)</source>
        <translation>
            <numerusform>Pause %n job</numerusform>
            <numerusform>Pause %n jobs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Resume %n job(s)? A resumed job trains, and is billed, again.</source>
        <translation>
            <numerusform>Resume %n job? A resumed job trains, and is billed, again.</numerusform>
            <numerusform>Resume %n jobs? A resumed job trains, and is billed, again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Resume %n job(s)</source>
        <translation>
            <numerusform>Resume %n job</numerusform>
            <numerusform>Resume %n jobs</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DetailsPane</name>
    <message numerus="yes">
        <source>%n attempt(s)</source>
        <translation>
            <numerusform>%n attempt</numerusform>
            <numerusform>%n attempts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EventsPane</name>
    <message numerus="yes">
        <source>%n event(s), newest first</source>
        <translation>
            <numerusform>%n event, newest first</numerusform>
            <numerusform>%n events, newest first</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EverywhereCommand</name>
    <message numerus="yes">
        <source>%1: %n job(s) not finished</source>
        <translation>
            <numerusform>%1: %n job not finished</numerusform>
            <numerusform>%1: %n jobs not finished</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancel %n job(s) in %1 profile(s)? [y/N] </source>
        <translation>
            <numerusform>Cancel %n job in %1 profile? [y/N] </numerusform>
            <numerusform>Cancel %n jobs in %1 profiles? [y/N] </numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EverywhereDialog</name>
    <message numerus="yes">
        <source>%1: %n job(s) not finished</source>
        <translation>
            <numerusform>%1: %n job not finished</numerusform>
            <numerusform>%1: %n jobs not finished</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancel %n job(s) in %1 profile(s)?</source>
        <translation>
            <numerusform>Cancel %n job in %1 profile?</numerusform>
            <numerusform>Cancel %n jobs in %1 profiles?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n profile(s) could not be read: nothing of them is cancelled; the others go on.</source>
        <translation>
            <numerusform>%n profile could not be read: nothing of them is cancelled; the others go on.</numerusform>
            <numerusform>%n profiles could not be read: nothing of them is cancelled; the others go on.</numerusform>
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
    <message numerus="yes">
        <source>, %n over-long line(s) skipped</source>
        <translation>
            <numerusform>, %n over-long line skipped</numerusform>
            <numerusform>, %n over-long lines skipped</numerusform>
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
    <message numerus="yes">
        <source>%n id(s)</source>
        <translation>
            <numerusform>%n id</numerusform>
            <numerusform>%n ids</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n duplicate(s)</source>
        <translation>
            <numerusform>%n duplicate</numerusform>
            <numerusform>%n duplicates</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not id(s)</source>
        <translation>
            <numerusform>%n not id</numerusform>
            <numerusform>%n not ids</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s): %1</source>
        <translation>
            <numerusform>%n line: %1</numerusform>
            <numerusform>%n lines: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>JobLister</name>
    <message numerus="yes">
        <source>page %1 repeated %n job(s) already listed (%2) while saying there were more.</source>
        <translation>
            <numerusform>page %1 repeated %n job already listed (%2) while saying there were more.</numerusform>
            <numerusform>page %1 repeated %n jobs already listed (%2) while saying there were more.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>JobsPanel</name>
    <message numerus="yes">
        <source>%n job(s)</source>
        <translation>
            <numerusform>%n job</numerusform>
            <numerusform>%n jobs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n active</source>
        <translation>
            <numerusform>%n active</numerusform>
            <numerusform>%n active</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the newest %n only: older jobs were not read (Settings → Jobs list)</source>
        <translation>
            <numerusform>the newest %n only: older jobs were not read (Settings → Jobs list)</numerusform>
            <numerusform>the newest %n only: older jobs were not read (Settings → Jobs list)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Read %n job(s) of the account, %1 active.</source>
        <translation>
            <numerusform>Read %n job of the account, %1 active.</numerusform>
            <numerusform>Read %n jobs of the account, %1 active.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Read %n job(s), then reading failed: %1</source>
        <translation>
            <numerusform>Read %n job, then reading failed: %1</numerusform>
            <numerusform>Read %n jobs, then reading failed: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ListCommand</name>
    <message numerus="yes">
        <source>%n job(s) shown</source>
        <translation>
            <numerusform>%n job shown</numerusform>
            <numerusform>%n jobs shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n active job(s)</source>
        <translation>
            <numerusform>%n active job</numerusform>
            <numerusform>%n active jobs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1, of %n read.</source>
        <translation>
            <numerusform>%1, of %n read.</numerusform>
            <numerusform>%1, of %n read.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped reading at %n job(s) (--limit); older jobs were not read.</source>
        <translation>
            <numerusform>Stopped reading at %n job (--limit); older jobs were not read.</numerusform>
            <numerusform>Stopped reading at %n jobs (--limit); older jobs were not read.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reading the list failed after %n job(s): %1</source>
        <translation>
            <numerusform>Reading the list failed after %n job: %1</numerusform>
            <numerusform>Reading the list failed after %n jobs: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LogPane</name>
    <message numerus="yes">
        <source>Log copied (%n line(s)).</source>
        <translation>
            <numerusform>Log copied (%n line).</numerusform>
            <numerusform>Log copied (%n lines).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>… and %n more (see the log).</source>
        <translation>
            <numerusform>… and %n more (see the log).</numerusform>
            <numerusform>… and %n more (see the log).</numerusform>
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
        <source>%n job(s) of the selection left out: the server listed them with an id that is not a job id.</source>
        <translation>
            <numerusform>%n job of the selection left out: the server listed it with an id that is not a job id.</numerusform>
            <numerusform>%n jobs of the selection left out: the server listed them with an id that is not a job id.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) listed already will be looked up again.</source>
        <translation>
            <numerusform>%n job listed already will be looked up again.</numerusform>
            <numerusform>%n jobs listed already will be looked up again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Look up the %n selected job(s) not finished yet and, after you confirm, cancel them (Enter in the list)</source>
        <translation>
            <numerusform>Look up the %n selected job not finished yet and, after you confirm, cancel it (Enter in the list)</numerusform>
            <numerusform>Look up the %n selected jobs not finished yet and, after you confirm, cancel them (Enter in the list)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The account or the settings changed: the %n job(s) listed keep what became of them and are looked up again, as this account, when you start them.</source>
        <translation>
            <numerusform>The account or the settings changed: the %n job listed keeps what became of it and is looked up again, as this account, when you start it.</numerusform>
            <numerusform>The account or the settings changed: the %n jobs listed keep what became of them and are looked up again, as this account, when you start them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stop everything running: %n listed job(s) have an id FtCancel will not send; they are named and not sent.</source>
        <translation>
            <numerusform>Stop everything running: %n listed job has an id FtCancel will not send; they are named and not sent.</numerusform>
            <numerusform>Stop everything running: %n listed jobs have an id FtCancel will not send; they are named and not sent.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %n job id(s).</source>
        <translation>
            <numerusform>Copied %n job id.</numerusform>
            <numerusform>Copied %n job ids.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Look up the %n selected job(s) again and, after you confirm, cancel them</source>
        <translation>
            <numerusform>Look up the %n selected job again and, after you confirm, cancel them</numerusform>
            <numerusform>Look up the %n selected jobs again and, after you confirm, cancel them</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copy %n Job &amp;ID(s)</source>
        <translation>
            <numerusform>Copy %n Job &amp;ID</numerusform>
            <numerusform>Copy %n Job &amp;IDs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stop everything in every profile: cancelling %n job(s).</source>
        <translation>
            <numerusform>Stop everything in every profile: cancelling %n job.</numerusform>
            <numerusform>Stop everything in every profile: cancelling %n jobs.</numerusform>
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
    <name>PageRequest</name>
    <message numerus="yes">
        <source>Read %n job(s).</source>
        <translation>
            <numerusform>Read %n job.</numerusform>
            <numerusform>Read %n jobs.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Read %n event(s).</source>
        <translation>
            <numerusform>Read %n event.</numerusform>
            <numerusform>Read %n events.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProfileStore</name>
    <message numerus="yes">
        <source>A profile's name may be %n character(s) long at most.</source>
        <translation>
            <numerusform>A profile's name may be %n character long at most.</numerusform>
            <numerusform>A profile's name may be %n characters long at most.</numerusform>
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
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
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
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
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
<context>
    <name>StopEverything</name>
    <message numerus="yes">
        <source>Stop everything running: %n job(s) not finished yet.</source>
        <translation>
            <numerusform>Stop everything running: %n job not finished yet.</numerusform>
            <numerusform>Stop everything running: %n jobs not finished yet.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Only the newest %n job(s) were read (%1): older ones still running are not among those cancelled.</source>
        <translation>
            <numerusform>Only the newest %n job were read (%1): older ones still running are not among those cancelled.</numerusform>
            <numerusform>Only the newest %n jobs were read (%1): older ones still running are not among those cancelled.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No job is running: nothing to cancel. %n paused job(s) left alone.</source>
        <translation>
            <numerusform>No job is running: nothing to cancel. %n paused job left alone.</numerusform>
            <numerusform>No job is running: nothing to cancel. %n paused jobs left alone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n paused job(s) left alone: they spend nothing, and nothing is resumed.</source>
        <translation>
            <numerusform>%n paused job left alone: they spend nothing, and nothing is resumed.</numerusform>
            <numerusform>%n paused jobs left alone: they spend nothing, and nothing is resumed.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StopEverywhere</name>
    <message numerus="yes">
        <source>%1: %n job(s) not finished, none cancelled</source>
        <translation>
            <numerusform>%1: %n job not finished, none cancelled</numerusform>
            <numerusform>%1: %n jobs not finished, none cancelled</numerusform>
        </translation>
    </message>
</context>
</TS>