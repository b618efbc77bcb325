#pragma once

#include "provider.h"

#include <QCoreApplication>
#include <QString>

// Turns whatever an operator pasted (an id, a quoted id, a dashboard URL) into a fine-tuning job id of the profile's
// provider, or explains why it is not one (an id of another provider is refused with a hint naming it). This is the
// only way a job id gets into a request path. What each provider's ids look like is its Dialect's.
class JobId
{
    Q_DECLARE_TR_FUNCTIONS(JobId)

public:
    struct Parsed
    {
        QString id; // the job id when valid, empty otherwise
        QString error; // why the input was refused (translated); empty when valid
        QString warning; // a caution for a valid but unusual id (OpenAI's legacy "ft-")
        JobKind kind = JobKind::FineTuning; // what the id is: a fine-tuning job or a batch
        bool isValid() const { return error.isEmpty() && !id.isEmpty(); }
    };

    // One id: the whole text must be one id (or a URL / quoted form of one), of any kind of job the provider runs;
    // the id says which (batch_…, msgbatch_…, a URL of a batch). Where ids of two kinds look alike (Mistral's UUIDs)
    // it is taken as `preferred`: a fine-tuning job unless told (--kind batch).
    static Parsed parse(const QString& pasted, Provider provider = Provider::OpenAI,
                        JobKind preferred = JobKind::FineTuning);

    // Many ids, from whatever was pasted: ids separated by line breaks, commas, spaces or tabs, inside dashboard
    // URLs, JSON snippets ("id": "ftjob-…") or log lines. Words that are not meant as ids are passed over;
    // fragments that look like an id (or a key) but are not one are listed with the reason. A text that is one
    // fragment is judged exactly as parse() judges it.
    struct Rejected
    {
        QString fragment; // through the output gate (a pasted key is masked), at most 80 bytes
        QString reason; // translated, through the output gate
    };
    struct Extracted
    {
        QList<Parsed> ids; // valid, in the order pasted, each once
        QList<Rejected> rejected;
        int duplicates = 0; // ids pasted more than once, merged
        int lines = 0; // lines of the text that hold anything but white space
        bool isEmpty() const { return ids.isEmpty() && rejected.isEmpty(); }
    };
    static Extracted extract(const QString& pasted, Provider provider = Provider::OpenAI,
                             JobKind preferred = JobKind::FineTuning);
    // One line that says what a paste held: "30 lines: 20 ids, 2 duplicates, 8 not ids" (translated; the counts
    // that are 0 left out, "1 line" for one).
    static QString summary(const Extracted& extracted);

    static constexpr int maxLength = 128;
};
