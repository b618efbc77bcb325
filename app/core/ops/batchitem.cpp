#include "batchitem.h"

#include "outputgate.h"

QString BatchItem::outcomeLabel() const
{
    return label.isEmpty() ? Outcome::label(outcome) : label;
}

const FineTuningJob& BatchItem::before() const
{
    static const FineTuningJob none;
    return m_before ? *m_before : none;
}

const FineTuningJob& BatchItem::after() const
{
    static const FineTuningJob none;
    return m_after ? *m_after : none;
}

const ApiError& BatchItem::error() const
{
    static const ApiError none;
    return m_error ? *m_error : none;
}

void BatchItem::setBefore(const FineTuningJob& job)
{
    m_before = std::make_shared<const FineTuningJob>(job);
}

void BatchItem::setAfter(const FineTuningJob& job)
{
    m_after = std::make_shared<const FineTuningJob>(job);
}

void BatchItem::setError(const ApiError& error)
{
    // Kept only when it is one: most rows end without.
    m_error = error.isError() ? std::make_shared<const ApiError>(error) : nullptr;
}

void BatchItem::setFailure(const JobResult& result)
{
    const ApiError& error = result.error;
    setError(error);
    // No HTTP answer (network, timeout, stopped): 0, even when an earlier attempt had one.
    httpStatus = error.isTransport() || error.kind == ApiError::Kind::Stopped
        ? 0
        : (result.httpStatus != 0 ? result.httpStatus : error.httpStatus);
    if (!result.requestId.isEmpty())
        requestId = OutputGate::clean(result.requestId);
    message = OutputGate::clean(error.message, OutputGate::lineBytes);
    switch (error.kind) {
    case ApiError::Kind::None:
        break;
    case ApiError::Kind::Input:
    case ApiError::Kind::Keychain:
        outcome = Outcome::Invalid;
        break;
    case ApiError::Kind::Network:
    case ApiError::Kind::Timeout:
        outcome = Outcome::Unknown;
        break;
    case ApiError::Kind::Stopped:
        outcome = Outcome::Stopped;
        break;
    case ApiError::Kind::Http:
        if (httpStatus == 404)
            outcome = Outcome::NotFound;
        else if (httpStatus == 429)
            outcome = Outcome::RateLimited; // retries exhausted, or a wait too long: try again later
        else if (httpStatus >= 500)
            outcome = Outcome::Failed;
        else
            outcome = Outcome::Refused;
        break;
    case ApiError::Kind::BadResponse:
        outcome = Outcome::Failed;
        break;
    }
}
