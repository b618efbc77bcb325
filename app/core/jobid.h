#pragma once

#include <QCoreApplication>
#include <QString>

// Turns whatever an operator pasted (an id, a quoted id, a dashboard URL) into a fine-tuning job id,
// or explains why it is not one. This is the only way a job id gets into a request path.
class JobId
{
    Q_DECLARE_TR_FUNCTIONS(JobId)

public:
    struct Parsed
    {
        QString id; // the job id when valid, empty otherwise
        QString error; // why the input was refused (translated); empty when valid
        QString warning; // a caution for a valid but unusual id (legacy "ft-")
        bool isValid() const { return error.isEmpty() && !id.isEmpty(); }
    };

    static Parsed parse(const QString& pasted);

    static constexpr int maxLength = 128;
};
